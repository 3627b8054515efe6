// Records one run as it happens: every event and output line gets the next seq, lines are
// buffered for at most FLUSH_MS (or FLUSH_LINES) and written in one short transaction, events
// are written at once (after the lines before them). Everything is also broadcast live; a flood
// of lines is sent as its last LIVE_LINES lines plus a count of the others.
import type { RunEvent, RunEventBody, RunLogLine, RunLogStream } from '../../shared/models/flows';
import type { LogRowIn, RunStore } from './store';

export const FLUSH_MS = 50;
export const FLUSH_LINES = 4096;
export const LIVE_LINES = 500;
const MAX_LINE = 64 * 1024;

export class RunRecorder {
  #seq: number;
  #buf: LogRowIn[] = [];
  #timer: NodeJS.Timeout | undefined;
  #secrets: string[];
  #closed = false;

  constructor(
    private readonly store: RunStore,
    private readonly n: number,
    readonly runId: string,
    lastSeq: number,
    secrets: readonly string[],
    private readonly publish: (e: RunEvent) => void,
  ) {
    this.#seq = lastSeq;
    // Longest first, so a secret containing another is masked whole.
    this.#secrets = secrets.filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
  }

  get lastSeq(): number {
    return this.#seq;
  }

  mask(text: string): string {
    let t = text;
    for (const s of this.#secrets) if (t.includes(s)) t = t.split(s).join('••••••');
    return t;
  }

  /** Nothing more is recorded (the store is closing). */
  close(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#buf = [];
    this.#closed = true;
  }

  log(step: string | null, host: string | null, stream: RunLogStream, text: string): void {
    if (this.#closed) return;
    const t = this.mask(text.length > MAX_LINE ? `${text.slice(0, MAX_LINE)}…` : text);
    this.#buf.push({ seq: ++this.#seq, at: Date.now(), step, host, stream, text: t });
    if (this.#buf.length >= FLUSH_LINES) this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  event(body: RunEventBody): RunEvent {
    this.flush();
    const e = { ...body, runId: this.runId, seq: ++this.#seq, at: Date.now() } as RunEvent;
    if (this.#closed) return e;
    this.store.addEvent(this.n, e.seq, e.at, body);
    this.#send(e);
    return e;
  }

  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const rows = this.#buf;
    if (rows.length === 0 || this.#closed) return;
    this.#buf = [];
    this.store.addLogs(this.n, rows);
    const live = rows.length > LIVE_LINES ? rows.slice(-LIVE_LINES) : rows;
    const lines: RunLogLine[] = live.map((r) => ({ ...r }));
    const last = rows.at(-1) as LogRowIn;
    this.#send({
      runId: this.runId,
      seq: last.seq,
      at: last.at,
      type: 'log',
      lines,
      ...(rows.length > live.length ? { omitted: rows.length - live.length } : {}),
    });
  }

  #send(e: RunEvent): void {
    try {
      this.publish(e);
    } catch {
      // A face that cannot take the event must not stop the run.
    }
  }
}
