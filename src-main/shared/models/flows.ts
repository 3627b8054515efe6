// Guided flows (runbooks) and their runs, as plain data for every face: the flow library, the
// inputs form, run history, the live run view, logs, reports and replay. Zod schemas here are the
// request inputs of contract-flows.ts; the interfaces are what the handlers return.
import { z } from 'zod';

// ---------------------------------------------------------------- flows (the library)

/** The types an input of a flow may have; the inputs form draws one field per input. */
export const FLOW_INPUT_TYPES = [
  'string',
  'number',
  'boolean',
  'host', // one inventory host name (form: a host picker)
  'host-pattern', // an inventory pattern (form: pattern field with inventory.preview)
  'file', // a path on the console's machine (form: file picker)
  'secret', // never stored in plaintext; asked again on resume
  'choice', // one of `choices`
] as const;
export type FlowInputType = (typeof FLOW_INPUT_TYPES)[number];

export interface FlowInputSpec {
  readonly name: string;
  readonly type: FlowInputType;
  /** Label for the form (defaults to the name). */
  readonly title: string;
  readonly description: string;
  readonly required: boolean;
  readonly default?: string | number | boolean;
  /** For `choice`. */
  readonly choices?: readonly string[];
  /** For `number`. */
  readonly min?: number;
  readonly max?: number;
}

/** One problem of a flow file, at its place (1-based line and column). */
export interface FlowProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface FlowStepInfo {
  readonly id: string;
  readonly title: string;
  readonly kind: string;
  /** As written (may hold `${…}`); absent for steps without hosts. */
  readonly on?: string;
  readonly needs: readonly string[];
  readonly say?: string;
  /** 1-based line of the step in the file (for "show it at the line"). */
  readonly line: number;
}

export interface FlowSummary {
  /** Absolute path; what flows.get / runs.start take. */
  readonly file: string;
  readonly origin: 'builtin' | 'user';
  /** The flow's `id:` (file name without extension when the file cannot be read). */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly inputs: readonly FlowInputSpec[];
  readonly stepCount: number;
  /** Empty when the flow is valid (it can run). */
  readonly errors: readonly FlowProblem[];
}

export interface FlowLibrary {
  readonly builtinDir: string;
  /** <dataDir>/flows: the user's own flows (*.yaml, *.yml). Created on first list. */
  readonly userDir: string;
  readonly flows: readonly FlowSummary[];
}

export interface FlowDetail extends FlowSummary {
  /** The file's text as it is on disk (for the source view with errors at their lines). */
  readonly text: string;
  readonly steps: readonly FlowStepInfo[];
  readonly vars: Readonly<Record<string, unknown>>;
}

export interface FlowValidation {
  readonly ok: boolean;
  readonly errors: readonly FlowProblem[];
  /** Present when ok. */
  readonly steps?: readonly FlowStepInfo[];
  readonly inputs?: readonly FlowInputSpec[];
}

// ---------------------------------------------------------------- runs

/**
 * queued → running ⇄ paused; running → waiting (a `confirm` step waits for a person) → running;
 * ends in succeeded | failed | cancelled. `interrupted`: the app stopped while it ran (found at
 * start-up); runs.resume continues it.
 */
