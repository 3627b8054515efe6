import { describe, expect, it } from 'vitest';

import { LogBuffer, type LogLine } from './log-buffer';

function line(seq: number, step: string, host: string | null, text = `line ${seq}`): LogLine {
  return { seq, ts: seq, step, host, stream: 'stdout', text };
}

describe('LogBuffer', () => {
  it('filters by step, host and text without losing order', () => {
    const b = new LogBuffer();
    b.push([line(1, 'a', 'h1'), line(2, 'a', 'h2'), line(3, 'b', 'h1', 'Error here')]);
    expect(b.count).toBe(3);
    b.setFilter({ step: 'a', host: null, text: '' });
    expect([b.at(0)?.seq, b.at(1)?.seq]).toEqual([1, 2]);
    b.push([line(4, 'a', 'h1'), line(5, 'b', 'h2')]);
    expect(b.count).toBe(3);
    expect(b.at(2)?.seq).toBe(4);
    b.setFilter({ step: null, host: 'h1', text: 'error' });
    expect(b.count).toBe(1);
    expect(b.at(0)?.seq).toBe(3);
  });

  it('keeps at most about `cap` lines, drops the oldest and keeps the filter right', () => {
    const b = new LogBuffer(100);
    b.setFilter({ step: 'even', host: null, text: '' });
    for (let i = 0; i < 1000; i++) b.push([line(i, i % 2 === 0 ? 'even' : 'odd', null)]);
    expect(b.total).toBeLessThanOrEqual(100 + 12);
    expect(b.dropped + b.total).toBe(1000);
    expect(b.at(b.count - 1)?.seq).toBe(998);
    for (let i = 0; i < b.count; i++) expect((b.at(i)?.seq ?? 1) % 2).toBe(0);
    expect(b.at(0)?.seq).toBe(b.dropped % 2 === 0 ? b.dropped : b.dropped + 1);
  });

  it('tail returns the last lines of one step and host', () => {
    const b = new LogBuffer();
    b.push([line(1, 'a', 'h1'), line(2, 'b', 'h1'), line(3, 'a', 'h1'), line(4, 'a', 'h2')]);
    expect(b.tail(5, { step: 'a', host: 'h1', text: '' }).map((l) => l.seq)).toEqual([1, 3]);
    expect(b.tail(1, { step: null, host: null, text: '' }).map((l) => l.seq)).toEqual([4]);
  });
});
