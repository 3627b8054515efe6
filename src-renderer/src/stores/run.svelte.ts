// "Run on hosts": the form, the pattern preview, and the live state of one fan-out at a time.
// Output arrives in many small chunks: they are queued and applied once per animation frame,
// and each host's row is its own piece of state, so a chunk re-renders one row, not the table.
import { AppError, fieldErrors } from '@shared/errors';
import type { PatternPreview } from '@shared/models/exec';
import type {
  ExecReport,
  FanoutCounts,
  FanoutEvent,
  HostErrorKind,
  HostResult,
  HostState,
} from '@shared/models/fanout';

import { backend } from '../platform/backend';
import { errorMessage } from './errors';

/** Live output kept per host while it runs (the final result replaces it). */
const LIVE_LIMIT = 256 * 1024;
const PREVIEW_DELAY_MS = 180;

function lastLineOf(text: string): string {
  const lines = text.slice(-4096).split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = (lines[i] as string).replace(/\r$/, '').trim();
    if (line) return line.length > 300 ? `${line.slice(0, 300)}…` : line;
  }
  return '';
}

export class HostRun {
  state = $state<HostState>('queued');
  exitCode = $state<number | null>(null);
  signal = $state<string | null>(null);
  durationMs = $state<number | null>(null);
  error = $state<string | null>(null);
  errorKind = $state<HostErrorKind | null>(null);
  stdout = $state('');
  stderr = $state('');
  truncated = $state(false);
  lastLine = $state('');
  startedAt = 0;

  constructor(readonly host: string) {}

  start(): void {
    this.state = 'running';
    this.startedAt = Date.now();
  }

  append(stream: 'stdout' | 'stderr', text: string): void {
    const current = this[stream];
    if (current.length < LIVE_LIMIT)
      this[stream] = current + text.slice(0, LIVE_LIMIT - current.length);
    else this.truncated = true;
    const line = lastLineOf(text);
    if (line) this.lastLine = line;
  }

  finish(r: HostResult): void {
    this.state = r.state;
    this.exitCode = r.exitCode;
    this.signal = r.signal;
    this.durationMs = r.durationMs;
    this.error = r.error;
    this.errorKind = r.errorKind;
    this.stdout = r.stdout;
    this.stderr = r.stderr;
    this.truncated = r.truncated;
    this.lastLine = lastLineOf(r.stdout) || lastLineOf(r.stderr) || this.lastLine;
  }
}

export interface RunRequest {
  readonly pattern: string;
  readonly argv: readonly string[];
  readonly forks: number;
  readonly timeoutSec: number | undefined;
}

export class RunStore {
  // The form: kept here so that it survives a visit to another screen.
  pattern = $state('');
  command = $state('');
  useShell = $state(false);
  forks = $state('10');
  timeout = $state('');

  preview = $state.raw<PatternPreview | null>(null);
  previewError = $state('');

  running = $state(false);
  cancelling = $state(false);
  rows = $state.raw<HostRun[]>([]);
  counts = $state.raw<FanoutCounts | null>(null);
  report = $state.raw<ExecReport | null>(null);
  /** The request of the last run (for "run again"). */
  last = $state.raw<RunRequest | null>(null);
  /** Set when the run was cancelled and no report came back. */
  cancelled = $state(false);
  error = $state('');
  fieldErrors = $state.raw<Record<string, string>>({});
  /** Ticks while running, for the elapsed time of running hosts. */
  now = $state(Date.now());

  #abort: AbortController | null = null;
  // Not reactive on purpose: `rows` is the reactive list; this is only the index into it.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #byHost = new Map<string, HostRun>();
  #queue: FanoutEvent[] = [];
  #scheduled = false;
  #previewTimer: ReturnType<typeof setTimeout> | undefined;
  #previewSeq = 0;
  #previewFor = '';