export const RUN_STATUSES = [
  'queued',
  'running',
  'paused',
  'waiting',
  'succeeded',
  'failed',
  'cancelled',
  'interrupted',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const FINAL_RUN_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled'];

/** skipped: its `when` was false, or a step it needs did not succeed. */
export type StepStatus =
  | 'pending'
  | 'running'
  | 'waiting'
  | 'succeeded'
  | 'failed'
  | 'skipped'
  | 'cancelled'
  | 'interrupted';

export type HostStepStatus = 'running' | 'ok' | 'failed' | 'cancelled';

export type RunLogStream = 'stdout' | 'stderr' | 'info' | 'system';

export interface RunStepCounts {
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly skipped: number;
  readonly running: number;
}

export interface RunSummary {
  readonly id: string;
  readonly flowId: string;
  readonly flowTitle: string;
  readonly file: string;
  readonly status: RunStatus;
  /** ISO 8601. */
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly durationMs: number | null;
  readonly counts: RunStepCounts;
  /** Why it failed / was cancelled / interrupted (one line). */
  readonly error: string | null;
  /** Who started it: `desktop:…`, `cli:…`. */
  readonly actor: string;
  /** How many log lines it has. */
  readonly logLines: number;
}

export interface RunHostResult {
  readonly host: string;
  readonly status: HostStepStatus;
  readonly summary: string | null;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
}

export interface RunConfirmation {
  readonly prompt: string;
  /** Set once answered. */
  readonly accepted: boolean | null;
  readonly evidence: string | null;
  readonly by: string | null;
  readonly at: string | null;
}

export interface RunStep {
  readonly id: string;
  readonly title: string;
  readonly kind: string;
  readonly say: string | null;
  readonly needs: readonly string[];
  readonly status: StepStatus;
  /** Tries made so far (1 + retries used). */
  readonly attempts: number;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly summary: string | null;
  readonly error: string | null;
  readonly outputs: Readonly<Record<string, unknown>>;
  /** Per host (the swimlanes), in the order the hosts were resolved. */
  readonly hosts: readonly RunHostResult[];
  /** For `confirm` steps. */
  readonly confirm: RunConfirmation | null;
}

export interface RunDetail extends RunSummary {
  /** Secret inputs show as `••••••`. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Names of the secret inputs (runs.resume needs them again). */
  readonly secretInputs: readonly string[];
  readonly forks: number;
  readonly steps: readonly RunStep[];
  /** Highest seq of this run so far (events and log lines share one sequence). */
  readonly lastSeq: number;
}

export interface RunLogLine {
  readonly seq: number;
  /** ms since the epoch. */
  readonly at: number;
  readonly step: string | null;
  readonly host: string | null;
  readonly stream: RunLogStream;
  readonly text: string;
}

export interface RunLogPage {
  readonly lines: readonly RunLogLine[];
  /** The seq to pass as afterSeq for the next page / the next poll. */
  readonly lastSeq: number;
  /** More lines match beyond this page. */
  readonly more: boolean;
}

/** What changed in a run. Broadcast as `runs.event`; stored for replay (runs.timeline). */
export type RunEventBody =
  | { readonly type: 'run'; readonly status: RunStatus; readonly error?: string }
  | {
      readonly type: 'step';
      readonly step: string;
      readonly status: StepStatus;
      readonly attempt: number;
      readonly summary?: string;
      readonly error?: string;
      readonly outputs?: Readonly<Record<string, unknown>>;
    }
  | {
      readonly type: 'host';
      readonly step: string;
      readonly host: string;
      readonly status: HostStepStatus;
      readonly summary?: string;
    }
  /** Output lines, batched (every ~50 ms while output flows). */
  | {
      readonly type: 'log';
      readonly lines: readonly RunLogLine[];
      /**
       * Lines stored but not sent in this event (a flood: the event carries the last ones);
       * fetch them with runs.log when you need them all.
       */
      readonly omitted?: number;
    }
  /** A person must confirm (answer with runs.confirm). */
  | { readonly type: 'confirm'; readonly step: string; readonly prompt: string };

export type RunEvent = RunEventBody & {
  readonly runId: string;
  /** Monotonic per run; for `log` the seq of its last line. */
  readonly seq: number;
  /** ms since the epoch. */
  readonly at: number;
};

export interface RunTimelinePage {
  /** Events in seq order, log lines batched into `log` events. */
  readonly events: readonly RunEvent[];
  readonly lastSeq: number;
  readonly more: boolean;
}

export type ReportFormat = 'markdown' | 'html' | 'junit';

export interface RunReport {
  readonly format: ReportFormat;
  /** A suggested file name, e.g. `run-<id>.md`. */
  readonly filename: string;
  readonly text: string;
}

// ---------------------------------------------------------------- request inputs

const FilePath = z.string().trim().min(1, 'a flow file is required').max(4096);
export const RunIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a run id');
export const InputValueSchema = z.union([z.string().max(100_000), z.number(), z.boolean()]);
export const FlowInputsSchema = z.record(z.string().max(200), InputValueSchema);

export const FlowFileSchema = z.object({ file: FilePath }).strict();

export const FlowValidateSchema = z
  .object({
    /** Validate this file… */
    file: FilePath.optional(),
    /** …or this text (an editor's buffer); `file` then only names it in problems. */
    text: z.string().max(5_000_000).optional(),
  })
  .strict()
  .refine((v) => v.file !== undefined || v.text !== undefined, 'give a file or a text');

export const RunStartSchema = z
  .object({
    file: FilePath,
    inputs: FlowInputsSchema.default({}),
    /** Hosts at once per step (default 10). */
    forks: z.number().int().min(1).max(1000).optional(),
  })
  .strict();

export const RunsListSchema = z
  .object({
    /** Words matched against flow id/title, run id and error (and log text when `inLog`). */
    query: z.string().max(500).optional(),
    /** Also search the runs' log lines (full-text). */
    inLog: z.boolean().default(false),
    status: z.enum(RUN_STATUSES).optional(),
    /** A flow id. */
    flow: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(1000).default(50),
    /** Page on: runs started before this ISO time. */
    before: z.string().max(40).optional(),
  })
  .strict()
  .optional()
  .default({ inLog: false, limit: 50 });

export const RunIdInputSchema = z.object({ id: RunIdSchema }).strict();

export const RunLogSchema = z
  .object({
    id: RunIdSchema,
    step: z.string().max(200).optional(),
    host: z.string().max(253).optional(),
    /** Only lines after this seq (follow a live run: pass the previous page's lastSeq). */
    afterSeq: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(100_000).default(1000),
    /** Full-text search (FTS5 words, or a plain substring when it is not a valid FTS query). */
    search: z.string().max(500).optional(),
    /** The last `limit` lines instead of the first (the tail). */
    tail: z.boolean().default(false),
  })
  .strict();

export const RunResumeSchema = z
  .object({
    id: RunIdSchema,
    /** The secret inputs again (never stored); other inputs keep their values. */
    inputs: FlowInputsSchema.default({}),
  })
  .strict();

export const RunConfirmSchema = z
  .object({
    id: RunIdSchema,
    step: z.string().min(1).max(200),
    accept: z.boolean(),
    /** What the person saw (stored with the run, shown in reports). */
    evidence: z.string().max(20_000).default(''),
  })
  .strict();

export const RunReportSchema = z
  .object({ id: RunIdSchema, format: z.enum(['markdown', 'html', 'junit']) })
  .strict();

export const RunTimelineSchema = z
  .object({
    id: RunIdSchema,
    afterSeq: z.number().int().min(0).optional(),
    /** Entries (log lines count one each) per page. */
    limit: z.number().int().min(1).max(100_000).default(5000),
  })
  .strict();
