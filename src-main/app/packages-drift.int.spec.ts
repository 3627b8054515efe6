// packages.drift through the contract, on this machine (localhost), with the built-in manifest.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { createApp } from './create-app';
import { localClient } from './local-client';

describe('packages.drift', () => {
  it('reports the built-in manifest against localhost, one verdict per row', async () => {
    const app = createApp({ dataDir: mkdtempSync(join(tmpdir(), 'stx-drift-')), face: 'web' });
    const client = localClient(app.dispatcher);
    try {
      const r = await client.call('packages.drift', { host: 'localhost' });
      expect(r.host).toBe('localhost');
      expect(r.manifest).toMatch(/starlingx-example/);
      const total = Object.values(r.counts).reduce((a, b) => a + b, 0);
      expect(total).toBe(r.rows.length);
      expect(r.rows.length).toBeGreaterThan(3);
      const err = await client
        .call('packages.drift', { host: 'localhost', manifest: '/no/such/manifest.yaml' })
        .catch((e: unknown) => e);
      expect(String((err as Error).message)).toMatch(/manifest\.yaml/);
    } finally {
      client.dispose();
      app.close();
    }
  }, 60_000);
});
