// API checks against real parts: a real Keystone (uWSGI, SQLite/WAL) whose catalog points at the
// Flock test services of a real systemd host (they validate X-Auth-Token against that Keystone).
// Token, catalog, endpoint choice, renewal, each built-in suite that the test services serve,
// a wrong password (a clear 401), TLS with a custom CA and without it, and history in SQLite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { freePort } from '../../test-support/fixture-util';
import {
  flockCatalog,
  KEYSTONE_COMMANDS,
  startKeystone,
  type Keystone,
} from '../../test-support/keystone';
import { requirements } from '../../test-support/requirements';
import {
  startSystemdHost,
  SYSTEMD_HOST_COMMANDS,
  type SystemdHost,
} from '../../test-support/systemd-host';
import { KeystoneParamsSchema, type CheckEvent } from '../../shared/models/checks';
import { openStore, type OpenedStore } from '../store/database';
import { HttpClient } from './http';
import { endpointFor, KeystoneClient } from './keystone';
import { ChecksService } from './service';
import { CheckStore } from './store';

const RES = join(import.meta.dirname, '../../../resources');
const ok = requirements({ commands: [...KEYSTONE_COMMANDS, ...SYSTEMD_HOST_COMMANDS], root: true });

describe.runIf(ok)('API checks against a real Keystone and the Flock test services', () => {
  let ks: Keystone;
  let tlsKs: Keystone;
  let host: SystemdHost;
  let store: OpenedStore;
  let dir: string;
  let checks: ChecksService;
  const params = () =>
    KeystoneParamsSchema.parse({
      url: ks.authUrl,
      user: ks.adminUser,
      project: ks.project,
      password: ks.adminPassword,
    });

  beforeAll(async () => {
    const [sysinv, fm] = [await freePort(), await freePort()];
    ks = await startKeystone({
      catalog: flockCatalog({ sysinv: `http://127.0.0.1:${sysinv}`, fm: `http://127.0.0.1:${fm}` }),
    });
    host = await startSystemdHost({ ports: { sysinv, fm }, keystoneUrl: ks.url });
    dir = mkdtempSync(join(tmpdir(), 'stx-checks-db-'));
    store = openStore(dir);
    checks = new ChecksService({
      store: new CheckStore(store.db),
      suitesDir: () => join(RES, 'checks'),
    });
  }, 600_000);

  afterAll(async () => {
    store?.db.close();
    await host?.stop();
    await ks?.stop();
    await tlsKs?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gets a project-scoped token and the catalog; chooses endpoints by type, interface, region', async () => {
    const http = new HttpClient();
    const client = new KeystoneClient(http, { ...params(), password: ks.adminPassword });
    const t = await client.token();
    expect(t.token.length).toBeGreaterThan(20);
    expect(t.expiresAt!.getTime()).toBeGreaterThan(Date.now());
    const types = t.catalog.map((c) => c.type);
    expect(types).toEqual(expect.arrayContaining(['identity', 'platform', 'faultmanagement']));
    expect(endpointFor(t.catalog, 'platform', 'public', ks.region)).toBe(host.services.sysinv.url);
    expect(endpointFor(t.catalog, 'faultmanagement', 'internal')).toBe(host.services.fm.url);
    expect(() => endpointFor(t.catalog, 'platform', 'public', 'NoSuchRegion')).toThrow(
      /no public endpoint of "platform" in region NoSuchRegion/,
    );
    expect(() => endpointFor(t.catalog, 'dcmanager', 'public')).toThrow(
      /no service of type "dcmanager"/,
    );
    // Kept while valid, issued again when close to expiry.
    expect((await client.token()).token).toBe(t.token);
    const later = new KeystoneClient(
      http,
      { ...params(), password: ks.adminPassword },
      () => t.expiresAt!.getTime() - 60_000,
    );
    const a = await later.token();
    const b = await later.token();
    expect(b.token).not.toBe(a.token);
    http.close();
  });

  it.each(['keystone', 'sysinv', 'fm', 'flock'])(
    'suite %s passes against the test services',
    async (suite) => {
      const events: CheckEvent[] = [];
      const r = await checks.run(
        { suite, keystone: params(), insecure: false, concurrency: 4, budgets: 'warn' },
        { onEvent: (e) => events.push(e) },
      );
      const failed = r.results.filter((x) => !x.ok).map((x) => `${x.id}: ${x.message}`);
      expect(failed).toEqual([]);
      expect(r.ok).toBe(true);
      expect(r.keystone).toMatchObject({ ok: true, user: ks.adminUser });
      expect(events[0]!.type).toBe('keystone');
      expect(events.filter((e) => e.type === 'result')).toHaveLength(r.results.length);
      for (const res of r.results) expect(res.status).toBe(200);
    },
  );

  it('the flock suite covers keystone, sysinv and fm, and the results are history', async () => {
    const r = await checks.run({
      suite: 'flock',
      keystone: params(),
      insecure: false,
      concurrency: 8,
      budgets: 'warn',
    });
    expect(r.results.map((x) => x.id)).toEqual(
      expect.arrayContaining([
        'keystone-version',
        'keystone-projects',
        'sysinv-ihosts',
        'fm-alarms',
        'fm-alarms-summary',
      ]),
    );
    const trend = checks.history({ check: 'sysinv-ihosts', limit: 10 });
    expect(trend.length).toBeGreaterThanOrEqual(2);
    expect(trend.every((h) => h.ok && h.status === 200)).toBe(true);
    expect(checks.runs(5)[0]!.runId).toBe(r.runId);
    expect(checks.report(r.runId)!.results).toHaveLength(r.results.length);
    // Never a password or a token in SQLite.
    const dump =
      JSON.stringify(store.db.prepare('SELECT * FROM check_runs').all()) +
      JSON.stringify(store.db.prepare('SELECT * FROM check_results').all());
    expect(dump).not.toContain(ks.adminPassword);
  });

  it('a wrong password is a clear 401 result, not a crash', async () => {
    const r = await checks.run({
      suite: 'sysinv',
      keystone: { ...params(), password: 'wrong-password' },
      insecure: false,
      concurrency: 2,
      budgets: 'enforce',
    });
    expect(r.ok).toBe(false);
    expect(r.keystone).toMatchObject({ ok: false, cause: 'auth' });
    expect(r.keystone!.message).toMatch(/refused the credentials of admin .*401 Unauthorized/);
    expect(r.results[0]).toMatchObject({ ok: false, cause: 'auth' });
  });

  it('a service call without a token is a failed check (401 from the service)', async () => {
    const r = await checks.run({
      checks: [
        {
          id: 'no-token',
          url: `${host.services.sysinv.url}/v1/ihosts`,
          auth: false,
          expect: { status: 200, assertions: [] },
          headers: {},
          method: 'GET',
          timeoutMs: 5000,
        },
      ],
      insecure: false,
      concurrency: 1,
      budgets: 'enforce',
    });
    expect(r.results[0]).toMatchObject({ ok: false, status: 401, cause: 'auth' });
  });

  it('user suites are saved, listed and run like built-in ones', async () => {
    checks.save({
      name: 'my-checks',
      description: 'by hand',
      checks: [
        {
          id: 'sysinv-isystems',
          method: 'GET',
          endpoint: { type: 'platform', path: '/v1/isystems' },
          headers: {},
          auth: true,
          expect: {
            status: 200,
            assertions: [{ path: '$.isystems', op: 'lengthGte', value: 1, quantifier: 'every' }],
          },
          timeoutMs: 5000,
        },
      ],
    });
    expect(checks.suites().find((s) => s.name === 'my-checks')).toMatchObject({ source: 'user' });
    const r = await checks.run({
      suite: 'my-checks',
      keystone: params(),
      insecure: false,
      concurrency: 1,
      budgets: 'warn',
    });
    expect(r.results[0]).toMatchObject({ ok: true, status: 200 });
    expect(() =>
      checks.save({ name: 'sysinv', description: '', checks: checks.checksOf('sysinv') }),
    ).toThrow(/built-in/);
    expect(checks.delete('my-checks')).toEqual({ deleted: 'my-checks' });
  });

  it('TLS: a Keystone with a custom CA is trusted with --ca and refused without it', async () => {
    tlsKs = await startKeystone({ tls: true, catalog: [] });
    const p = KeystoneParamsSchema.parse({
      url: tlsKs.authUrl,
      user: tlsKs.adminUser,
      project: tlsKs.project,
      password: tlsKs.adminPassword,
    });
    const good = await checks.run({
      suite: 'keystone',
      keystone: p,
      ca: tlsKs.ca!.caPath,
      insecure: false,
      concurrency: 2,
      budgets: 'warn',
    });
    expect(good.results.filter((x) => !x.ok).map((x) => x.message)).toEqual([]);
    const bad = await checks.run({
      suite: 'keystone',
      keystone: p,
      insecure: false,
      concurrency: 2,
      budgets: 'enforce',
    });
    expect(bad.keystone).toMatchObject({ ok: false, cause: 'tls' });
    expect(bad.results.every((x) => !x.ok && x.cause === 'tls')).toBe(true);
    const insecure = await checks.run({
      suite: 'keystone',
      keystone: p,
      insecure: true,
      concurrency: 2,
      budgets: 'warn',
    });
    expect(insecure.ok).toBe(true);
    expect(insecure.insecure).toBe(true);
    expect(insecure.results.every((x) => x.insecure)).toBe(true);
  }, 120_000);
});
