// The terminals part of THE contract (merged into contract.ts). Requests and events of this feature only.
//
// HOW TO USE IT (renderer, CLI, tests — same over IPC and WebSocket):
//  1. `terminals.open` is a long-lived STREAMING request. Call it with {target, cols, rows} and
//     an onChunk handler. Chunks arrive in order:
//       {type:'opened', id, title, kind, host, logId, logPath}  — exactly once, first
//       {type:'data', data, bytes}   — output (UTF-8 text, never a split character)
//       {type:'state', promptSecret, prompt?}  — a password prompt (echo off) appeared / ended
//       {type:'notice', level, message}        — e.g. the session log could not be written
//     The call resolves with TerminalEnd {id, reason, exitCode?, signal?, message?} when the
//     session is over: 'exit' (the shell ended), 'closed' (you cancelled it),
//     'connection-lost' (the SSH connection dropped: offer reconnect), 'error'.
//     Failures BEFORE `opened` (unknown host, host key refused, authentication failed) REJECT
//     the call with the AppError as every other request does; host-key and password prompts
//     come as the usual prompt.hostkey / prompt.credentials events while it opens.
//  2. Close a terminal by cancelling the call (AbortSignal): the pty is killed / the channel
//     closed, and the call resolves with reason 'closed'.
//  3. FLOW CONTROL (lossless): write each data chunk into xterm with a callback
//     (`term.write(chunk.data, () => ack(chunk.bytes))`) and send `terminals.ack {id, bytes}`
//     with the SUM of `bytes` parsed since the last ack — only after xterm's write callback,
//     never on arrival (a chunk's `bytes` may be 0: nothing to ack). Coalesce acks (e.g. once
//     per animation frame, or every ≥64 KiB). The server pauses the SSH channel / pty when more
//     than TERMINAL_FLOW.highWater bytes are unacked and resumes at TERMINAL_FLOW.lowWater;
//     nothing is ever dropped. Input (Ctrl-C) always goes through, paused or not. A hidden tab
//     must keep writing into its xterm (and acking), or its shell stalls (by design).
//  4. Keys and paste: `terminals.input {id, data}` (xterm's onData as is, bracketed-paste
//     markers included). Resize: `terminals.resize {id, cols, rows}` (after fit).
//  5. RECONNECT: after 'connection-lost', a new `terminals.open` with the same target is the
//     reconnect (the renderer keeps its xterm and scrollback; the new session gets a new id and
//     a new log file). Backoff is the renderer's choice.
//  6. Broadcast: `terminals.broadcast {ids, data}` sends to many; it skips terminals at a
//     secret prompt (unless allowSecretPrompt) and, when the data completes a destructive line,
//     every terminal until re-sent with confirmed:true. The renderer can show the same verdict
//     before sending with shared/terminal-destructive.ts (same module, same line tracking:
//     inputVerdict(pending, data); the server tracks every input of a terminal, typed or
//     broadcast). The targets, the rules matched and the data (never at a secret prompt) are
//     audited. `terminals.changed` events tell every window when terminals open/close/change.
//  Targets: {kind:'ssh', host} is an inventory host (localhost, whose connection is local, gets
//     a local pty); {kind:'local', shell?, cwd?} is a local shell (/etc/shells only).
//  7. Logs: terminals.logs.list / read / search / delete take log ids (`host/file.cast`), never
//     paths. Logs are asciicast v2 (`.cast`): replayable; input is not recorded.
import { z } from 'zod';

import { request, returns, type RequestSpec } from './contract-kit';
import {
  TerminalAckSchema,
  TerminalBroadcastSchema,
  TerminalIdSchema,
  TerminalInputSchema,
  TerminalLogDeleteSchema,
  TerminalLogReadSchema,
  TerminalLogSearchSchema,
  TerminalLogsListSchema,
  TerminalOpenSchema,
  TerminalResizeSchema,
  type BroadcastReport,
  type TerminalChunk,
  type TerminalEnd,
  type TerminalInfo,
  type TerminalLogChunk,
  type TerminalLogInfo,
  type TerminalLogSearchReport,
} from './models/terminals';

/** Flow-control watermarks (bytes of output sent but not acked). Informative for clients. */
export const TERMINAL_FLOW = {
  /** Pause the source above this many unacked bytes. */
  highWater: 2 * 1024 * 1024,
  /** Resume it at or below this many. */
  lowWater: 512 * 1024,
  /** Largest data chunk (raw bytes) the server sends. */
  maxChunk: 64 * 1024,
} as const;

const Empty = z.object({}).strict().optional().default({});

export const terminalsRequests = {
  'terminals.open': request({
    summary:
      'Open an SSH or local shell; streams opened/data/state chunks, resolves when it ends (cancel = close).',
    input: TerminalOpenSchema,
    output: returns<TerminalEnd>(),
    chunk: returns<TerminalChunk>(),
  }),
  'terminals.input': request({
    summary: 'Send keys or pasted text to one terminal (goes through even while output is paused).',
    input: TerminalInputSchema,
    output: returns<{ written: number }>(),
  }),
  'terminals.resize': request({
    summary: "Resize one terminal's pty (cols × rows).",
    input: TerminalResizeSchema,
    output: returns<{ cols: number; rows: number }>(),
  }),
  'terminals.ack': request({
    summary: 'Acknowledge output bytes xterm has parsed (flow control).',
    input: TerminalAckSchema,
    output: returns<{ unacked: number; paused: boolean }>(),
  }),
  'terminals.list': request({
    summary: 'Open terminals (any window), with their flow-control and prompt state.',
    input: Empty,
    output: returns<TerminalInfo[]>(),
  }),
  'terminals.close': request({
    summary: 'Close one terminal by id (the opener may also just cancel its terminals.open).',
    input: z.object({ id: TerminalIdSchema }).strict(),
    output: returns<{ closed: boolean }>(),
  }),
  'terminals.broadcast': request({
    summary:
      'Send the same input to many terminals; skips secret prompts and unconfirmed destructive lines.',
    input: TerminalBroadcastSchema,
    output: returns<BroadcastReport>(),
  }),
  'terminals.logs.list': request({
    summary: 'Recorded session logs, newest first (optionally of one host).',
    input: TerminalLogsListSchema,
    output: returns<TerminalLogInfo[]>(),
  }),
  'terminals.logs.read': request({
    summary: 'Read part of a session log as plain text or as asciicast lines.',
    input: TerminalLogReadSchema,
    output: returns<TerminalLogChunk>(),
  }),
  'terminals.logs.search': request({
    summary: 'Search session logs (escape sequences removed, case-insensitive).',
    input: TerminalLogSearchSchema,
    output: returns<TerminalLogSearchReport>(),
  }),
  'terminals.logs.delete': request({
    summary: 'Delete one session log (not while it is being recorded).',
    input: TerminalLogDeleteSchema,
    output: returns<{ deleted: string }>(),
  }),
} satisfies Record<string, RequestSpec<z.ZodType, unknown, unknown>>;

export const terminalsEvents = {
  /** A terminal opened, closed or changed prompt state (any window): refresh lists. */
  'terminals.changed': z.object({
    id: z.string(),
    action: z.enum(['opened', 'closed', 'state']),
    host: z.string(),
  }),
} satisfies Record<string, z.ZodType>;
