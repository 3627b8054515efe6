// Flow runs as a service: start (in the background, independent of the caller), control
// (cancel, pause, continue, confirm), resume after a crash, and everything the history, the live
// view, reports and replay read. Secret inputs live in memory only.
import { randomBytes } from 'node:crypto';

import { AppError } from '../../shared/errors';
import {
  FINAL_RUN_STATUSES,
  type ReportFormat,
  type RunDetail,
  type RunEvent,
  type RunLogPage,
  type RunReport,
  type RunStatus,
  type RunTimelinePage,
} from '../../shared/models/flows';
import type { InventorySource } from '../fanout/exec-service';
import type { Executor } from '../ssh/types';
import type { Db } from '../store/database';
import { RunExecution } from './engine';
import { MASK, resolveInputs, withoutSecrets } from './inputs';
import type { KindRegistry } from './kinds/kind';
import { LogIndexer } from './indexer';
import { FlowLibraryReader } from './library';
import type { ParsedFlow } from './parse';
import { listRuns, logPage, timeline, type ListQuery, type LogQuery } from './queries';
import { RunRecorder } from './recorder';
import { renderReport } from './reports';
import { RunStore, type RunRow } from './store';

export interface FlowsServiceDeps {
  readonly db: Db;
  readonly kinds: KindRegistry;
  readonly executor: Executor;
  readonly inventory: InventorySource;
  readonly builtinDir: () => string;
  readonly userDir: string;
  readonly publish: (e: RunEvent) => void;
}

export interface StartOptions {
  readonly actor: string;
  /** Another inventory than the app's (the CLI's `-i FILE`). */
  readonly inventory?: InventorySource;
  /** The flow's text when already read (else read from `file`). */
  readonly text?: string;
}

const DEFAULT_FORKS = 10;