  /** Asks for the hosts the pattern selects, once typing pauses. */
  previewSoon(pattern: string): void {
    clearTimeout(this.#previewTimer);
    const seq = ++this.#previewSeq;
    if (pattern.trim() === '') {
      this.preview = null;
      this.previewError = '';
      return;
    }
    this.#previewTimer = setTimeout(() => void this.#loadPreview(pattern, seq), PREVIEW_DELAY_MS);
  }

  async #loadPreview(pattern: string, seq: number): Promise<void> {
    try {
      const preview = await backend.call('inventory.preview', { pattern });
      if (seq !== this.#previewSeq) return;
      this.preview = preview;
      this.#previewFor = pattern;
      this.previewError = '';
    } catch (err) {
      if (seq === this.#previewSeq) this.previewError = errorMessage(err);
    }
  }

  async run(req: RunRequest): Promise<void> {
    if (this.running) return;
    this.#abort = new AbortController();
    this.running = true;
    this.cancelling = false;
    this.error = '';
    this.fieldErrors = {};
    this.report = null;
    this.cancelled = false;
    this.counts = null;
    this.last = req;
    this.#queue = [];
    this.#byHost.clear();
    // The preview is the best guess of the targets: their rows show as queued at once.
    const p = this.preview;
    const expected = p && !p.error && this.#previewFor === req.pattern ? p.hosts : [];
    this.rows = expected.map((h) => this.#row(h));
    const ticker = setInterval(() => (this.now = Date.now()), 500);
    try {
      const input = {
        pattern: req.pattern,
        argv: [...req.argv],
        forks: req.forks,
        ...(req.timeoutSec !== undefined ? { timeoutSec: req.timeoutSec } : {}),
      };
      const report = await backend.call('exec.run', input, {
        signal: this.#abort.signal,
        onChunk: (event) => this.#enqueue(event),
      });
      this.#flush();
      this.#applyReport(report);
    } catch (err) {
      this.#flush();
      if (err instanceof AppError && err.code === 'cancelled') this.#markCancelled();
      else {
        this.error = errorMessage(err);
        this.fieldErrors = fieldErrors(err);
      }
    } finally {
      clearInterval(ticker);
      this.running = false;
      this.cancelling = false;
      this.#abort = null;
    }
  }

  cancel(): void {
    if (!this.#abort || this.cancelling) return;
    this.cancelling = true;
    this.#abort.abort();
  }

  #row(host: string): HostRun {
    let row = this.#byHost.get(host);
    if (!row) {
      row = new HostRun(host);
      this.#byHost.set(host, row);
    }
    return row;
  }

  #enqueue(event: FanoutEvent): void {
    this.#queue.push(event);
    if (this.#scheduled) return;
    this.#scheduled = true;
    // requestAnimationFrame does not fire in a hidden tab: the timer covers that case.
    const frame = requestAnimationFrame(() => this.#flush());
    const timer = setTimeout(() => this.#flush(), 250);
    this.#cancelSchedule = () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }

  #cancelSchedule: () => void = () => {};

  #flush(): void {
    this.#cancelSchedule();
    this.#scheduled = false;
    const events = this.#queue;
    this.#queue = [];
    let added = false;
    for (const e of events) {
      if (e.type === 'progress') {
        this.counts = e.counts;
        continue;
      }
      added ||= !this.#byHost.has(e.host);
      const row = this.#row(e.host);
      if (e.type === 'host-started') row.start();
      else if (e.type === 'output') row.append(e.stream, e.text);
      else row.finish(e.result);
    }
    if (added) this.rows = [...this.#byHost.values()];
  }

  #applyReport(report: ExecReport): void {
    for (const r of report.hosts) this.#row(r.host).finish(r);
    this.rows = report.hosts.map((r) => this.#row(r.host));
    this.report = report;
  }

  #markCancelled(): void {
    this.cancelled = true;
    for (const row of this.rows) {
      if (row.state === 'queued' || row.state === 'running') row.state = 'cancelled';
    }
  }
}

export const run = new RunStore();
