// Flow control, renderer side: bytes are counted only once xterm's write callback says they
// are parsed, and acknowledged in batches — at once from 64 KiB on, otherwise on the next
// animation frame (with a timer beside it, since a hidden page gets no frames). One ack in
// flight at a time keeps the server's count and ours in step even on a slow link.

export const ACK_BATCH_BYTES = 64 * 1024;
const TIMER_MS = 50;

export interface AckScheduler {
  frame(cb: () => void): () => void;
  timer(cb: () => void, ms: number): () => void;
}

export const browserScheduler: AckScheduler = {
  frame(cb) {
    const id = requestAnimationFrame(cb);
    return () => cancelAnimationFrame(id);
  },
  timer(cb, ms) {
    const id = setTimeout(cb, ms);
    return () => clearTimeout(id);
  },
};

export class AckBatcher {
  #pending = 0;
  #inFlight = false;
  #cancel: (() => void) | null = null;
  #closed = false;

  constructor(
    private readonly send: (bytes: number) => Promise<unknown>,
    private readonly scheduler: AckScheduler = browserScheduler,
  ) {}

  /** Bytes parsed but not yet acknowledged (sent or waiting). */
  get pending(): number {
    return this.#pending;
  }

  /** Call from xterm's write callback with the chunk's `bytes`. */
  parsed(bytes: number): void {
    if (this.#closed || bytes <= 0) return;
    this.#pending += bytes;
    if (this.#pending >= ACK_BATCH_BYTES) this.flush();
    else this.#schedule();
  }

  flush(): void {
    this.#unschedule();
    if (this.#inFlight || this.#pending === 0 || this.#closed) return;
    const bytes = this.#pending;
    this.#pending = 0;
    this.#inFlight = true;
    this.send(bytes)
      .catch(() => {
        // The session is gone or the link dropped: nothing to acknowledge any more.
      })
      .finally(() => {
        this.#inFlight = false;
        if (this.#pending >= ACK_BATCH_BYTES) this.flush();
        else if (this.#pending > 0) this.#schedule();
      });
  }

  /** The session ended: drop what is pending. */
  close(): void {
    this.#closed = true;
    this.#unschedule();
    this.#pending = 0;
  }

  #schedule(): void {
    if (this.#cancel) return;
    let cancelFrame = (): void => {};
    let cancelTimer = (): void => {};
    const fire = (): void => {
      this.#cancel = null;
      cancelFrame();
      cancelTimer();
      this.flush();
    };
    cancelFrame = this.scheduler.frame(fire);
    cancelTimer = this.scheduler.timer(fire, TIMER_MS);
    this.#cancel = () => {
      cancelFrame();
      cancelTimer();
    };
  }

  #unschedule(): void {
    this.#cancel?.();
    this.#cancel = null;
  }
}