function newRunId(): string {
  const t = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${t}-${randomBytes(3).toString('hex')}`;
}

function alive(pid: number | null): boolean {
  if (pid === null) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

interface Active {
  readonly exec: RunExecution;
  readonly done: Promise<RunStatus>;
}

export class FlowsService {
  readonly store: RunStore;
  readonly library: FlowLibraryReader;
  readonly #active = new Map<string, Active>();
  readonly #listeners = new Set<(e: RunEvent) => void>();
  readonly #publish = (e: RunEvent): void => {
    this.deps.publish(e);
    for (const l of this.#listeners) l(e);
  };

  /** The step kinds flows may use (every feature's), for the published JSON Schema. */
  kinds(): ReturnType<KindRegistry['all']> {
    return this.deps.kinds.all();
  }

  /** Every run event of this process (the CLI's live progress); returns the unsubscribe. */
  subscribe(listener: (e: RunEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  readonly indexer: LogIndexer;

  constructor(private readonly deps: FlowsServiceDeps) {
    this.store = new RunStore(deps.db);
    this.indexer = new LogIndexer(this.store);
    this.library = new FlowLibraryReader(deps.kinds, deps.builtinDir, deps.userDir);
    this.#interruptOrphans();
    // Logs an earlier process did not finish indexing (runs active elsewhere are left alone).
    const activeElsewhere = new Set(
      (
        deps.db
          .prepare(
            "SELECT n, owner_pid FROM flow_runs WHERE status IN ('queued', 'running', 'paused', 'waiting')",
          )
          .all() as { n: number; owner_pid: number | null }[]
      ).map((r) => r.n),
    );
    this.indexer.catchUp((n) => activeElsewhere.has(n));
  }

  /** Runs whose process is gone (killed, crashed) are `interrupted`; resume continues them. */
  #interruptOrphans(): void {
    const rows = this.deps.db
      .prepare(
        "SELECT n, owner_pid FROM flow_runs WHERE status IN ('queued', 'running', 'paused', 'waiting')",
      )
      .all() as { n: number; owner_pid: number | null }[];
    for (const r of rows) {
      if (alive(r.owner_pid)) continue;
      this.store.setRun(r.n, {
        status: 'interrupted',
        endedAt: new Date().toISOString(),
        error: 'the app stopped while this run was active',
      });
      this.deps.db
        .prepare(
          "UPDATE flow_run_steps SET status = 'interrupted' WHERE run_n = ? AND status IN ('running', 'waiting')",
        )
        .run(r.n);
    }
  }

  #row(id: string): RunRow {
    const row = this.store.run(id);
    if (!row) throw AppError.field('not_found', 'id', `there is no run "${id}"`);
    return row;
  }

  #launch(
    row: RunRow,
    flow: ParsedFlow,
    inputs: Record<string, unknown>,
    inventory?: InventorySource,
  ): void {
    const secrets = flow.inputs
      .filter((s) => s.type === 'secret')
      .map((s) => inputs[s.name])
      .filter((v): v is string => typeof v === 'string');
    const recorder = new RunRecorder(
      this.store,
      row.n,
      row.id,
      row.last_seq,
      secrets,
      this.#publish,
    );
    const exec = new RunExecution(
      {
        store: this.store,
        kinds: this.deps.kinds,
        executor: this.deps.executor,
        inventory: inventory ?? this.deps.inventory,
        index: (n) => this.indexer.request(n),
      },
      row.n,
      row.id,
      flow,
      inputs,
      row.forks,
      recorder,
    );
    const done = exec
      .execute()
      .catch((e: unknown): RunStatus => {
        const msg = e instanceof Error ? e.message : String(e);
        try {
          recorder.flush();
          this.store.setRun(row.n, {
            status: 'failed',
            endedAt: new Date().toISOString(),
            error: msg,
          });
          recorder.event({ type: 'run', status: 'failed', error: msg });
        } catch {
          // The store is closed (shutdown): the run is recorded as interrupted already.
        }
        return 'failed';
      })
      .finally(() => this.#active.delete(row.id));
    this.#active.set(row.id, { exec, done });
  }

  start(
    req: {
      file: string;
      inputs: Record<string, string | number | boolean>;
      forks?: number | undefined;
    },
    o: StartOptions,
  ): { runId: string } {
    const inventory = o.inventory ?? this.deps.inventory;
    const flow = this.library.load(req.file, o.text);
    const inputs = resolveInputs(flow.inputs, req.inputs, inventory);
    const id = newRunId();
    const n = this.store.createRun({
      id,
      flowId: flow.id,
      flowTitle: flow.title,
      file: flow.file,
      flowText: flow.text,
      inputs: withoutSecrets(flow.inputs, inputs),
      secretNames: flow.inputs.filter((s) => s.type === 'secret').map((s) => s.name),
      forks: req.forks ?? DEFAULT_FORKS,
      actor: o.actor,
      startedAt: new Date().toISOString(),
    });
    this.store.addSteps(
      n,
      flow.steps.map((s) => ({
        id: s.id,
        title: s.title ?? s.id,
        kind: s.kind,
        say: s.say ?? null,
        needs: s.needsList,
      })),
    );
    this.#launch(this.store.run(n) as RunRow, flow, inputs, inventory);
    return { runId: id };
  }

  /** An interrupted, failed or cancelled run goes on from its unfinished steps. */
  resume(
    id: string,
    given: Record<string, string | number | boolean>,
    o: Omit<StartOptions, 'text'>,
  ): { runId: string } {
    const row = this.#row(id);
    if (this.#active.has(id)) throw new AppError('conflict', `run ${id} is still running`);
    if (!['interrupted', 'failed', 'cancelled'].includes(row.status)) {
      throw new AppError(
        'conflict',
        `run ${id} is ${row.status}; only interrupted, failed or cancelled runs resume`,
      );
    }
    const flow = this.library.load(row.file, row.flow_text);
    const stored = JSON.parse(row.inputs) as Record<string, string | number | boolean>;
    const inventory = o.inventory ?? this.deps.inventory;
    const inputs = resolveInputs(flow.inputs, { ...stored, ...given }, inventory);
    this.deps.db.prepare('UPDATE flow_runs SET owner_pid = ? WHERE n = ?').run(process.pid, row.n);
    this.store.setRun(row.n, { status: 'queued', endedAt: null, error: null });
    this.deps.db
      .prepare(
        `UPDATE flow_run_steps SET status = 'pending', attempts = 0, error = NULL, summary = NULL
         WHERE run_n = ? AND status NOT IN ('succeeded', 'skipped')`,
      )
      .run(row.n);
    this.#launch(this.#row(id), flow, inputs, inventory);
    return { runId: id };
  }

  /** Resolves when the run ends (at once for a run that is not active). */
  async done(id: string): Promise<RunStatus> {
    const a = this.#active.get(id);
    return a ? a.done : this.#row(id).status;
  }

  #exec(id: string): RunExecution {
    const a = this.#active.get(id);
    if (!a) throw new AppError('conflict', `run ${this.#row(id).id} is not active here`);
    return a.exec;
  }

  cancel(id: string): { status: RunStatus } {
    this.#exec(id).cancel();
    return { status: 'cancelled' };
  }

  pause(id: string): { status: RunStatus } {
    const e = this.#exec(id);
    e.pause();
    return { status: e.status };
  }

  continue(id: string): { status: RunStatus } {
    const e = this.#exec(id);
    e.continue();
    return { status: e.status };
  }

  confirm(
    id: string,
    step: string,
    accept: boolean,
    evidence: string,
    by: string,
  ): { status: RunStatus } {
    const e = this.#exec(id);
    if (!e.answer(step, accept, evidence, by)) {
      throw new AppError(
        'conflict',
        `step "${step}" of run ${id} is not waiting for a confirmation`,
      );
    }
    return { status: e.status };
  }

  get(id: string): RunDetail {
    const row = this.#row(id);
    const secretNames = JSON.parse(row.secret_names) as string[];
    const inputs: Record<string, unknown> = JSON.parse(row.inputs) as Record<string, unknown>;
    for (const s of secretNames) inputs[s] = MASK;
    this.#active.get(id)?.exec.recorder.flush();
    const fresh = this.#row(id);
    return {
      ...this.store.summary(fresh),
      inputs,
      secretInputs: secretNames,
      forks: fresh.forks,
      steps: this.store.steps(fresh.n),
      lastSeq: fresh.last_seq,
    };
  }

  list(q: ListQuery): ReturnType<typeof listRuns> {
    return listRuns(this.store, q);
  }

  log(id: string, q: LogQuery): RunLogPage {
    this.#active.get(id)?.exec.recorder.flush();
    return logPage(this.store, this.#row(id), q);
  }

  timeline(id: string, afterSeq: number, limit: number): RunTimelinePage {
    return timeline(this.store, this.#row(id), afterSeq, limit);
  }

  report(id: string, format: ReportFormat): RunReport {
    const run = this.get(id);
    const excerpt = (step: string, host: string | null, n: number): string[] =>
      logPage(this.store, this.#row(id), {
        step,
        ...(host ? { host } : {}),
        limit: n,
        tail: true,
      }).lines.map((l) => l.text);
    return renderReport(run, format, excerpt);
  }

  delete(id: string): { deleted: string } {
    const row = this.#row(id);
    if (!FINAL_RUN_STATUSES.includes(row.status) && row.status !== 'interrupted') {
      throw new AppError('conflict', `run ${id} is ${row.status}; cancel it first`);
    }
    this.store.deleteRun(row.n);
    return { deleted: id };
  }

  /** App shutdown: stop every active run and record it as interrupted (resume continues it). */
  dispose(): void {
    this.indexer.dispose();
    const ids = [...this.#active.keys()];
    for (const [, a] of this.#active) a.exec.shutdown();
    for (const id of ids) {
      const row = this.store.run(id);
      if (row) {
        this.store.setRun(row.n, {
          status: 'interrupted',
          endedAt: new Date().toISOString(),
          error: 'the app stopped while this run was active',
        });
      }
    }
  }
}
