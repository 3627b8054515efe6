import { describe, expect, it } from 'vitest';

import { OutputCoalescer, type OutputChunk } from './coalescer';

function collect(maxBytes = 16, delayMs = 5): { c: OutputCoalescer; chunks: OutputChunk[] } {
  const chunks: OutputChunk[] = [];
  return { c: new OutputCoalescer({ maxBytes, delayMs, onChunk: (x) => chunks.push(x) }), chunks };
}

describe('OutputCoalescer', () => {
  it('joins small writes into one chunk after the delay', async () => {
    const { c, chunks } = collect(1024, 5);
    c.push(Buffer.from('a'));
    c.push(Buffer.from('b'));
    c.push(Buffer.from('c'));
    expect(chunks).toEqual([]);
    await new Promise((r) => setTimeout(r, 20));
    expect(chunks).toEqual([{ data: 'abc', bytes: 3 }]);
  });

  it('cuts large writes at maxBytes and sends them at once', () => {
    const { c, chunks } = collect(4, 1000);
    c.push(Buffer.from('0123456789'));
    expect(chunks).toEqual([
      { data: '0123', bytes: 4 },
      { data: '4567', bytes: 4 },
    ]);
    c.end();
    expect(chunks.at(-1)).toEqual({ data: '89', bytes: 2 });
  });

  it('never splits a multi-byte character, and the bytes still add up', () => {
    const text = 'añ€😀'.repeat(50); // 1-, 2-, 3- and 4-byte characters
    const raw = Buffer.from(text);
    for (const max of [1, 2, 3, 5, 7, 16]) {
      const { c, chunks } = collect(max, 1000);
      for (let i = 0; i < raw.length; i += 3) c.push(raw.subarray(i, i + 3));
      c.end();
      expect(chunks.map((x) => x.data).join('')).toBe(text);
      expect(chunks.reduce((n, x) => n + x.bytes, 0)).toBe(raw.length);
      for (const x of chunks) expect(x.data).not.toContain('\uFFFD');
    }
  });
});
