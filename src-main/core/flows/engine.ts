// Runs one flow run: steps in dependency order, each on its hosts through its kind, with
// `when`, retries with backoff, per-try timeouts, continue-on-error, outputs, pause/continue,
// confirmations and cancel. Every change goes through the recorder (SQLite + broadcast).
import { AppError } from '../../shared/errors';
import type { RunStatus, StepStatus } from '../../shared/models/flows';
import type { InventorySource } from '../fanout/exec-service';
import { targetsFor } from '../fanout/targets';
import { resolvePattern } from '../inventory/patterns';
import type { Executor } from '../ssh/types';
import { runKind, sleep, stepSignal } from './attempt';
import { interpolate, interpolateDeep, text, type Scope } from './expr';
import { durationMs } from './flow-schema';
import type { KindHost, KindRegistry, StepOutcome, StepRunContext } from './kinds/kind';
import type { ParsedFlow, ParsedStep } from './parse';
import type { RunRecorder } from './recorder';
import type { RunStore } from './store';

export interface EngineDeps {
  readonly store: RunStore;
  readonly kinds: KindRegistry;
  readonly executor: Executor;
  readonly inventory: InventorySource;
  /** Full-text index what the run logged so far (in the background). */
  readonly index: (n: number) => void;
}

const iso = (): string => new Date().toISOString();

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

interface StepState {
  status: StepStatus;
  outputs: Record<string, unknown>;
  continueOnError: boolean;
}

export class RunExecution {
  readonly controller = new AbortController();
  #paused = false;
  #resumeGate: (() => void) | undefined;
  #confirms = new Map<string, (a: { accepted: boolean; evidence: string; by?: string }) => void>();
  #status: RunStatus = 'queued';
  /** The app is shutting down: the store may be closed, record nothing more. */
  #gone = false;
  readonly #states = new Map<string, StepState>();

