import { describe, expect, it } from 'vitest';

import { writeSlices } from './write-slices';

describe('writeSlices', () => {
  it('keeps a short chunk whole', () => {
    expect(writeSlices('hello', 16)).toEqual(['hello']);
  });

  it('cuts a long chunk into slices that join back to it', () => {
    const data = 'abcdefghij'.repeat(7);
    const slices = writeSlices(data, 16);
    expect(slices.map((s) => s.length)).toEqual([16, 16, 16, 16, 6]);
    expect(slices.join('')).toBe(data);
  });

  it('never splits a surrogate pair', () => {
    const data = 'abc😀def😀ghi';
    const slices = writeSlices(data, 4);
    expect(slices.join('')).toBe(data);
    for (const s of slices) {
      expect(s.charCodeAt(s.length - 1) >= 0xd800 && s.charCodeAt(s.length - 1) <= 0xdbff).toBe(
        false,
      );
    }
    expect(slices[0]).toBe('abc');
  });
});
