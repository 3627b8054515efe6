// ServicesService against a real systemd host (systemd-nspawn, Debian bookworm, sshd inside)
// over real SSH: status, ports, stop/start in dependency order, a unit that fails to start
// (its own journal lines in the result), unknown units, journal tail and follow, sudo -n for a
// user that is not root.
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MapVerifier } from '../../test-support/lab-in-a-box';
import { requirements } from '../../test-support/requirements';
import {
  startSystemdHost,
  SYSTEMD_HOST_COMMANDS,
  type SystemdHost,
} from '../../test-support/systemd-host';
import { detectOs } from '../os/detect';
import { loadProfiles, matchProfile } from '../os/profiles';
import { SshPool } from '../ssh/pool';
import { SshExecutor } from '../ssh/ssh-exec';
import type { JournalLine } from '../../shared/models/services';
import type { StepRunContext } from '../flows/kinds/kind';
import { servicesKinds } from './kinds/services';
import { ServicesService } from './service';

const RES = join(import.meta.dirname, '../../../resources');
const ok = requirements({ commands: SYSTEMD_HOST_COMMANDS, root: true });

describe.runIf(ok)('services on a real systemd host', () => {
  let h: SystemdHost;
  let pool: SshPool;
  let svc: ServicesService;
  let asSysadmin: ServicesService;
  let dir: string;

  beforeAll(async () => {
    h = await startSystemdHost();
    pool = new SshPool({
      hostVerifier: new MapVerifier([h.labHost]),
      decideUnknown: async () => false,
    });
    const exec = new SshExecutor(pool);
    const profiles = loadProfiles(join(RES, 'os-profiles'));
    // The catalog as data, with the ports this fixture's services were given.
    dir = mkdtempSync(join(tmpdir(), 'stx-services-'));
    const catalog = readFileSync(join(RES, 'services/flock.yaml'), 'utf8')
      .replace('port: 6385,', `port: ${h.services.sysinv.port},`)
      .replace('port: 18002,', `port: ${h.services.fm.port},`);
    writeFileSync(join(dir, 'flock.yaml'), catalog);
    const make = (user?: string): ServicesService =>
      new ServicesService(
        {
          target: () => ({ ...h.target(user), name: 'ctl' }),
          detectFacts: async (_host, signal) => {
            const facts = await detectOs(exec, h.target(user), signal ? { signal } : {});
            return { facts, profile: matchProfile(facts, profiles)?.profile ?? null };
          },
        },
        exec,
        () => join(dir, 'flock.yaml'),
      );
    svc = make();
    asSysadmin = make(h.sudoUser);
  }, 600_000);

  afterAll(async () => {
    await pool?.dispose();
    await h?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists the catalog services of a Debian systemd host with state, enablement and ports', async () => {
    const l = await svc.list('ctl');
    expect(l.manager).toBe('systemd');
    expect(l.profile?.family).toBe('debian');
    expect(l.sudo).toBe(false);
    const by = new Map(l.services.map((s) => [s.name, s]));
    const api = by.get('sysinv-api')!;
    expect(api).toMatchObject({
      unit: 'sysinv-api.service',
      status: 'active',
      enabled: true,
      detail: 'running',
    });
    expect(api.pid).toBeGreaterThan(0);
    expect(api.ports).toEqual([
      expect.objectContaining({ port: h.services.sysinv.port, listening: true }),
    ]);
    expect(by.get('fm-api')!.ports[0]!.listening).toBe(true);
    expect(by.get('fm-mgr')).toMatchObject({ unit: 'fminit.service', status: 'active' });
    expect(by.get('hwmon')).toMatchObject({ enabled: false });
    // Not installed in this container: a per-service error, the list still answers.
    expect(by.get('keystone')!.status).toBe('not-found');
    expect(by.get('keystone')!.error).toMatch(/not found/);
  });

  it('stops dependents first, starts dependencies first, and the port follows', async () => {
    const events: string[] = [];
    const stop = await svc.action('ctl', ['sysinv-conductor', 'sysinv-api'], 'stop', {
      withDependencies: false,
      timeoutMs: 60_000,
      onEvent: (e) => events.push(e.type),
    });
    expect(stop.order).toEqual(['sysinv-api', 'sysinv-conductor']);
    expect(stop.ok).toBe(true);
    expect(stop.results.map((r) => r.status)).toEqual(['inactive', 'inactive']);
    expect(events[0]).toBe('plan');
    let l = await svc.list('ctl', ['sysinv-api']);
    expect(l.services[0]).toMatchObject({ status: 'inactive' });
    expect(l.services[0]!.ports[0]!.listening).toBe(false);

    const start = await svc.action('ctl', ['sysinv-api', 'sysinv-conductor'], 'start', {
      withDependencies: false,
      timeoutMs: 60_000,
    });
    expect(start.order).toEqual(['sysinv-conductor', 'sysinv-api']);
    expect(start.ok).toBe(true);
    l = await svc.list('ctl', ['sysinv-api']);
    expect(l.services[0]).toMatchObject({ status: 'active' });
    expect(l.services[0]!.ports[0]!.listening).toBe(true);
  });

  it('a unit that fails to start carries its own last journal lines', async () => {
    const r = await svc.action('ctl', ['hwmon'], 'start', {
      withDependencies: false,
      timeoutMs: 60_000,
    });
    expect(r.ok).toBe(false);
    const res = r.results[0]!;
    expect(res.status).toBe('failed');
    expect(res.error).toMatch(/hwmon\.service/);
    expect(res.journal?.join('\n')).toMatch(/no board management controller provisioned/);
  });

  it('an unknown unit is a clear per-service error, not a crash; the others still run', async () => {
    const r = await svc.action('ctl', ['no-such-unit-xyz', 'fm-api'], 'restart', {
      withDependencies: false,
      timeoutMs: 60_000,
    });
    const by = new Map(r.results.map((x) => [x.service, x]));
    expect(by.get('no-such-unit-xyz')).toMatchObject({
      ok: false,
      status: 'not-found',
      error: 'unit no-such-unit-xyz.service not found on ctl',
    });
    expect(by.get('fm-api')).toMatchObject({ ok: true, status: 'active' });
  });

  it('tails and follows the journal; follow ends on cancel', async () => {
    const logs = await svc.logs('ctl', 'sysinv-api', 50);
    expect(logs.source).toBe('journal');
    expect(logs.lines.length).toBeGreaterThan(0);
    expect(
      logs.lines.some((l) => l.ident?.startsWith('systemd') && /sysinv/i.test(l.message)),
    ).toBe(true);

    const seen: JournalLine[] = [];
    const ac = new AbortController();
    const following = svc.follow('ctl', 'fm-api', 0, ac.signal, (l) => seen.push(l));
    await new Promise((r) => setTimeout(r, 1500));
    await svc.action('ctl', ['fm-api'], 'restart', { withDependencies: false, timeoutMs: 60_000 });
    const end = Date.now() + 15_000;
    while (!seen.some((l) => /Started/.test(l.message)) && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
    }
    ac.abort();
    const n = await following;
    expect(n).toBe(seen.length);
    expect(seen.some((l) => /Stopp/.test(l.message))).toBe(true);
    expect(seen.some((l) => /Started/.test(l.message))).toBe(true);
  });

  it('runs privileged commands through sudo -n for a user that is not root', async () => {
    const l = await asSysadmin.list('ctl', ['fm-api']);
    expect(l.sudo).toBe(true);
    expect(l.services[0]).toMatchObject({ status: 'active' });
    const r = await asSysadmin.action('ctl', ['fm-api'], 'restart', {
      withDependencies: false,
      timeoutMs: 60_000,
    });
    expect(r.results[0]).toMatchObject({ ok: true, status: 'active' });
    const logs = await asSysadmin.logs('ctl', 'fm-api', 5);
    expect(logs.lines.length).toBeGreaterThan(0);
  });

  it('step kinds services.stop|start|status run on the step hosts and log each service', async () => {
    const kinds = new Map(servicesKinds(() => svc).map((k) => [k.name, k]));
    const logs: string[] = [];
    const results: { host: string; ok: boolean; summary?: string }[] = [];
    const ctx: StepRunContext = {
      runId: 'r1',
      stepId: 's1',
      hosts: [{ name: 'ctl', target: h.target() }],
      forks: 2,
      signal: new AbortController().signal,
      executor: { exec: () => Promise.reject(new Error('not used')) },
      log: (l) => logs.push(l),
      hostResult: (host, r) => results.push({ host, ...r }),
    };
    const run = (name: string, params: unknown) =>
      kinds.get(name)!.run(kinds.get(name)!.params.parse(params), ctx);
    expect(await run('services.stop', { services: ['fm-api'] })).toMatchObject({ ok: true });
    const down = await run('services.status', { services: ['fm-api'], expect: 'inactive' });
    expect(down).toMatchObject({ ok: true, outputs: { hosts: { ctl: { 'fm-api': 'inactive' } } } });
    expect((await run('services.status', { services: ['fm-api'], expect: 'active' })).ok).toBe(
      false,
    );
    expect(await run('services.start', { services: ['fm-api', 'fm-mgr'] })).toMatchObject({
      ok: true,
    });
    expect(logs).toContain('order: fm-mgr → fm-api');
    const failing = await run('services.start', { services: ['hwmon'] });
    expect(failing.ok).toBe(false);
    expect(logs.some((l) => /no board management controller provisioned/.test(l))).toBe(true);
    expect(results.at(-1)).toMatchObject({ host: 'ctl', ok: false, summary: '1 failed: hwmon' });
  });
});