  constructor(
    private readonly deps: EngineDeps,
    private readonly n: number,
    readonly runId: string,
    private readonly flow: ParsedFlow,
    /** All input values, secrets included (memory only). */
    private readonly inputs: Readonly<Record<string, unknown>>,
    private readonly forks: number,
    readonly recorder: RunRecorder,
  ) {
    // Steps done in an earlier life of this run (resume) keep their result and outputs.
    for (const s of deps.store.steps(n)) {
      const def = flow.steps.find((d) => d.id === s.id);
      const coe = def?.['continue-on-error'] === true;
      const keep =
        s.status === 'succeeded' || s.status === 'skipped' || (s.status === 'failed' && coe);
      this.#states.set(s.id, {
        status: keep ? s.status : 'pending',
        outputs: keep ? { ...s.outputs } : {},
        continueOnError: coe,
      });
    }
  }

  get status(): RunStatus {
    return this.#status;
  }

  #setRun(status: RunStatus, error?: string): void {
    this.#status = status;
    if (this.#gone) return;
    const final = status === 'succeeded' || status === 'failed' || status === 'cancelled';
    this.deps.store.setRun(this.n, {
      status,
      ...(final ? { endedAt: iso() } : { endedAt: null }),
      error: error ?? null,
    });
    this.recorder.event({ type: 'run', status, ...(error ? { error } : {}) });
  }

  #setStep(
    step: ParsedStep,
    status: StepStatus,
    extra: Parameters<RunStore['setStep']>[2] = {},
    attempt = 0,
  ): void {
    const st = this.#states.get(step.id);
    if (st) st.status = status;
    if (this.#gone) return;
    // Secret input values never reach the store, whatever a command printed.
    const m = (v: string | null | undefined): string | null | undefined =>
      typeof v === 'string' ? this.recorder.mask(v) : v;
    extra = {
      ...extra,
      ...(extra.summary !== undefined ? { summary: m(extra.summary) } : {}),
      ...(extra.error !== undefined ? { error: m(extra.error) } : {}),
      ...(extra.outputs !== undefined
        ? {
            outputs: JSON.parse(this.recorder.mask(JSON.stringify(extra.outputs))) as Record<
              string,
              unknown
            >,
          }
        : {}),
    };
    this.deps.store.setStep(this.n, step.id, { status, ...extra });
    this.recorder.event({
      type: 'step',
      step: step.id,
      status,
      attempt,
      ...(extra.summary ? { summary: extra.summary } : {}),
      ...(extra.error ? { error: extra.error } : {}),
      ...(extra.outputs ? { outputs: extra.outputs } : {}),
    });
  }

  pause(): void {
    if (this.#paused || !['running', 'waiting'].includes(this.#status)) return;
    this.#paused = true;
    this.#setRun('paused');
  }

  continue(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#setRun('running');
    this.#resumeGate?.();
  }

  cancel(reason = 'cancelled by the user'): void {
    if (this.controller.signal.aborted) return;
    this.controller.abort(new AppError('cancelled', reason));
    this.#resumeGate?.();
    for (const [, answer] of this.#confirms) answer({ accepted: false, evidence: '' });
  }

  /** App shutdown: stop, and leave the stored run as the service records it (interrupted). */
  shutdown(): void {
    this.recorder.flush();
    this.#gone = true;
    this.recorder.close();
    this.cancel('the app is shutting down');
  }

  answer(step: string, accepted: boolean, evidence: string, by: string): boolean {
    const a = this.#confirms.get(step);
    if (!a) return false;
    a({ accepted, evidence, by });
    return true;
  }

  #scope(extra: Scope = {}): Scope {
    const steps: Record<string, unknown> = {};
    for (const [id, s] of this.#states) steps[id] = { outputs: s.outputs, status: s.status };
    return {
      inputs: this.inputs,
      vars: this.flow.vars,
      steps,
      hosts: this.deps.inventory.hosts().map((h) => h.name),
      run: { id: this.runId },
      ...extra,
    };
  }

  async execute(): Promise<RunStatus> {
    const signal = this.controller.signal;
    this.#setRun('running');
    let failure: string | undefined;
    for (const step of this.flow.steps) {
      const st = this.#states.get(step.id);
      if (st && st.status !== 'pending') continue;
      if (this.#paused) await new Promise<void>((r) => (this.#resumeGate = r));
      if (signal.aborted) break;
      const result = await this.#runStep(step);
      if (result === 'failed' && !step['continue-on-error']) {
        failure = `step "${step.id}" failed`;
        break;
      }
    }
    this.recorder.flush();
    if (signal.aborted) {
      for (const s of this.flow.steps) {
        if (this.#states.get(s.id)?.status === 'pending') this.#setStep(s, 'cancelled');
      }
      this.#setRun('cancelled', message(signal.reason));
    } else this.#setRun(failure ? 'failed' : 'succeeded', failure);
    this.deps.store.indexLogs(this.n);
    return this.#status;
  }

  #hosts(step: ParsedStep): KindHost[] {
    if (step.on === undefined) return [];
    const pattern = text(interpolate(step.on, this.#scope()));
    const inv = { hosts: this.deps.inventory.hosts(), groups: this.deps.inventory.groups() };
    const r = resolvePattern(pattern, inv);
    if (r.error)
      throw new AppError('invalid_input', `on: ${r.error.message} (column ${r.error.column})`);
    if (r.hosts.length === 0)
      throw new AppError('invalid_input', `on: "${pattern}" matches no host`);
    // A runbook step that silently skips a mistyped host would report success for it.
    if (r.unknown.length > 0)
      throw new AppError('invalid_input', `on: no host or group matches ${r.unknown.join(', ')}`);
    const targets = targetsFor(r.hosts, inv.hosts);
    return targets.map((t) => ({ name: t.name, target: t }));
  }

  async #runStep(step: ParsedStep): Promise<StepStatus> {
    const rec = this.recorder;
    const blocked = step.needsList.find((id) => {
      const s = this.#states.get(id);
      return !(s?.status === 'succeeded' || (s?.status === 'failed' && s.continueOnError));
    });
    if (blocked) {
      this.#setStep(step, 'skipped', { summary: `needs "${blocked}", which did not succeed` });
      return 'skipped';
    }
    const kind = this.deps.kinds.get(step.kind);
    let knownKind: NonNullable<typeof kind>;
    let hosts: KindHost[];
    let params: unknown;
    try {
      if (step.when !== undefined) {
        const v =
          typeof step.when === 'boolean' ? step.when : interpolate(step.when, this.#scope());
        if (!v || v === 'false') {
          this.#setStep(step, 'skipped', { summary: 'its condition is false' });
          return 'skipped';
        }
      }
      if (!kind) throw new AppError('invalid_input', `unknown step kind "${step.kind}"`);
      knownKind = kind;
      hosts = this.#hosts(step);
      const parsed = kind.params.safeParse(interpolateDeep(step.with ?? {}, this.#scope()));
      if (!parsed.success) {
        const i = parsed.error.issues[0];
        throw new AppError('invalid_input', `with.${i?.path.join('.')}: ${i?.message}`);
      }
      params = parsed.data;
    } catch (e) {
      this.#setStep(
        step,
        'failed',
        { startedAt: iso(), endedAt: iso(), error: message(e), attempts: 1 },
        1,
      );
      rec.log(step.id, null, 'system', `error: ${message(e)}`);
      return 'failed';
    }
    if (step.say) rec.log(step.id, null, 'info', step.say);
    const retries =
      step.retries === undefined
        ? 0
        : typeof step.retries === 'number'
          ? step.retries
          : step.retries.count;
    const backoff =
      typeof step.retries === 'object' && step.retries.backoff !== undefined
        ? durationMs(step.retries.backoff)
        : 1000;
    const tries = retries + 1;
    let outcome: StepOutcome = { ok: false, outputs: {} };
    let error: string | undefined;
    const startedAt = iso();
    for (let attempt = 1; attempt <= tries; attempt++) {
      if (this.#gone) break;
      this.deps.store.clearHosts(this.n, step.id);
      this.#setStep(
        step,
        'running',
        { attempts: attempt, startedAt, endedAt: null, error: null },
        attempt,
      );
      ({ outcome, error } = await this.#try(step, knownKind, params, hosts, attempt));
      if (outcome.ok || this.controller.signal.aborted) break;
      if (attempt < tries) {
        const wait = backoff * 2 ** (attempt - 1);
        rec.log(
          step.id,
          null,
          'system',
          `try ${attempt} of ${tries} failed; retrying in ${wait / 1000}s`,
        );
        await sleep(wait, this.controller.signal);
        if (this.controller.signal.aborted) break;
      }
    }
    const aborted = this.controller.signal.aborted;
    let outputs: Record<string, unknown> = { ...outcome.outputs };
    if (!aborted && step.outputs) {
      try {
        for (const [k, expr] of Object.entries(step.outputs)) {
          outputs[k] = interpolate(expr, this.#scope({ result: outcome.outputs }));
        }
      } catch (e) {
        error ??= `outputs: ${message(e)}`;
        outcome = { ...outcome, ok: false };
      }
    }
    outputs = JSON.parse(JSON.stringify(outputs)) as Record<string, unknown>;
    const status: StepStatus = aborted ? 'cancelled' : outcome.ok ? 'succeeded' : 'failed';
    const st = this.#states.get(step.id);
    if (st) st.outputs = outputs;
    if (error) rec.log(step.id, null, 'system', `error: ${error}`);
    this.#setStep(step, status, {
      endedAt: iso(),
      summary: outcome.summary ?? null,
      error: status === 'succeeded' ? null : (error ?? (aborted ? 'cancelled' : 'failed')),
      outputs,
    });
    if (!this.#gone) this.deps.index(this.n);
    return status;
  }

  async #try(
    step: ParsedStep,
    kind: NonNullable<ReturnType<KindRegistry['get']>>,
    params: unknown,
    hosts: KindHost[],
    attempt: number,
  ): Promise<{ outcome: StepOutcome; error?: string }> {
    const timeoutMs = step.timeout !== undefined ? durationMs(step.timeout) : undefined;
    const signal = stepSignal(this.controller.signal, timeoutMs);
    const positions = new Map(hosts.map((h, i) => [h.name, i]));
    const ctx: StepRunContext = {
      runId: this.runId,
      stepId: step.id,
      hosts,
      forks: this.forks,
      signal,
      executor: this.deps.executor,
      attempt,
      log: (line, o) => this.recorder.log(step.id, o?.host ?? null, o?.stream ?? 'info', line),
      hostStarted: (host) => {
        if (this.#gone) return;
        this.deps.store.setHost(
          this.n,
          step.id,
          host,
          positions.get(host) ?? 0,
          'running',
          null,
          iso(),
        );
        this.recorder.event({ type: 'host', step: step.id, host, status: 'running' });
      },
      hostResult: (host, r) => {
        const status = signal.aborted && !r.ok ? 'cancelled' : r.ok ? 'ok' : 'failed';
        if (this.#gone) return;
        r = {
          ...r,
          ...(r.summary !== undefined ? { summary: this.recorder.mask(r.summary) } : {}),
        };
        this.deps.store.setHost(
          this.n,
          step.id,
          host,
          positions.get(host) ?? 0,
          status,
          r.summary ?? null,
          iso(),
        );
        this.recorder.event({
          type: 'host',
          step: step.id,
          host,
          status,
          ...(r.summary ? { summary: r.summary } : {}),
        });
      },
      confirm: (prompt) => this.#confirm(step, prompt),
    };
    return runKind(kind, params, ctx, this.controller.signal, timeoutMs);
  }

  async #confirm(
    step: ParsedStep,
    prompt: string,
  ): Promise<{ accepted: boolean; evidence: string }> {
    if (this.controller.signal.aborted) return { accepted: false, evidence: '' };
    const confirm = { prompt, accepted: null, evidence: null, by: null, at: null };
    this.#setStep(step, 'waiting', { confirm });
    this.#setRun('waiting');
    this.recorder.event({ type: 'confirm', step: step.id, prompt });
    const answer = await new Promise<{ accepted: boolean; evidence: string; by?: string }>(
      (resolve) => this.#confirms.set(step.id, resolve),
    );
    this.#confirms.delete(step.id);
    if (this.#gone) return answer;
    const by = answer.by ?? null;
    this.deps.store.setStep(this.n, step.id, {
      confirm: { prompt, accepted: answer.accepted, evidence: answer.evidence, by, at: iso() },
    });
    this.recorder.log(
      step.id,
      null,
      'system',
      `${answer.accepted ? 'confirmed' : 'refused'}${by ? ` by ${by}` : ''}: ${answer.evidence}`,
    );
    if (!this.controller.signal.aborted) {
      this.#setStep(step, 'running');
      this.#setRun(this.#paused ? 'paused' : 'running');
    }
    return answer;
  }
}
