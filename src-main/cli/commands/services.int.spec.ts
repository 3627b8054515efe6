// `stx-lab services` against a real systemd host (systemd-nspawn) over real SSH, the host taken
// from an Ansible inventory (-i) and its key pinned (--known-hosts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import type { ServiceActionReport, ServicesList } from '../../shared/models/services';
import { requirements } from '../../test-support/requirements';
import {
  startSystemdHost,
  SYSTEMD_HOST_COMMANDS,
  type SystemdHost,
} from '../../test-support/systemd-host';
import { main } from '../index';

const ok = requirements({ commands: SYSTEMD_HOST_COMMANDS, root: true });

function capture(): { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  return { out, err };
}

describe.runIf(ok)('stx-lab services', () => {
  let h: SystemdHost;
  let dir: string;
  const args = (...rest: string[]): string[] => [
    '--data',
    join(dir, 'data'),
    'services',
    ...rest,
    '-i',
    join(dir, 'inv.ini'),
    '--known-hosts',
    h.knownHostsPath,
  ];

  beforeAll(async () => {
    h = await startSystemdHost();
    dir = mkdtempSync(join(tmpdir(), 'stx-cli-services-'));
    writeFileSync(
      join(dir, 'inv.ini'),
      `[controllers]\nctl ansible_host=127.0.0.1 ansible_port=${h.port} ansible_user=root ansible_ssh_private_key_file=${h.keyPath}\n`,
    );
  }, 600_000);
  afterAll(async () => {
    await h?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('lists, restarts in order, shows a failing start with its journal, tails logs', async () => {
    process.exitCode = undefined;
    const io = capture();
    const code = await main(args('list', 'ctl', 'sysinv-api', 'fm-api', '--json'));
    expect(io.err).toEqual([]);
    expect(code).toBe(0);
    const l = JSON.parse(io.out.join('')) as ServicesList;
    expect(l.services.map((s) => [s.name, s.status])).toEqual([
      ['sysinv-api', 'active'],
      ['fm-api', 'active'],
    ]);

    io.out.length = 0;
    expect(await main(args('restart', 'ctl', 'sysinv-api', 'sysinv-conductor', '--json'))).toBe(0);
    const r = JSON.parse(io.out.join('')) as ServiceActionReport;
    expect(r.order).toEqual(['sysinv-conductor', 'sysinv-api']);

    io.out.length = 0;
    expect(await main(args('start', 'ctl', 'hwmon'))).toBe(1);
    const text = io.out.join('\n');
    expect(text).toMatch(/FAIL {2}hwmon \(hwmon\.service\)/);
    expect(text).toMatch(/no board management controller provisioned/);

    io.out.length = 0;
    expect(await main(args('logs', 'ctl', 'sysinv-api', '-n', '5'))).toBe(0);
    expect(io.out.length).toBeGreaterThan(0);
    expect(io.out.length).toBeLessThanOrEqual(5);
  });
});
