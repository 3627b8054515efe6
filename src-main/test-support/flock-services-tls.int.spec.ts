// The TLS variants: Keystone on HTTPS (uWSGI --https-socket) and the Flock test APIs on HTTPS,
// both with certificates from a private test CA; the APIs validate tokens against the HTTPS
// Keystone trusting that CA. A client that does not trust the CA gets a TLS error.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { freePort, requestJson } from './fixture-util';
import { flockCatalog, KEYSTONE_COMMANDS, startKeystone, type Keystone } from './keystone';
import { requirements } from './requirements';
import { startSystemdHost, SYSTEMD_HOST_COMMANDS, type SystemdHost } from './systemd-host';
import { makeTestCa, type TestCa } from './test-ca';

const ok = requirements({
  commands: [...SYSTEMD_HOST_COMMANDS, ...KEYSTONE_COMMANDS, 'openssl'],
  root: true,
});

describe.skipIf(!ok)('Flock test services and Keystone over TLS', () => {
  let dir: string;
  let ca: TestCa;
  let ks: Keystone;
  let h: SystemdHost;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stx-tls-'));
    ca = await makeTestCa(dir);
    const port = await freePort();
    const [sysinv, fm] = await Promise.all([freePort(), freePort()]);
    const urls = { sysinv: `https://127.0.0.1:${sysinv}`, fm: `https://127.0.0.1:${fm}` };
    [h, ks] = await Promise.all([
      startSystemdHost({
        keystoneUrl: `https://127.0.0.1:${port}`,
        keystoneCa: ca.caPath,
        tls: ca,
        ports: { sysinv, fm },
      }),
      startKeystone({ port, tls: ca, catalog: flockCatalog(urls) }),
    ]);
  }, 600_000);
  afterAll(async () => {
    await Promise.all([h?.stop(), ks?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('issues tokens over HTTPS and the APIs accept them over HTTPS', async () => {
    expect(ks.url).toBe(`https://127.0.0.1:${ks.port}`);
    expect(h.services.sysinv.url).toMatch(/^https:/);
    const t = await ks.token();
    expect(t.status).toBe(201);
    const headers = { 'X-Auth-Token': t.token! };
    const hosts = await requestJson(`${h.services.sysinv.url}/v1/ihosts`, {
      headers,
      ca: ca.caPath,
    });
    expect(hosts.status).toBe(200);
    expect(hosts.body).toMatchObject({ ihosts: [{ hostname: 'controller-0' }] });
    const none = await requestJson(`${h.services.fm.url}/v1/alarms`, { ca: ca.caPath });
    expect(none.status).toBe(401);
  });

  it('fails the TLS handshake for a client that does not trust the CA', async () => {
    await expect(requestJson(`${ks.authUrl}`)).rejects.toThrow(/self-signed|unable to verify/i);
    await expect(requestJson(`${h.services.sysinv.url}/v1`)).rejects.toThrow(
      /self-signed|unable to verify/i,
    );
    // The service logged the refused handshake and still serves trusting clients.
    const log = await h.exec(['journalctl', '-u', 'sysinv-api', '-n', '20', '-o', 'cat']);
    expect(log.stdout).toMatch(/TLS handshake failed/);
    const v1 = await requestJson(`${h.services.sysinv.url}/v1`, { ca: ca.caPath });
    expect(v1.status).toBe(200);
  });
});
