// Reconnect delays: exponential from 1 s, capped at 30 s, with "full jitter" (a random delay
// between half and all of the step) so that terminals dropped together do not retry together.

export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_MAX_MS = 30_000;

/** Delay before reconnect attempt `attempt` (1 = the first retry). */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const step = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}

/** One pending automatic retry at a time. */
export class RetryTimer {
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Runs `run` after the delay of `attempt`; returns when (ms since epoch). */
  schedule(attempt: number, run: () => void): number {
    this.cancel();
    const delay = backoffDelay(attempt);
    this.#timer = setTimeout(run, delay);
    return Date.now() + delay;
  }

  cancel(): void {
    clearTimeout(this.#timer);
  }
}
