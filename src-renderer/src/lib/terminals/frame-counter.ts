// A byte counter shown in the pane header: counted for every parsed chunk, but published (a
// Svelte state update, hence a header re-render) at most once per animation frame — or after
// TIMER_MS when the page gets no frames (hidden).
import { type AckScheduler, browserScheduler } from './ack-batcher';

const TIMER_MS = 100;

export class FrameCounter {
  #total = 0;
  #cancel: (() => void) | null = null;

  constructor(
    private readonly publish: (total: number) => void,
    private readonly scheduler: AckScheduler = browserScheduler,
  ) {}

  get total(): number {
    return this.#total;
  }

  add(n: number): void {
    this.#total += n;
    if (this.#cancel) return;
    let cancelFrame = (): void => {};
    let cancelTimer = (): void => {};
    let fired = false;
    const fire = (): void => {
      if (fired) return;
      fired = true;
      cancelFrame();
      cancelTimer();
      this.#cancel = null;
      this.publish(this.#total);
    };
    cancelFrame = this.scheduler.frame(fire);
    cancelTimer = this.scheduler.timer(fire, TIMER_MS);
    this.#cancel = () => {
      cancelFrame();
      cancelTimer();
    };
  }

  /** Publishes the total now (and drops a pending publish). */
  flush(): void {
    this.#cancel?.();
    this.#cancel = null;
    this.publish(this.#total);
  }
}
