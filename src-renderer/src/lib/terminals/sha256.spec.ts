import { describe, expect, it } from 'vitest';

import { Sha256 } from './sha256';

/** The reference digest: WebCrypto (one shot). */
async function ref(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest('SHA-256', new Uint8Array(bytes));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

describe('incremental SHA-256', async () => {
  it('matches the known digests', async () => {
    expect(new Sha256().hex()).toBe(await ref(''));
    expect(new Sha256().update('abc').hex()).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(new Sha256().update('héllo ✓ 𝄞').hex()).toBe(await ref('héllo ✓ 𝄞'));
  });

  it('gives the same digest whatever the chunk boundaries', async () => {
    const data = randomBytes(10_000);
    for (const size of [1, 7, 55, 56, 63, 64, 65, 1000, 4096]) {
      const h = new Sha256();
      for (let i = 0; i < data.length; i += size) h.update(data.subarray(i, i + size));
      expect(h.length).toBe(data.length);
      expect(h.hex()).toBe(await ref(data));
    }
  });

  it('pads lengths around a block edge', async () => {
    for (let n = 50; n < 135; n++) {
      const data = randomBytes(n);
      expect(new Sha256().update(data).hex()).toBe(await ref(data));
    }
  });
});
