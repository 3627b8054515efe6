// The lines of a run kept in memory for the log pane: appended in batches, capped (the oldest go
// first; the full log stays in the store), and filtered by step and host without copying lines.
export type LogStreamName = 'stdout' | 'stderr' | 'info';

export interface LogLine {
  readonly seq: number;
  /** Milliseconds since the epoch. */
  readonly ts: number;
  readonly step: string | null;
  readonly host: string | null;
  readonly stream: LogStreamName;
  readonly text: string;
}

export interface LogFilter {
  readonly step: string | null;
  readonly host: string | null;
  /** Case-insensitive text search; '' for all lines. */
  readonly text: string;
}

export const ALL: LogFilter = { step: null, host: null, text: '' };

export class LogBuffer {
  /** Lines currently held; `lines[0]` has the absolute index `base`. */
  #lines: LogLine[] = [];
  #base = 0;
  /** Absolute indexes of the lines that pass the filter, ascending. */
  #matches: number[] = [];
  #filter: LogFilter = ALL;
  #needle = '';
  /** Lines dropped from the front because of the cap. */
  dropped = 0;

  constructor(readonly cap = 200_000) {}

  get total(): number {
    return this.#lines.length;
  }

  /** Lines that pass the filter. */
  get count(): number {
    return this.#matches.length;
  }

  get filter(): LogFilter {
    return this.#filter;
  }

  /** The i-th line that passes the filter. */
  at(i: number): LogLine | undefined {
    const abs = this.#matches[i];
    return abs === undefined ? undefined : this.#lines[abs - this.#base];
  }

  #passes(line: LogLine): boolean {
    const f = this.#filter;
    if (f.step !== null && line.step !== f.step) return false;
    if (f.host !== null && line.host !== f.host) return false;
    return this.#needle === '' || line.text.toLowerCase().includes(this.#needle);
  }

  push(lines: readonly LogLine[]): void {
    for (const line of lines) {
      const abs = this.#base + this.#lines.length;
      this.#lines.push(line);
      if (this.#passes(line)) this.#matches.push(abs);
    }
    // Trim in large steps so that a steady stream does not shift the array on every batch.
    if (this.#lines.length > this.cap + Math.max(1, this.cap >> 3)) this.#trim();
  }

  #trim(): void {
    const drop = this.#lines.length - this.cap;
    this.#lines.splice(0, drop);
    this.#base += drop;
    this.dropped += drop;
    let first = 0;
    while (first < this.#matches.length && (this.#matches[first] as number) < this.#base) first++;
    if (first > 0) this.#matches.splice(0, first);
  }

  setFilter(filter: LogFilter): void {
    this.#filter = filter;
    this.#needle = filter.text.trim().toLowerCase();
    this.#matches = [];
    this.#lines.forEach((line, i) => {
      if (this.#passes(line)) this.#matches.push(this.#base + i);
    });
  }

  clear(): void {
    this.#lines = [];
    this.#matches = [];
    this.#base = 0;
    this.dropped = 0;
  }

  /** Every held line, in order (for copying or the presenter's output panel). */
  tail(n: number, filter: LogFilter = this.#filter): LogLine[] {
    const out: LogLine[] = [];
    for (let i = this.#lines.length - 1; i >= 0 && out.length < n; i--) {
      const line = this.#lines[i] as LogLine;
      if (
        (filter.step === null || line.step === filter.step) &&
        (filter.host === null || line.host === filter.host)
      )
        out.push(line);
    }
    return out.reverse();
  }
}
