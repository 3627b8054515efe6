// Full-text indexing of run logs in the background: when a step ends its lines go into FTS5 in
// chunks, yielding to the event loop between chunks, so the live view never waits for it.
// Lines not yet indexed are still found (queries.ts searches them by substring).
import type { RunStore } from './store';

/** Lines per chunk: a few tens of ms each on a loaded machine. */
export const INDEX_CHUNK = 5000;

export class LogIndexer {
  readonly #queue = new Set<number>();
  #running = false;
  #disposed = false;

  constructor(private readonly store: RunStore) {}

  /** Index what run `n` has logged so far (soon, in the background). */
  request(n: number): void {
    if (this.#disposed) return;
    this.#queue.add(n);
    if (!this.#running) {
      this.#running = true;
      setImmediate(() => this.#work());
    }
  }

  /** Runs whose log is not fully indexed (an app that stopped while indexing). */
  catchUp(skip: (n: number) => boolean): void {
    const rows = this.store.db
      .prepare('SELECT n FROM flow_runs WHERE fts_seq < last_seq')
      .all() as { n: number }[];
    for (const r of rows) if (!skip(r.n)) this.request(r.n);
  }

  /** Resolves when the queue is empty (tests, shutdown of a CLI run). */
  async idle(): Promise<void> {
    while (this.#running && !this.#disposed) await new Promise((r) => setTimeout(r, 10));
  }

  dispose(): void {
    this.#disposed = true;
    this.#queue.clear();
  }

  #work(): void {
    if (this.#disposed) return;
    const next = this.#queue.values().next();
    if (next.done) {
      this.#running = false;
      return;
    }
    const n = next.value;
    let more: boolean;
    try {
      more = this.store.indexLogs(n, undefined, INDEX_CHUNK);
    } catch {
      more = false; // the run was deleted, or the store is closing
    }
    if (!more) this.#queue.delete(n);
    setImmediate(() => this.#work());
  }
}
