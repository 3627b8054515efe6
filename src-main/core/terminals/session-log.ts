// Records one terminal session as asciicast v2 (https://docs.asciinema.org/manual/asciicast/v2/):
// a JSON header line, then `[seconds, "o", output]` and `[seconds, "r", "COLSxROWS"]` lines.
// Input is never recorded. Files are 0600 in 0700 folders; a file that reaches the size cap is
// continued in a new part with its own header. Writes are batched and one is in flight at a time;
// `backlog` lets the session pause its source when the disk falls behind (nothing is dropped).
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

export interface SessionLogOptions {
  /** The logs root (<dataDir>/terminal-logs). */
  readonly root: string;
  /** Folder name under root: the inventory host name (or localhost). */
  readonly host: string;
  /** File name stem, unique per session (e.g. 20260101T120000Z-t-abc123). */
  readonly stem: string;
  readonly title: string;
  readonly cols: number;
  readonly rows: number;
  readonly term: string;
  /** Start a new part once a file holds this many bytes. */
  readonly maxFileBytes: number;
  /** A write failed: the log stops, the terminal goes on. */
  readonly onError: (message: string) => void;
  /** A new file (first or next part) was started. */
  readonly onFile?: (id: string) => void;
  /** The backlog fell to zero. */
  readonly onDrain?: () => void;
}

const FLUSH_BYTES = 256 * 1024;
const FLUSH_MS = 100;

export class SessionLog {
  private handle: FileHandle | undefined;
  private opening: Promise<void> | undefined;
  private queue: string[] = [];
  private queued = 0;
  private writing = 0;
  private fileBytes = 0;
  private part = 1;
  private start = 0;
  private timer: NodeJS.Timeout | undefined;
  private failed = false;
  private closed = false;
  private cols: number;
  private rows: number;
  /** The current file's id (`host/file.cast`). */
  id: string;
  readonly path: () => string;

  constructor(private readonly o: SessionLogOptions) {
    this.cols = o.cols;
    this.rows = o.rows;
    const dir = join(o.root, o.host);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.id = `${o.host}/${this.fileName()}`;
    this.path = () => join(o.root, this.id);
    // Created here, synchronously, so a failure is known before the terminal opens.
    closeSync(openSync(this.path(), 'wx', 0o600));
    this.begin();
  }

  /** Bytes accepted but not yet on disk. */
  get backlog(): number {
    return this.queued + this.writing;
  }

  output(data: string): void {
    if (data) this.event('o', data);
  }

  resize(cols: number, rows: number): void {
    this.cols = cols;
    this.rows = rows;
    this.event('r', `${cols}x${rows}`);
  }

  /** Flushes everything and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.drain();
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
  }

  private fileName(): string {
    return this.part === 1 ? `${this.o.stem}.cast` : `${this.o.stem}-part${this.part}.cast`;
  }

  private begin(): void {
    // Every part keeps the session's start, so times stay monotonic across parts.
    if (this.part === 1) this.start = Date.now();
    const header = {
      version: 2,
      width: this.cols,
      height: this.rows,
      timestamp: Math.floor(this.start / 1000),
      title: this.part === 1 ? this.o.title : `${this.o.title} (part ${this.part})`,
      env: { TERM: this.o.term },
    };
    this.enqueue(`${JSON.stringify(header)}\n`);
    this.fileBytes = 0;
    const path = this.path();
    this.opening = open(path, 'a', 0o600).then(
      (h) => {
        this.handle = h;
      },
      (err: unknown) => this.fail(err),
    );
    this.o.onFile?.(this.id);
  }

  private event(kind: 'o' | 'r', data: string): void {
    if (this.failed || this.closed) return;
    const t = ((Date.now() - this.start) / 1000).toFixed(6);
    this.enqueue(`[${t}, ${JSON.stringify(kind)}, ${JSON.stringify(data)}]\n`);
  }

  private enqueue(line: string): void {
    this.queue.push(line);
    this.queued += line.length;
    if (this.queued >= FLUSH_BYTES) void this.pump();
    else this.timer ??= setTimeout(() => void this.pump(), FLUSH_MS);
  }

  private async drain(): Promise<void> {
    while (!this.failed && (this.queued > 0 || this.writing > 0)) await this.pump();
  }

  private pumping: Promise<void> | undefined;
  private pump(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pumping ??= this.writeAll().finally(() => {
      this.pumping = undefined;
      if (this.backlog === 0) this.o.onDrain?.();
    });
    return this.pumping;
  }

  private async writeAll(): Promise<void> {
    while (!this.failed && this.queue.length > 0) {
      await this.opening;
      if (this.fileBytes >= this.o.maxFileBytes) await this.rotate();
      await this.opening;
      if (this.failed || !this.handle) return;
      // Take whole lines up to the room left in this file (at least one line).
      const room = Math.max(1, this.o.maxFileBytes - this.fileBytes);
      let take = 0;
      let size = 0;
      while (take < this.queue.length && (take === 0 || size + this.queue[take]!.length <= room)) {
        size += this.queue[take]!.length;
        take++;
      }
      const text = this.queue.splice(0, take).join('');
      this.writing = size;
      this.queued -= size;
      try {
        const buf = Buffer.from(text, 'utf8');
        await this.handle.write(buf);
        this.fileBytes += buf.length;
      } catch (err) {
        this.fail(err);
        return;
      } finally {
        this.writing = 0;
      }
    }
  }

  private async rotate(): Promise<void> {
    const old = this.handle;
    this.handle = undefined;
    await old?.close().catch(() => undefined);
    this.part++;
    this.id = `${this.o.host}/${this.fileName()}`;
    try {
      closeSync(openSync(this.path(), 'wx', 0o600));
    } catch (err) {
      this.fail(err);
      return;
    }
    // The new part's header goes first: queue it in front of anything pending.
    const pending = this.queue;
    const pendingBytes = this.queued;
    this.queue = [];
    this.queued = 0;
    this.begin();
    this.queue.push(...pending);
    this.queued += pendingBytes;
  }

  private fail(err: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.queue = [];
    this.queued = 0;
    this.o.onError(
      `the session log ${this.id} could not be written (${err instanceof Error ? err.message : String(err)}); recording stopped`,
    );
  }
}
