// Terminals: the schemas of their requests and the shapes of their chunks, answers and logs.
// Pure zod + types (the renderer imports this file too).
import { z } from 'zod';

import { HostNameSchema } from './hosts';

/** Server-made terminal id, e.g. `t-k3x9q2`. */
export const TerminalIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'not a terminal id');

/**
 * A session log id: `<host>/<file>.cast` as terminals.logs.list gives it. Never a path: the
 * server resolves it inside its logs folder and refuses anything else.
 */
export const TerminalLogIdSchema = z
  .string()
  .min(1)
  .max(300)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*\.cast$/,
    'not a log id (host/file.cast)',
  );

export const TERMINAL_MAX_COLS = 1000;
export const TERMINAL_MAX_ROWS = 500;
const Cols = z.number().int().min(1).max(TERMINAL_MAX_COLS);
const Rows = z.number().int().min(1).max(TERMINAL_MAX_ROWS);

/** Where a terminal runs. */
export const TerminalTargetSchema = z.discriminatedUnion('kind', [
  /**
   * A login shell on an inventory host, through the SSH pool (host keys checked, prompts as
   * everywhere else). An inventory host whose connection is `local` (localhost) gets a local pty.
   */
  z.object({ kind: z.literal('ssh'), host: HostNameSchema }).strict(),
  /** A shell on the machine the console runs on, through node-pty. */
  z
    .object({
      kind: z.literal('local'),
      /** Absolute path of a shell listed in /etc/shells (default: $SHELL, else /bin/bash, /bin/sh). */
      shell: z.string().trim().min(1).max(4096).optional(),
      /** Absolute working directory (default: the home directory). */
      cwd: z.string().trim().min(1).max(4096).optional(),
    })
    .strict(),
]);
export type TerminalTarget = z.infer<typeof TerminalTargetSchema>;

