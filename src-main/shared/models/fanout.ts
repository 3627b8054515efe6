// What a fan-out produces (one command on many hosts), as plain data for every face:
// per-host results, live events, output groups with line diffs, and the summary.

export interface DiffLine {
  /** ' ' context, '-' only in the old (reference) text, '+' only in the new text. */
  readonly op: ' ' | '-' | '+';
  readonly text: string;
  /** The line is the last one and has no terminating newline. */
  readonly noNewline?: true;
}

export interface DiffHunk {
  /** 1-based first line in the old text (0 when the hunk covers no old line), as in `@@`. */
  readonly oldStart: number;
  readonly oldLines: number;
  readonly newStart: number;
  readonly newLines: number;
  readonly lines: readonly DiffLine[];
}

export interface LineDiff {
  readonly identical: boolean;
  readonly added: number;
  readonly removed: number;
  readonly hunks: readonly DiffHunk[];
  /** Set when the diff was not computed (too large) or is not minimal; hunks are then empty. */
  readonly note?: string;
}

export type HostState = 'queued' | 'running' | FinalHostState;
/**
 * ok: exit 0 · failed: non-zero exit or killed by a signal · error: the executor could not run
 * the command (see errorKind) · timeout: perHostTimeoutMs passed · cancelled: the fan-out was
 * cancelled before or while this host ran.
 */
export type FinalHostState = 'ok' | 'failed' | 'error' | 'timeout' | 'cancelled';
/**
 * unreachable: no connection (AppError 'unavailable' or 'disconnected') · refused: host key or
 * authentication refused (AppError 'forbidden') · other: anything else, e.g. command not found.
 */
export type HostErrorKind = 'unreachable' | 'refused' | 'other';

/** One host's outcome; also the CLI's `--json` record (host, exitCode, signal, …, error). */
export interface HostResult {
  readonly host: string;
  readonly state: FinalHostState;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time from the start of this host's exec (connecting included) to its end. */
  readonly durationMs: number;
  readonly truncated: boolean;
  /** Why the host has no normal result (error, timeout, cancelled); null otherwise. */
  readonly error: string | null;
  readonly errorKind: HostErrorKind | null;
}

export interface FanoutCounts {
  readonly total: number;
  readonly queued: number;
  readonly running: number;
  readonly done: number;
  readonly ok: number;
  readonly failed: number;
  readonly error: number;
  readonly timeout: number;
  readonly cancelled: number;
}

/** `index` is the host's position in `targets`; `host` its (unique) name. */
export type FanoutEvent =
  | { readonly type: 'host-started'; readonly index: number; readonly host: string }
  | {
      readonly type: 'output';
      readonly index: number;
      readonly host: string;
      readonly stream: 'stdout' | 'stderr';
      /** Decoded as UTF-8; a character split across chunks arrives whole in the next one. */
      readonly text: string;
    }
  | {
      readonly type: 'host-finished';
      readonly index: number;
      readonly host: string;
      readonly result: HostResult;
    }
  | { readonly type: 'progress'; readonly counts: FanoutCounts };

export interface GroupDiff {
  /** The group's stdout against the majority's (the majority is the old side). */
  readonly stdout: LineDiff;
  /** Only when stderr differs from the majority's. */
  readonly stderr: LineDiff | null;
}

export interface OutputGroup {
  /** A stable digest of what was compared; equal outputs give equal keys across runs. */
  readonly key: string;
  /** In target order. */
  readonly hosts: readonly string[];
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** The first host's output, as it was. */
  readonly stdout: string;
  readonly stderr: string;
  readonly isMajority: boolean;
  /** Against the majority; null for the majority itself. */
  readonly diff: GroupDiff | null;
}

export interface Grouping {
  /** Sorted as described at the top of this file. */
  readonly groups: readonly OutputGroup[];
  /** Index into `groups`, or null when no host has comparable output. */
  readonly majority: number | null;
  /** Another group as large as the majority (and as eligible) exists; the tie rule chose. */
  readonly tied: boolean;
  /** Host name → index into `groups`, for grouped hosts. */
  readonly hostGroup: Readonly<Record<string, number>>;
  /** Hosts without comparable output (error, timeout, cancelled), in target order. */
  readonly ungrouped: readonly string[];
}

export type SummaryBucket = 'ok' | 'differ' | 'failed' | 'unreachable';

export interface FanoutSummary {
  readonly counts: Readonly<Record<SummaryBucket, number>>;
  /** Host name → bucket. */
  readonly buckets: Readonly<Record<string, SummaryBucket>>;
  readonly line: string;
}

/** A finished run on many hosts, as the UI and `stx-lab exec --json` show it. */
export interface ExecReport {
  readonly hosts: readonly HostResult[];
  readonly groups: readonly OutputGroup[];
  readonly majority: number | null;
  readonly tied: boolean;
  readonly summary: FanoutSummary;
  /** Pattern terms that matched no host. */
  readonly unknown: readonly string[];
  readonly durationMs: number;
  readonly cancelled: boolean;
  /** 0 every host exited 0 · 1 some command failed · 2 some host unreachable or refused. */
  readonly exitStatus: 0 | 1 | 2;
}
