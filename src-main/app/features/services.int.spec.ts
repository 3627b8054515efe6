// The services feature through the contract (dispatcher + local client, as the renderer and the
// web face call it): catalog, a real systemd host's services, an action streamed in dependency
// order with its event, and a check run whose Keystone password is asked through the
// credentials prompt (never stored), then history. Bad input is refused by the zod schemas.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Client } from '../../shared/client';
import type { AppContract } from '../../shared/contract';
import { AppError } from '../../shared/errors';
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
import { createApp, type App } from '../create-app';
import { localClient } from '../local-client';

const ok = requirements({ commands: [...KEYSTONE_COMMANDS, ...SYSTEMD_HOST_COMMANDS], root: true });

describe.runIf(ok)('services and checks through the contract', () => {
  let ks: Keystone;
  let h: SystemdHost;
  let dir: string;
  let app: App;
  let client: Client<AppContract>;

  beforeAll(async () => {
    const [sysinv, fm] = [await freePort(), await freePort()];
    ks = await startKeystone({
      catalog: flockCatalog({ sysinv: `http://127.0.0.1:${sysinv}`, fm: `http://127.0.0.1:${fm}` }),
    });
    h = await startSystemdHost({ ports: { sysinv, fm }, keystoneUrl: ks.url });
    dir = mkdtempSync(join(tmpdir(), 'stx-feature-services-'));
    app = createApp({ dataDir: dir, face: 'web', ssh: { userKnownHosts: h.knownHostsPath } });
    client = localClient(app.dispatcher);
    await client.call('hosts.save', {
      name: 'ctl',
      address: '127.0.0.1',
      port: h.port,
      user: 'root',
      auth: { kind: 'key', keyPath: h.keyPath },
    });
  }, 600_000);
  afterAll(async () => {
    client?.dispose();
    await app?.ssh.dispose();
    app?.close();
    await h?.stop();
    await ks?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('catalog, list and a streamed action with its event', async () => {
    const catalog = await client.call('services.catalog', {});
    expect(catalog.map((s) => s.name)).toEqual(
      expect.arrayContaining(['keystone', 'sysinv-api', 'dcmanager']),
    );
    const list = await client.call('services.list', { host: 'ctl' });
    expect(list.services.find((s) => s.name === 'sysinv-api')).toMatchObject({
      status: 'active',
      manager: 'systemd',
    });
    const changed: string[][] = [];
    const off = client.on('services.changed', (e) => changed.push(e.services));
    const chunks: string[] = [];
    const report = await client.call(
      'services.action',
      { host: 'ctl', services: ['fm-api', 'fm-mgr'], action: 'restart' },
      { onChunk: (c) => chunks.push(c.type === 'result' ? `result:${c.result.service}` : c.type) },
    );
    expect(report.ok).toBe(true);
    expect(chunks).toEqual(['plan', 'step', 'result:fm-mgr', 'step', 'result:fm-api']);
    await new Promise((r) => setTimeout(r, 50));
    expect(changed).toEqual([['fm-mgr', 'fm-api']]);
    off();
    const logs = await client.call('services.logs', { host: 'ctl', service: 'fm-api', lines: 10 });
    expect(logs.lines.length).toBeGreaterThan(0);
  });

  it('refuses bad input with field errors', async () => {
    const err = await client
      .call('services.action', { host: 'ctl', services: [], action: 'explode' as 'start' })
      .catch((e: unknown) => e as AppError);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('invalid_input');
    const bad = await client
      .call('checks.run', { suite: 'flock', checks: [] })
      .catch((e: unknown) => e as AppError);
    expect((bad as AppError).code).toBe('invalid_input');
  });

  it('runs a suite, asking the Keystone password through a prompt; history follows', async () => {
    const asked: string[] = [];
    const off = client.on('prompt.credentials', (p) => {
      asked.push(p.prompts[0]!.prompt);
      void client.call('prompts.answer', { id: p.id, values: [ks.adminPassword] });
    });
    const events: string[] = [];
    const report = await client.call(
      'checks.run',
      {
        suite: 'flock',
        keystone: { url: ks.url, user: ks.adminUser, project: ks.project },
        budgets: 'warn',
      },
      { onChunk: (e) => events.push(e.type) },
    );
    off();
    expect(asked).toEqual([`Keystone password for ${ks.adminUser} (project ${ks.project})`]);
    expect(report.results.filter((r) => !r.ok)).toEqual([]);
    expect(events[0]).toBe('keystone');
    // Remembered for the process: no second prompt.
    await client.call('checks.run', {
      suite: 'sysinv',
      keystone: { url: ks.url, user: ks.adminUser, project: ks.project },
      budgets: 'warn',
    });
    expect(asked).toHaveLength(1);
    const history = await client.call('checks.history', { check: 'sysinv-ihosts' });
    expect(history).toHaveLength(2);
    const runs = await client.call('checks.runs', {});
    expect(runs[1]!.runId).toBe(report.runId);
    expect((await client.call('checks.report', { runId: report.runId })).results).toHaveLength(
      report.results.length,
    );
    const suites = await client.call('checks.suites', {});
    expect(suites.find((s) => s.name === 'flock')!.checks.length).toBe(report.results.length);
  });
});
