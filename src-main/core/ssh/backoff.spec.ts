import { describe, expect, it } from 'vitest';

import { AppError } from '../../shared/errors';
import { backoffDelay, type Clock, retryWithBackoff } from './backoff';

/** A clock that only moves when someone sleeps on it, recording every sleep. */
function fakeClock(): Clock & { slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw new AppError('cancelled', 'cancelled');
      slept.push(ms);
      t += ms;
    },
  };
}

describe('backoffDelay', () => {
  it('grows exponentially up to the cap', () => {
    const opts = { initialMs: 100, maxMs: 1000, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, opts))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });

  it('jitters within [base·(1-j), base]', () => {
    const opts = { initialMs: 1000, jitter: 0.5 };
    expect(backoffDelay(1, opts, () => 0)).toBe(500);
    expect(backoffDelay(1, opts, () => 0.999999)).toBe(1000);
    for (let i = 0; i < 100; i++) {
      const d = backoffDelay(3, opts);
      expect(d).toBeGreaterThanOrEqual(2000);
      expect(d).toBeLessThanOrEqual(4000);
    }
  });
});

describe('retryWithBackoff', () => {
  it('retries with growing delays until success, on a fake clock', async () => {
    const clock = fakeClock();
    let calls = 0;
    const value = await retryWithBackoff(
      async () => {
        calls++;
        if (calls < 4) throw new Error('down');
        return 'up';
      },
      { clock, initialMs: 100, jitter: 0, random: () => 0 },
    );
    expect(value).toBe('up');
    expect(clock.slept).toEqual([100, 200, 400]);
    expect(clock.now()).toBe(700);
  });

  it('gives up after maxAttempts with the last error', async () => {
    const clock = fakeClock();
    let n = 0;
    await expect(
      retryWithBackoff(async () => Promise.reject(new Error(`fail ${++n}`)), {
        clock,
        maxAttempts: 3,
      }),
    ).rejects.toThrow('fail 3');
    expect(clock.slept).toHaveLength(2);
  });

  it('does not retry what shouldRetry rejects', async () => {
    const clock = fakeClock();
    let n = 0;
    await expect(
      retryWithBackoff(
        async () => {
          n++;
          throw new AppError('forbidden', 'bad key');
        },
        { clock, shouldRetry: (e) => !(e instanceof AppError && e.code === 'forbidden') },
      ),
    ).rejects.toThrow('bad key');
    expect(n).toBe(1);
  });

  it('stops when the signal aborts', async () => {
    const ctrl = new AbortController();
    let n = 0;
    const p = retryWithBackoff(
      async () => {
        n++;
        if (n === 2) ctrl.abort();
        throw new Error('down');
      },
      { signal: ctrl.signal, initialMs: 1 },
    );
    await expect(p).rejects.toMatchObject({ code: 'cancelled' });
    expect(n).toBe(2);
  });
});
