// API checks: the Keystone connection (without its password: that stays in the form that asked
// for it and goes to the backend with the run), the suites, one run at a time with results
// streamed per check, and each check's recent history for its trend.
import { AppError, fieldErrors } from '@shared/errors';
import type {
  CheckDefInput,
  CheckEvent,
  CheckHistoryEntry,
  CheckResult,
  CheckRunReport,
  CheckRunSummary,
  KeystoneSummary,
  SuiteSummary,
} from '@shared/models/checks';

import { backend } from '../platform/backend';
import { runInput, type ConnectionFields } from './checks-input';
import { errorMessage } from './errors';

export type { ConnectionFields };

/** Runs of a check shown in its trend. */
export const TREND_RUNS = 20;

export interface CheckRow {
  readonly id: string;
  readonly name: string;
  readonly service: string | undefined;
  readonly state: 'pending' | 'running' | 'done';
  readonly result: CheckResult | null;
}

export class ChecksStore {
  conn = $state<ConnectionFields>({
    url: '',
    user: 'admin',
    project: 'admin',
    region: '',
    userDomain: 'Default',
    projectDomain: 'Default',
    iface: 'public',
    via: '',
    ca: '',
    insecure: false,
    enforceBudgets: true,
  });

  suites = $state.raw<SuiteSummary[]>([]);
  suitesLoaded = $state(false);
  suitesError = $state('');
  suite = $state('');

  running = $state(false);
  rows = $state.raw<CheckRow[]>([]);
  keystone = $state.raw<KeystoneSummary | null>(null);
  tunnel = $state.raw<{ via: string; remote: string; local: string } | null>(null);
  report = $state.raw<CheckRunReport | null>(null);
  cancelled = $state(false);
  error = $state('');
  fieldErrors = $state.raw<Record<string, string>>({});

  /** Recent results per check id, newest first. */
  history = $state.raw<Record<string, CheckHistoryEntry[]>>({});
  runs = $state.raw<CheckRunSummary[]>([]);
  historyError = $state('');

  #abort: AbortController | null = null;
  #off: (() => void) | null = null;

  readonly current: SuiteSummary | undefined = $derived(
    this.suites.find((s) => s.name === this.suite),
  );

  /** Loads suites and history once; listens for finished runs (from any face). */
  start(): void {
    if (this.#off) return;
    this.#off = backend.on('checks.finished', () => void this.loadHistory());
    void this.loadSuites();
    void this.loadHistory();
  }

  async loadSuites(): Promise<void> {
    try {
      const suites = await backend.call('checks.suites', {});
      this.suites = suites;
      this.suitesError = '';
      if (!suites.some((s) => s.name === this.suite))
        this.suite = (suites.find((s) => s.name === 'flock') ?? suites[0])?.name ?? '';
    } catch (err) {
      this.suitesError = errorMessage(err);
    } finally {
      this.suitesLoaded = true;
    }
  }

  async loadHistory(): Promise<void> {
    try {
      const [entries, runs] = await Promise.all([
        backend.call('checks.history', { limit: 1000 }),
        backend.call('checks.runs', { limit: 20 }),
      ]);
      const byId: Record<string, CheckHistoryEntry[]> = {};
      for (const e of entries) {
        const key = `${e.suite}/${e.id}`;
        const list = (byId[key] ??= []);
        if (list.length < TREND_RUNS) list.push(e);
      }
      this.history = byId;
      this.runs = runs;
      this.historyError = '';
    } catch (err) {
      this.historyError = errorMessage(err);
    }
  }

  trendOf(suite: string, id: string): CheckHistoryEntry[] {
    return this.history[`${suite}/${id}`] ?? [];
  }

  /** Runs the chosen suite; `password` is passed through, never kept here. */
  async run(password: string): Promise<void> {
    const suite = this.current;
    if (this.running || !suite) return;
    this.#abort = new AbortController();
    this.running = true;
    this.cancelled = false;
    this.error = '';
    this.fieldErrors = {};
    this.report = null;
    this.pastRun = null;
    this.keystone = null;
    this.tunnel = null;
    this.rows = suite.checks.map((c) => ({
      id: c.id,
      name: c.name ?? c.id,
      service: c.service,
      state: 'pending',
      result: null,
    }));
    try {
      const report = await backend.call('checks.run', runInput(this.conn, suite.name, password), {
        signal: this.#abort.signal,
        onChunk: (e) => this.#event(e),
      });
      this.report = report;
      this.keystone = report.keystone ?? this.keystone;
      this.rows = report.results.map((r) => ({
        id: r.id,
        name: r.name,
        service: r.service,
        state: 'done',
        result: r,
      }));
    } catch (err) {
      if (err instanceof AppError && err.code === 'cancelled') {
        this.cancelled = true;
        this.rows = this.rows.filter((r) => r.state === 'done');
      } else {
        this.error = errorMessage(err);
        this.fieldErrors = fieldErrors(err);
      }
    } finally {
      this.running = false;
      this.#abort = null;
    }
  }

  /** Shows a past run (from history) in the results panel; null when it is the latest run. */
  pastRun = $state.raw<string | null>(null);
  pastError = $state('');

  async showRun(runId: string): Promise<void> {
    if (this.running) return;
    this.pastError = '';
    try {
      const report = await backend.call('checks.report', { runId });
      this.report = report;
      this.keystone = report.keystone ?? null;
      this.tunnel = null;
      this.cancelled = false;
      this.error = '';
      this.rows = report.results.map((r) => ({
        id: r.id,
        name: r.name,
        service: r.service,
        state: 'done',
        result: r,
      }));
      this.pastRun = runId === this.runs[0]?.runId ? null : report.startedAt;
    } catch (err) {
      this.pastError = errorMessage(err);
    }
  }

  cancel(): void {
    this.#abort?.abort();
  }

  #event(e: CheckEvent): void {
    if (e.type === 'keystone') this.keystone = e.keystone;
    else if (e.type === 'tunnel') this.tunnel = { via: e.via, remote: e.remote, local: e.local };
    else if (e.type === 'started') this.#row(e.id, (r) => ({ ...r, state: 'running' }));
    else
      this.#row(e.result.id, (r) => ({
        ...r,
        name: e.result.name,
        state: 'done',
        result: e.result,
      }));
  }

  #row(id: string, update: (r: CheckRow) => CheckRow): void {
    const known = this.rows.some((r) => r.id === id);
    const base: CheckRow = { id, name: id, service: undefined, state: 'pending', result: null };
    this.rows = known
      ? this.rows.map((r) => (r.id === id ? update(r) : r))
      : [...this.rows, update(base)];
  }

  /** Adds (or replaces, by id) `check` in the user suite `suiteName`, creating it if needed. */
  async saveCheck(suiteName: string, check: CheckDefInput): Promise<SuiteSummary> {
    const existing = this.suites.find((s) => s.name === suiteName && s.source === 'user');
    const others = (existing?.checks ?? []).filter((c) => c.id !== check.id);
    const saved = await backend.call('checks.save', {
      name: suiteName,
      ...(existing ? { title: existing.title, description: existing.description } : {}),
      checks: [...others, check],
    });
    await this.loadSuites();
    this.suite = saved.name;
    return saved;
  }

  async deleteSuite(name: string): Promise<void> {
    await backend.call('checks.delete', { name });
    await this.loadSuites();
  }
}

export const checks = new ChecksStore();
