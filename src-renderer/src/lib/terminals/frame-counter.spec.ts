import { describe, expect, it } from 'vitest';

import type { AckScheduler } from './ack-batcher';
import { FrameCounter } from './frame-counter';

/** Frames and timers fire only when the test says so. */
function manual(): AckScheduler & { tick(): void; waiting(): number } {
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
    waiting: () => queue.length,
  };
}

describe('FrameCounter', () => {
  it('publishes many additions once, on the next frame', () => {
    const sched = manual();
    const seen: number[] = [];
    const c = new FrameCounter((n) => seen.push(n), sched);
    for (let i = 0; i < 100; i++) c.add(10);
    expect(seen).toEqual([]);
    expect(c.total).toBe(1000);
    sched.tick();
    expect(seen).toEqual([1000]);
    expect(sched.waiting()).toBe(0);
    c.add(5);
    sched.tick();
    expect(seen).toEqual([1000, 1005]);
  });

  it('flush publishes at once and cancels the pending frame', () => {
    const sched = manual();
    const seen: number[] = [];
    const c = new FrameCounter((n) => seen.push(n), sched);
    c.add(7);
    c.flush();
    expect(seen).toEqual([7]);
    expect(sched.waiting()).toBe(0);
  });
});
