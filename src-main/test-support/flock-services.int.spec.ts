// Both fixtures together, the way the services and API-check tests use them: a real Keystone
// whose catalog points at the Flock test APIs inside a systemd-nspawn host, the APIs checking
// tokens against that Keystone, the host driven through the app's own SSH stack (SshPool,
// SshExecutor with the pinned host key) and an API reached through an SSH local forward.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startLocalForward } from '../core/ssh/forward';
import { SshPool } from '../core/ssh/pool';
import { SshExecutor } from '../core/ssh/ssh-exec';
import { freePort } from './fixture-util';
import { flockCatalog, KEYSTONE_COMMANDS, startKeystone, type Keystone } from './keystone';
import { MapVerifier } from './lab-in-a-box';
import { requirements } from './requirements';
import { startSystemdHost, SYSTEMD_HOST_COMMANDS, type SystemdHost } from './systemd-host';

const ok = requirements({ commands: [...SYSTEMD_HOST_COMMANDS, ...KEYSTONE_COMMANDS], root: true });

interface Catalog {
  token: { catalog: { type: string; endpoints: { interface: string; url: string }[] }[] };
}

describe.skipIf(!ok)('Flock test services behind a real Keystone', () => {
  let ks: Keystone;
  let h: SystemdHost;
  let pool: SshPool;
  beforeAll(async () => {
    // Keystone's port first, so both can start at once: the host needs Keystone's URL, Keystone's
    // catalog needs the host's service ports.
    const port = await freePort();
    const [sysinv, fm] = await Promise.all([freePort(), freePort()]);
    [h, ks] = await Promise.all([
      startSystemdHost({ keystoneUrl: `http://127.0.0.1:${port}`, ports: { sysinv, fm } }),
      startKeystone({
        port,
        catalog: flockCatalog({
          sysinv: `http://127.0.0.1:${sysinv}`,
          fm: `http://127.0.0.1:${fm}`,
        }),
      }),
    ]);
    pool = new SshPool({
      hostVerifier: new MapVerifier([h.labHost]),
      decideUnknown: async () => false,
      audit: () => {},
      actor: 'tester',
    });
  }, 600_000);
  afterAll(async () => {
    await pool?.dispose();
    await Promise.all([h?.stop(), ks?.stop()]);
  }, 60_000);

  async function tokenAndCatalog(): Promise<{ token: string; urlOf: (type: string) => string }> {
    const t = await ks.token();
    expect(t.status).toBe(201);
    const urlOf = (type: string): string => {
      const svc = (t.body as Catalog).token.catalog.find((s) => s.type === type);
      return svc!.endpoints.find((e) => e.interface === 'public')!.url;
    };
    return { token: t.token!, urlOf };
  }

  it('answers only with a token Keystone validates', async () => {
    const { token, urlOf } = await tokenAndCatalog();
    const ihosts = `${urlOf('platform')}/v1/ihosts`;
    const none = await fetch(ihosts);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe(`Keystone uri="${ks.url}"`);
    const bad = await fetch(ihosts, { headers: { 'X-Auth-Token': `${token.slice(0, -4)}AAAA` } });
    expect(bad.status).toBe(401);
    const good = await fetch(ihosts, { headers: { 'X-Auth-Token': token } });
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({ ihosts: [{ hostname: 'controller-0' }] });
    const alarms = await fetch(
      `${urlOf('faultmanagement')}/v1/alarms?q.field=severity&q.value=major`,
      {
        headers: { 'X-Auth-Token': token },
      },
    );
    expect(await alarms.json()).toMatchObject({
      ialarms: [{ alarm_id: '250.001', severity: 'major' }],
    });
    // The version documents stay open, like the real services' root resources.
    expect((await fetch(`${urlOf('platform')}/v1`)).status).toBe(200);
  });

  it('is driven through the app SSH stack with the pinned host key', async () => {
    const exec = new SshExecutor(pool, { graceMs: 1000 });
    const restart = await exec.exec(h.target(), { argv: ['systemctl', 'restart', 'fm-api'] });
    expect(restart.exitCode).toBe(0);
    const show = await exec.exec(h.target(), {
      argv: ['systemctl', 'show', 'fm-api', '--property=ActiveState,SubState,Requires'],
    });
    expect(show.stdout).toContain('ActiveState=active\nSubState=running\n');
    expect(show.stdout).toMatch(/Requires=.*fminit\.service/);
    const journal = await exec.exec(h.target(h.sudoUser), {
      argv: ['sudo', '-n', 'journalctl', '-u', 'fm-api', '-n', '3', '--no-pager', '-o', 'cat'],
    });
    expect(journal.stdout).toContain(`tokens checked against ${ks.url}`);
  });

  it('answers through an SSH local forward', async () => {
    const { token } = await tokenAndCatalog();
    const fwd = await startLocalForward(pool, h.target(), {
      remoteHost: '127.0.0.1',
      remotePort: h.services.sysinv.port,
    });
    try {
      const res = await fetch(`http://127.0.0.1:${fwd.port}/v1/isystems`, {
        headers: { 'X-Auth-Token': token },
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ isystems: [{ system_mode: 'simplex' }] });
    } finally {
      await fwd.close();
    }
  });
});
