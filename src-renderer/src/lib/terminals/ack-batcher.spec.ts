import { describe, expect, it } from 'vitest';

import { ACK_BATCH_BYTES, AckBatcher, type AckScheduler } from './ack-batcher';
import { backoffDelay, BACKOFF_MAX_MS } from './backoff';

/** A scheduler the test drives by hand: frames and timers fire only when told. */
function manual(): AckScheduler & { tick(): void } {
  let queue: (() => void)[] = [];
  const add = (cb: () => void): (() => void) => {
    queue.push(cb);
    return () => (queue = queue.filter((c) => c !== cb));
  };
  return {
    frame: add,
    timer: (cb) => add(cb),
    tick() {
      const q = queue;
      queue = [];
      for (const cb of q) cb();
    },
  };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('ack batching', () => {
  it('coalesces small parses into one ack per frame', async () => {
    const sched = manual();
    const sent: number[] = [];
    const b = new AckBatcher(async (n) => void sent.push(n), sched);
    b.parsed(100);
    b.parsed(200);
    expect(sent).toEqual([]);
    sched.tick();
    await Promise.resolve();
    expect(sent).toEqual([300]);
  });

  it('acks at once from the batch size on, one ack in flight at a time', async () => {
    const sched = manual();
    const sent: number[] = [];
    const gates: ReturnType<typeof deferred>[] = [];
    const b = new AckBatcher((n) => {
      sent.push(n);
      const d = deferred();
      gates.push(d);
      return d.promise;
    }, sched);
    b.parsed(ACK_BATCH_BYTES);
    expect(sent).toEqual([ACK_BATCH_BYTES]);
    b.parsed(ACK_BATCH_BYTES);
    b.parsed(10);
    expect(sent).toHaveLength(1);
    gates[0]?.resolve();
    await new Promise((r) => setTimeout(r, 0));
    expect(sent).toEqual([ACK_BATCH_BYTES, ACK_BATCH_BYTES + 10]);
    expect(b.pending).toBe(0);
  });

  it('sends nothing after close', () => {
    const sched = manual();
    const sent: number[] = [];
    const b = new AckBatcher(async (n) => void sent.push(n), sched);
    b.parsed(5);
    b.close();
    sched.tick();
    b.parsed(ACK_BATCH_BYTES);
    expect(sent).toEqual([]);
  });
});

describe('reconnect backoff', () => {
  it('doubles from one second up to the cap, with jitter in [step/2, step]', () => {
    expect(backoffDelay(1, () => 0)).toBe(500);
    expect(backoffDelay(1, () => 1)).toBe(1000);
    expect(backoffDelay(3, () => 1)).toBe(4000);
    expect(backoffDelay(20, () => 1)).toBe(BACKOFF_MAX_MS);
    expect(backoffDelay(20, () => 0)).toBe(BACKOFF_MAX_MS / 2);
  });
});
