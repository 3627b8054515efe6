// The flows part of THE contract (merged into contract.ts). Requests and events of this feature only.
//
// HOW TO USE IT (renderer, CLI, tests — same over IPC and WebSocket):
//  LIBRARY
//   - `flows.list` → FlowLibrary {builtinDir, userDir, flows[]}: built-in flows (resources/flows)
//     and the user's (<dataDir>/flows). Each FlowSummary has title, description, inputs (draw the
//     inputs form from them) and `errors` (FlowProblem {file,line,column,message}); a flow with
//     errors cannot run: show the errors at their lines.
//   - `flows.get {file}` → FlowDetail: the source text, steps (with their line), vars, inputs.
//   - `flows.validate {file}|{text[, file]}` → {ok, errors[], steps?, inputs?} (an editor buffer).
//  RUNNING
//   - `runs.start {file, inputs, forks?}` → {runId} at once; the run goes on in the app's
//     background, independent of the caller (closing the window does not stop it). Bad inputs or a
//     bad flow reject with invalid_input (details.fields: one per input / per problem).
//   - Follow it with the `runs.event` broadcast (RunEvent, `seq` increasing per run): run / step /
//     host status changes, `log` batches of output lines, `confirm` (a person must answer:
//     `runs.confirm {id, step, accept, evidence}`). Events of other runs arrive too: filter by
//     runId. To (re)attach to a run (a window opened later, a missed event), call `runs.get` and
//     then `runs.log {id, afterSeq: <lastSeq seen>}` until `more` is false; ignore events whose
//     seq ≤ what you have.
//   - `runs.cancel` (everything stops, remote processes killed), `runs.pause` (no new step or
//     host starts; running ones finish), `runs.continue`, `runs.resume {id, inputs}` (an
//     interrupted or failed run goes on from its failed/unfinished steps; secret inputs must be
//     given again — see RunDetail.secretInputs).
//  HISTORY
//   - `runs.list {query?, inLog?, status?, flow?, limit, before?}` → {runs, more} newest first.
//   - `runs.get {id}` → RunDetail (steps with per-host results, outputs, confirmations; inputs
//     with secrets masked).
//   - `runs.log {id, step?, host?, afterSeq?, limit, search?, tail?}` → {lines, lastSeq, more}.
//   - `runs.report {id, format: markdown|html|junit}` → {format, filename, text}.
//   - `runs.timeline {id, afterSeq?, limit}` → {events, lastSeq, more}: the recorded events (log
//     lines batched) with their `at` times, for REPLAY at real or faster speed.
//   - `runs.delete {id}` removes a finished run and its log.
import { z } from 'zod';

import { request, returns, type RequestSpec } from './contract-kit';
import {
  FlowFileSchema,
  FlowValidateSchema,
  RunConfirmSchema,
  RunIdInputSchema,
  RunLogSchema,
  RunReportSchema,
  RunResumeSchema,
  RunStartSchema,
  RunTimelineSchema,
  RunsListSchema,
  type FlowDetail,
  type FlowLibrary,
  type FlowValidation,
  type RunDetail,
  type RunEvent,
  type RunLogPage,
  type RunReport,
  type RunStatus,
  type RunSummary,
  type RunTimelinePage,
} from './models/flows';

const Empty = z.object({}).strict().optional().default({});

export const flowsRequests = {
  'flows.list': request({
    summary: 'The flow library: built-in and user flows with their inputs and problems.',
    input: Empty,
    output: returns<FlowLibrary>(),
  }),
  'flows.get': request({
    summary: "One flow: its source text, steps, vars and inputs (the inputs form's schema).",
    input: FlowFileSchema,
    output: returns<FlowDetail>(),
  }),
  'flows.validate': request({
    summary: 'Check a flow file or text; problems with file, line and column.',
    input: FlowValidateSchema,
    output: returns<FlowValidation>(),
  }),
  'runs.start': request({
    summary: 'Start a flow run in the background; follow it with runs.event.',
    input: RunStartSchema,
    output: returns<{ runId: string }>(),
  }),
  'runs.list': request({
    summary: 'Run history, newest first, with search and filters.',
    input: RunsListSchema,
    output: returns<{ runs: RunSummary[]; more: boolean }>(),
  }),
  'runs.get': request({
    summary: 'One run: steps, per-host results, outputs, confirmations, inputs (secrets masked).',
    input: RunIdInputSchema,
    output: returns<RunDetail>(),
  }),
  'runs.log': request({
    summary: "A run's log lines (by step, host, after a seq, or matching a search).",
    input: RunLogSchema,
    output: returns<RunLogPage>(),
  }),
  'runs.cancel': request({
    summary: 'Cancel a run: everything running stops (remote processes are killed).',
    input: RunIdInputSchema,
    output: returns<{ status: RunStatus }>(),
  }),
  'runs.pause': request({
    summary: 'Pause a run: nothing new starts; what runs finishes.',
    input: RunIdInputSchema,
    output: returns<{ status: RunStatus }>(),
  }),
  'runs.continue': request({
    summary: 'Continue a paused run.',
    input: RunIdInputSchema,
    output: returns<{ status: RunStatus }>(),
  }),
  'runs.resume': request({
    summary: 'Resume an interrupted or failed run from its unfinished steps (secrets again).',
    input: RunResumeSchema,
    output: returns<{ runId: string }>(),
  }),
  'runs.confirm': request({
    summary: 'Answer a confirm step: accept or refuse, with the evidence text.',
    input: RunConfirmSchema,
    output: returns<{ status: RunStatus }>(),
  }),
  'runs.report': request({
    summary: 'A run as Markdown, self-contained HTML or JUnit XML.',
    input: RunReportSchema,
    output: returns<RunReport>(),
  }),
  'runs.timeline': request({
    summary: "A run's recorded events with their times (for replay), paged by seq.",
    input: RunTimelineSchema,
    output: returns<RunTimelinePage>(),
  }),
  'runs.delete': request({
    summary: 'Delete a finished run and its log.',
    input: RunIdInputSchema,
    output: returns<{ deleted: string }>(),
  }),
} satisfies Record<string, RequestSpec>;

/** Payloads are produced by the app only; the schema documents the shape (see RunEvent). */
const RunEventSchema = z.custom<RunEvent>(
  (v) => typeof v === 'object' && v !== null && 'runId' in v && 'seq' in v,
);

export const flowsEvents = {
  /** Something changed in a run (any run: filter by runId). */
  'runs.event': RunEventSchema,
} satisfies Record<string, z.ZodType>;