export const TerminalOpenSchema = z
  .object({
    target: TerminalTargetSchema,
    cols: Cols,
    rows: Rows,
    /** $TERM of the session (default xterm-256color). */
    term: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/, 'not a terminal type')
      .default('xterm-256color'),
    /** Record the session under <dataDir>/terminal-logs/<host>/ (default: on). */
    log: z.boolean().default(true),
    /** A title for the tab and the log; default `user@host` or the shell's name. */
    title: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
export type TerminalOpen = z.input<typeof TerminalOpenSchema>;

/** Typed keys, pasted text (send bracketed-paste markers yourself when xterm adds them). */
export const TerminalInputSchema = z
  .object({ id: TerminalIdSchema, data: z.string().min(1).max(1_048_576) })
  .strict();

export const TerminalResizeSchema = z
  .object({ id: TerminalIdSchema, cols: Cols, rows: Rows })
  .strict();

export const TerminalAckSchema = z
  .object({
    id: TerminalIdSchema,
    /** Sum of the `bytes` of data chunks xterm has parsed (write callback) since the last ack. */
    bytes: z
      .number()
      .int()
      .min(0)
      .max(1 << 30),
  })
  .strict();

export const TerminalBroadcastSchema = z
  .object({
    ids: z.array(TerminalIdSchema).min(1).max(500),
    data: z.string().min(1).max(1_048_576),
    /** Also send to terminals sitting at a password/passphrase prompt (default: skip them). */
    allowSecretPrompt: z.boolean().default(false),
    /** The person confirmed a destructive line (rm -rf, reboot, shutdown, mkfs, dd …). */
    confirmed: z.boolean().default(false),
  })
  .strict();

export const TerminalLogsListSchema = z
  .object({ host: HostNameSchema.optional() })
  .strict()
  .optional()
  .default({});

export const TerminalLogReadSchema = z
  .object({
    id: TerminalLogIdSchema,
    /** Byte offset in the log file (use the previous answer's nextOffset). */
    offset: z.number().int().min(0).default(0),
    /** Bytes of the file to read from offset (whole lines; default 1 MiB). */
    limit: z
      .number()
      .int()
      .min(1)
      .max(16 * 1024 * 1024)
      .default(1024 * 1024),
    /**
     * `text`: the output with escape sequences removed; `cast`: the asciicast v2 lines as stored
     * (for replay in an xterm: each `[t,"o",data]` line's data written in order).
     */
    format: z.enum(['text', 'cast']).default('text'),
  })
  .strict();

export const TerminalLogSearchSchema = z
  .object({
    /** Plain text, matched case-insensitively against the output without escape sequences. */
    query: z.string().min(1).max(1000),
    host: HostNameSchema.optional(),
    /** Most hits returned (default 200). */
    limit: z.number().int().min(1).max(5000).default(200),
  })
  .strict();

export const TerminalLogDeleteSchema = z.object({ id: TerminalLogIdSchema }).strict();

// ---------------------------------------------------------------- answers and chunks

export type TerminalKind = 'ssh' | 'local';

/** Chunks of terminals.open, in order: one `opened`, then `data`/`state`/`notice` until the end. */
export type TerminalChunk =
  | {
      readonly type: 'opened';
      readonly id: string;
      readonly title: string;
      readonly kind: TerminalKind;
      /** Inventory host name, or `localhost` for a local shell. */
      readonly host: string;
      /** The session log (null when logging is off): id for terminals.logs.*, path for display. */
      readonly logId: string | null;
      readonly logPath: string | null;
    }
  | {
      readonly type: 'data';
      /** Output, UTF-8 decoded; a multi-byte character is never split across chunks. */
      readonly data: string;
      /** Raw bytes this chunk stands for: ack exactly this number once xterm has parsed it. */
      readonly bytes: number;
    }
  | {
      readonly type: 'state';
      /** true while the terminal sits at a password/passphrase/PIN prompt with echo off. */
      readonly promptSecret: boolean;
      /** The prompt text when promptSecret is true (e.g. `[sudo] password for ops:`). */
      readonly prompt?: string;
    }
  | {
      readonly type: 'notice';
      readonly level: 'info' | 'warning';
      /** e.g. the session log could not be written (the terminal keeps working). */
      readonly message: string;
    };

export type TerminalEndReason = 'exit' | 'closed' | 'connection-lost' | 'error';

/** The answer of terminals.open, once the session is over. */
export interface TerminalEnd {
  readonly id: string;
  /** exit: the shell ended; closed: cancelled by the caller; connection-lost: reconnect offered. */
  readonly reason: TerminalEndReason;
  readonly exitCode?: number;
  readonly signal?: string;
  readonly message?: string;
}

export interface TerminalInfo {
  readonly id: string;
  readonly title: string;
  readonly kind: TerminalKind;
  readonly host: string;
  readonly cols: number;
  readonly rows: number;
  readonly promptSecret: boolean;
  /** The source is paused because the renderer has too much unparsed output. */
  readonly paused: boolean;
  /** Bytes sent but not yet acknowledged. */
  readonly unacked: number;
  readonly bytesOut: number;
  readonly startedAt: string;
  readonly logId: string | null;
}

export type BroadcastSkipReason = 'secret-prompt' | 'needs-confirmation' | 'closed';

export interface DestructiveMatch {
  /** The completed line that matched (as the line tracker saw it). */
  readonly line: string;
  /** Stable rule id: rm-rf, reboot, shutdown, mkfs, dd, … */
  readonly rule: string;
  /** Human words for the confirmation dialog. */
  readonly label: string;
}

export type BroadcastResult =
  | { readonly id: string; readonly status: 'sent' }
  | {
      readonly id: string;
      readonly status: 'skipped';
      readonly reason: BroadcastSkipReason;
      /** For needs-confirmation: what matched. */
      readonly matches?: readonly DestructiveMatch[];
    };

export interface BroadcastReport {
  readonly results: readonly BroadcastResult[];
  readonly sent: number;
  readonly skipped: number;
}

export interface TerminalLogInfo {
  readonly id: string;
  readonly host: string;
  readonly title: string;
  readonly startedAt: string;
  /** Last write (the file's mtime). */
  readonly updatedAt: string;
  readonly bytes: number;
  /** true while the session is still being recorded. */
  readonly live: boolean;
  /** For display only (the id is what the requests take). */
  readonly path: string;
}

export interface TerminalLogChunk {
  readonly id: string;
  readonly offset: number;
  /** Where the next read starts; equals `size` at the end. */
  readonly nextOffset: number;
  readonly size: number;
  readonly format: 'text' | 'cast';
  /** text: output without escape sequences; cast: the asciicast lines as stored. */
  readonly content: string;
}

export interface TerminalLogHit {
  readonly id: string;
  readonly host: string;
  /** Seconds since the session started, of the output event holding the match. */
  readonly time: number;
  /** Byte offset of that event's line in the file (for terminals.logs.read). */
  readonly offset: number;
  /** The matching line of text, escape sequences removed, trimmed to ~200 characters. */
  readonly excerpt: string;
}

export interface TerminalLogSearchReport {
  readonly hits: readonly TerminalLogHit[];
  readonly filesSearched: number;
  /** true when `limit` hits were reached before every log was searched. */
  readonly truncated: boolean;
}
