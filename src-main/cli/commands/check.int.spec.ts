// `stx-lab check` against a real Keystone and the Flock test services of a real systemd host:
// exit 0 when all pass (JSON and JUnit output), 1 with a wrong password, a suite file with a
// bad line named by file:line:column.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import type { CheckRunReport } from '../../shared/models/checks';
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
import { main } from '../index';

const ok = requirements({ commands: [...KEYSTONE_COMMANDS, ...SYSTEMD_HOST_COMMANDS], root: true });

function capture(): { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  return { out, err };
}

describe.runIf(ok)('stx-lab check', () => {
  let ks: Keystone;
  let host: SystemdHost;
  let dir: string;
  const base = (): string[] => [
    '--data',
    join(dir, 'data'),
    'check',
    '--keystone',
    ks.authUrl,
    '--user',
    ks.adminUser,
    '--project',
    ks.project,
    '--password-env',
    'STX_TEST_KS_PW',
  ];

  beforeAll(async () => {
    const [sysinv, fm] = [await freePort(), await freePort()];
    ks = await startKeystone({
      catalog: flockCatalog({ sysinv: `http://127.0.0.1:${sysinv}`, fm: `http://127.0.0.1:${fm}` }),
    });
    host = await startSystemdHost({ ports: { sysinv, fm }, keystoneUrl: ks.url });
    dir = mkdtempSync(join(tmpdir(), 'stx-cli-check-'));
  }, 600_000);
  afterAll(async () => {
    await host?.stop();
    await ks?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
    delete process.env.STX_TEST_KS_PW;
  });

  it('exits 0 when the flock suite passes, with JSON and JUnit', async () => {
    process.env.STX_TEST_KS_PW = ks.adminPassword;
    const io = capture();
    const junit = join(dir, 'checks.xml');
    const code = await main([...base(), '--json', '--junit', junit, '--budgets', 'warn']);
    const report = JSON.parse(io.out.join('')) as CheckRunReport;
    expect(report.results.filter((r) => !r.ok)).toEqual([]);
    expect(code).toBe(0);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(
      new RegExp(`<testsuite name="flock" tests="${report.results.length}" failures="0"`),
    );
    expect(xml).not.toContain(ks.adminPassword);
  });

  it('exits 1 with a wrong password and says why', async () => {
    process.env.STX_TEST_KS_PW = 'not-the-password';
    const io = capture();
    expect(await main([...base(), '--suite', 'sysinv'])).toBe(1);
    const text = io.out.join('\n');
    expect(text).toMatch(/keystone .*FAILED — Keystone refused the credentials of admin .*401/);
    expect(text).toMatch(/FAIL {2}sysinv-ihosts/);
  });

  it('runs a suite file, and names file:line:column of a bad one', async () => {
    process.env.STX_TEST_KS_PW = ks.adminPassword;
    const good = join(dir, 'mine.yaml');
    writeFileSync(
      good,
      `name: mine\ntitle: Mine\ninclude: [fm]\nchecks:\n  - id: isystems\n    endpoint: { type: platform, path: /v1/isystems }\n    expect: { assertions: [{ path: '$.isystems[0].name', op: exists }] }\n`,
    );
    const io = capture();
    expect(await main([...base(), '--suite', good, '--budgets', 'warn'])).toBe(0);
    expect(io.out.join('\n')).toMatch(/3 passed, 0 failed \(suite mine/);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'name: bad\ntitle: Bad\nchecks:\n  - id: x\n    url: http://127.0.0.1:1/\n    expect: { status: 999 }\n',
    );
    expect(await main([...base(), '--suite', bad])).toBe(1);
    expect(io.err.join('\n')).toMatch(/bad\.yaml:6:\d+: checks\.0\.expect\.status/);
  });
});
