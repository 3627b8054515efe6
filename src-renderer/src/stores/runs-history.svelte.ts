// Run history: the list with its search and filters (status, flow, date), newest first.
import type { RunStatus, RunSummary } from '@shared/models/flows';

import { backend } from '../platform/backend';
import { errorMessage } from './errors';

const PAGE = 100;
const SEARCH_DELAY_MS = 200;

export type DateRange = 'any' | 'today' | 'week' | 'month';

function startOf(range: DateRange): number {
  const now = Date.now();
  if (range === 'today') {
    // A value, not state: nothing mutates it after setHours.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const d = new Date();
    d.setHours(0, 0, 0, 0);
    return d.getTime();
  }
  if (range === 'week') return now - 7 * 86_400_000;
  if (range === 'month') return now - 30 * 86_400_000;
  return 0;
}

export class RunsHistoryStore {
  query = $state('');
  inLog = $state(false);
  status = $state<RunStatus | ''>('');
  flow = $state('');
  range = $state<DateRange>('any');
  runs = $state.raw<RunSummary[]>([]);
  more = $state(false);
  loading = $state(false);
  error = $state('');
  #seq = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Runs on screen after the date filter (the list request has no lower date bound). */
  readonly shown: RunSummary[] = $derived.by(() => {
    const from = startOf(this.range);
    return from === 0 ? this.runs : this.runs.filter((r) => Date.parse(r.startedAt) >= from);
  });

  reloadSoon(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.reload(), SEARCH_DELAY_MS);
  }

  async reload(append = false): Promise<void> {
    clearTimeout(this.#timer);
    const seq = ++this.#seq;
    this.loading = true;
    const before = append ? this.runs.at(-1)?.startedAt : undefined;
    try {
      const q = this.query.trim();
      const page = await backend.call('runs.list', {
        inLog: this.inLog,
        limit: PAGE,
        ...(q ? { query: q } : {}),
        ...(this.status ? { status: this.status } : {}),
        ...(this.flow ? { flow: this.flow } : {}),
        ...(before ? { before } : {}),
      });
      if (seq !== this.#seq) return;
      this.runs = append ? [...this.runs, ...page.runs] : page.runs;
      this.more = page.more;
      this.error = '';
    } catch (err) {
      if (seq === this.#seq) this.error = errorMessage(err);
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }
}

export const runsHistory = new RunsHistoryStore();
