// A step kind: one file per kind, with its parameter schema (`with:`) and its handler.
// Kinds are registered in a KindRegistry; the flows engine validates `with` against `params`
// before anything runs, then calls `run` with the parsed parameters.
import type { z } from 'zod';

import type { Executor, SshTarget } from '../../ssh/types';

/** A host a step runs on (resolved from the step's `on`). */
export interface KindHost {
  readonly name: string;
  readonly target: SshTarget;
}

export type LogStream = 'stdout' | 'stderr' | 'info';

export interface StepRunContext {
  readonly runId: string;
  readonly stepId: string;
  /** Hosts of the step's `on` (empty when the step has none). */
  readonly hosts: readonly KindHost[];
  /** How many hosts may be worked on at once. */
  readonly forks: number;
  /** Aborted on cancel, on the step's timeout and on app shutdown: stop everything remote. */
  readonly signal: AbortSignal;
  /** Runs commands on hosts (SSH or local), the same executor the fan-out uses. */
  readonly executor: Executor;
  /** One output line (no trailing newline), persisted as it happens. */
  log(line: string, opts?: { readonly host?: string; readonly stream?: LogStream }): void;
  /** The result of one host (drives the host swimlanes of the live run view). */
  hostResult(host: string, result: HostOutcome): void;
  /** A host started (its swimlane shows it running). Optional for contexts built in tests. */
  hostStarted?(host: string): void;
  /** 1 for the first try, 2 for the first retry, … */
  readonly attempt?: number;
  /**
   * Asks a person to confirm (the run waits in state `waiting`); resolves with the answer and
   * the evidence text they gave. Rejects when the run is cancelled.
   */
  confirm?(prompt: string): Promise<{ readonly accepted: boolean; readonly evidence: string }>;
}

export interface HostOutcome {
  readonly ok: boolean;
  readonly summary?: string;
  readonly outputs?: Readonly<Record<string, unknown>>;
}

export interface StepOutcome {
  readonly ok: boolean;
  /** One line for the run view and reports ("3 ok · 1 failed"). */
  readonly summary?: string;
  /** Values later steps can use as `${steps.<id>.outputs.<name>}`. */
  readonly outputs: Readonly<Record<string, unknown>>;
}

export interface StepKind<P = unknown> {
  /** As written in a flow's `kind:` (e.g. `exec`, `services.start`). */
  readonly name: string;
  readonly summary: string;
  /** Validates the step's `with:`; its messages are shown at the flow's line and column. */
  readonly params: z.ZodType<P>;
  /** Whether the step needs `on:` (hosts). */
  readonly needsHosts: boolean;
  run(params: P, ctx: StepRunContext): Promise<StepOutcome>;
}

/** The kinds a flow may use. Features register theirs at start-up. */
export class KindRegistry {
  private readonly kinds = new Map<string, StepKind>();

  register<P>(kind: StepKind<P>): void {
    if (this.kinds.has(kind.name)) throw new Error(`step kind "${kind.name}" is registered twice`);
    this.kinds.set(kind.name, kind);
  }

  get(name: string): StepKind | undefined {
    return this.kinds.get(name);
  }

  names(): string[] {
    return [...this.kinds.keys()].sort();
  }

  all(): StepKind[] {
    return this.names().map((n) => this.kinds.get(n) as StepKind);
  }
}
