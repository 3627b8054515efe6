import { describe, expect, it } from 'vitest';

import { FlowControl } from './flow-control';

describe('FlowControl', () => {
  const marks = { highWater: 1000, lowWater: 200 };

  it('pauses once above the high-water mark, exactly once', () => {
    const f = new FlowControl(marks);
    expect(f.sent(600)).toBeNull();
    expect(f.sent(400)).toBeNull(); // 1000 is not above 1000
    expect(f.sent(1)).toBe('pause');
    expect(f.paused).toBe(true);
    expect(f.sent(500)).toBeNull(); // already paused: no second pause
    expect(f.unacked).toBe(1501);
  });

  it('resumes only at or below the low-water mark (hysteresis)', () => {
    const f = new FlowControl(marks);
    f.sent(1500);
    expect(f.acked(1000)).toBeNull(); // 500 left: still above low
    expect(f.paused).toBe(true);
    expect(f.acked(300)).toBe('resume'); // 200 left
    expect(f.paused).toBe(false);
    expect(f.acked(200)).toBeNull();
    expect(f.unacked).toBe(0);
  });

  it('never resumes what it did not pause, and clamps acks beyond what was sent', () => {
    const f = new FlowControl(marks);
    f.sent(100);
    expect(f.acked(100)).toBeNull();
    expect(f.acked(50)).toBeNull();
    expect(f.unacked).toBe(0);
    expect(f.excessAcks).toBe(50);
  });

  it('keeps the accounting exact and memory bounded over many cycles', () => {
    // A source that stops while paused, and a renderer acking a bit slower than it produces.
    const f = new FlowControl(marks);
    let sent = 0;
    let acked = 0;
    let pauses = 0;
    let resumes = 0;
    let peak = 0;
    for (let i = 1; i <= 20_000; i++) {
      if (!f.paused) {
        const n = (i * 7919) % 300; // chunks of 0..299 bytes, 150 on average
        sent += n;
        if (f.sent(n) === 'pause') pauses++;
      }
      const a = Math.min(f.unacked, (i * 104729) % 240); // 120 on average
      acked += a;
      if (f.acked(a) === 'resume') resumes++;
      expect(f.unacked).toBe(sent - acked);
      peak = Math.max(peak, f.unacked);
    }
    expect(pauses).toBeGreaterThan(10);
    expect(resumes === pauses || resumes === pauses - 1).toBe(true);
    // Bounded: at most the high-water mark plus the one chunk that crossed it.
    expect(peak).toBeLessThanOrEqual(marks.highWater + 299);
  });

  it('refuses watermarks that cannot work', () => {
    expect(() => new FlowControl({ highWater: 100, lowWater: 100 })).toThrow(RangeError);
    expect(() => new FlowControl({ highWater: 100, lowWater: -1 })).toThrow(RangeError);
  });
});
