import { describe, expect, it } from 'vitest';

import { HASH_MARKER, OutputHash, type HashResult } from './output-hash';
import { Sha256 } from './sha256';

async function ref(s: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const byteLength = (s: string): number => new TextEncoder().encode(s).length;

function run(chunks: string[]): HashResult[] {
  const results: HashResult[] = [];
  const h = new OutputHash(
    () => new Sha256(),
    (r) => results.push(r),
  );
  for (const c of chunks) h.feed(c);
  return results;
}

describe('output hash between markers', () => {
  const body = 'line one\nsecond ✓ line\n'.repeat(50);
  const stream = `$ prompt echo\r\n${HASH_MARKER}${body}${HASH_MARKER}$ `;

  it('hashes exactly the text between the markers', async () => {
    expect(run([stream])).toEqual([{ bytes: byteLength(body), sha256: await ref(body) }]);
  });

  it('finds markers split across any chunk boundary', async () => {
    for (const size of [1, 2, 3, 5, 16, 17, 100]) {
      const chunks: string[] = [];
      for (let i = 0; i < stream.length; i += size) chunks.push(stream.slice(i, i + size));
      expect(run(chunks)).toEqual([{ bytes: byteLength(body), sha256: await ref(body) }]);
    }
  });

  it('reports every region; a lone ESC or a look-alike is content', async () => {
    const a = 'x\x1b[31my\x1b]7777;other\x07';
    const results = run([`${HASH_MARKER}${a}${HASH_MARKER}--${HASH_MARKER}`, `b${HASH_MARKER}`]);
    expect(results).toEqual([
      { bytes: byteLength(a), sha256: await ref(a) },
      { bytes: 1, sha256: await ref('b') },
    ]);
  });

  it('reports nothing until the closing marker', async () => {
    expect(run([`${HASH_MARKER}abc`])).toEqual([]);
  });
});
