// The systemd-host fixture against itself: a real Debian booted by systemd-nspawn, reached over
// real OpenSSH with the pinned host key, its Flock test units queried, started, stopped and
// failed through systemctl, their journal read, their HTTP APIs called.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { requirements } from './requirements';
import {
  ensureRootfs,
  startSystemdHost,
  SYSTEMD_HOST_COMMANDS,
  type SystemdHost,
} from './systemd-host';

const ok = requirements({ commands: [...SYSTEMD_HOST_COMMANDS, 'ssh-keyscan'], root: true });

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { headers: { Accept: 'application/json' } });
  return { status: res.status, body: await res.json() };
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

describe.skipIf(!ok)('systemd host (systemd-nspawn)', () => {
  let h: SystemdHost;
  beforeAll(async () => {
    h = await startSystemdHost();
  }, 600_000);
  afterAll(async () => {
    await h?.stop();
  }, 60_000);

  it('serves the pinned host key and refuses any other', async () => {
    const scanned = execFileSync(
      'ssh-keyscan',
      ['-t', 'ed25519', '-p', String(h.port), '127.0.0.1'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    expect(scanned.trim()).toBe(h.knownHostsLine);
    expect(h.hostKey.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);

    const other = join(h.dir, 'other_known_hosts');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(h.dir, 'other')]);
    const otherKey = execFileSync('cat', [join(h.dir, 'other.pub')], { encoding: 'utf8' });
    writeFileSync(other, `[127.0.0.1]:${h.port} ${otherKey.split(' ').slice(0, 2).join(' ')}\n`);
    const args = ['-i', h.keyPath, '-p', String(h.port), '-o', `UserKnownHostsFile=${other}`];
    const strict = ['-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes'];
    let stderr = '';
    try {
      execFileSync('ssh', [...args, ...strict, 'root@127.0.0.1', 'true'], { stdio: 'pipe' });
    } catch (e) {
      stderr = String((e as { stderr: Buffer }).stderr);
    }
    expect(stderr).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);
  });

  it('is a booted systemd with the Flock units active and journalled', async () => {
    const state = await h.exec(['systemctl', 'is-system-running']);
    expect(state.stdout.trim()).toMatch(/^(running|degraded)$/);
    const pid1 = await h.exec(['cat', '/proc/1/comm']);
    expect(pid1.stdout.trim()).toBe('systemd');
    const active = await h.exec([
      'systemctl',
      'is-active',
      'sysinv-api',
      'sysinv-conductor',
      'fm-api',
      'fminit',
    ]);
    expect(active).toMatchObject({ code: 0, stdout: 'active\nactive\nactive\nactive\n' });
    const hw = await h.exec(['systemctl', 'is-active', 'hwmon']);
    expect(hw.code).toBe(3);
    expect(hw.stdout.trim()).toBe('inactive');
    const log = await h.exec([
      'journalctl',
      '-u',
      'sysinv-api',
      '-n',
      '20',
      '--no-pager',
      '-o',
      'cat',
    ]);
    expect(log.stdout).toContain(`sysinv-api: listening on 127.0.0.1:${h.services.sysinv.port}`);
    const unknown = await h.exec(['systemctl', 'status', 'no-such-flock.service']);
    expect(unknown.code).toBe(4);
  });

  it('answers the sysinv and fm API shapes on its own ports', async () => {
    const hosts = await getJson(`${h.services.sysinv.url}/v1/ihosts`);
    expect(hosts.status).toBe(200);
    const [host] = (hosts.body as { ihosts: Record<string, unknown>[] }).ihosts;
    expect(host).toMatchObject({
      hostname: 'controller-0',
      personality: 'controller',
      administrative: 'unlocked',
    });
    const alarms = await getJson(`${h.services.fm.url}/v1/alarms`);
    expect(
      (alarms.body as { ialarms: { alarm_id: string }[] }).ialarms.map((a) => a.alarm_id),
    ).toEqual(['250.001', '100.103']);
    const summary = await getJson(`${h.services.fm.url}/v1/alarms/summary`);
    expect(summary.body).toEqual({
      status: 'degraded',
      critical: 0,
      major: 1,
      minor: 1,
      warnings: 0,
    });
    const missing = await getJson(`${h.services.sysinv.url}/v1/nothing`);
    expect(missing.status).toBe(404);
  });

  it('stops and starts units in dependency order, as root and through sudo', async () => {
    expect((await h.exec(['systemctl', 'stop', 'sysinv-conductor'])).code).toBe(0);
    const after = await h.exec(['systemctl', 'is-active', 'sysinv-api', 'sysinv-conductor']);
    expect(after.stdout).toBe('inactive\ninactive\n');
    expect(await portOpen(h.services.sysinv.port)).toBe(false);
    // The unit's journal: its own start line and systemd's stop line. (Its "received SIGTERM"
    // line is written as it exits; journald may file that last line without the unit's name when
    // the process is gone before journald looks up its cgroup, so it is not asserted.)
    const stopLog = await h.exec(['journalctl', '-u', 'sysinv-conductor', '-o', 'cat']);
    expect(stopLog.stdout).toContain('sysinv-conductor: started');
    expect(stopLog.stdout).toContain('Stopped sysinv-conductor.service');

    const sudo = ['sudo', '-n', 'systemctl', 'start', 'sysinv-api'];
    expect(await h.exec(sudo, { user: h.sudoUser })).toMatchObject({ code: 0 });
    const back = await h.exec(['systemctl', 'is-active', 'sysinv-api', 'sysinv-conductor']);
    expect(back.stdout).toBe('active\nactive\n');
    expect(await portOpen(h.services.sysinv.port)).toBe(true);
  });

  it('has a unit that fails to start with its own log lines', async () => {
    const start = await h.exec(['systemctl', 'start', 'hwmon']);
    expect(start.code).not.toBe(0);
    expect(start.stderr).toContain('hwmon.service');
    expect((await h.exec(['systemctl', 'is-failed', 'hwmon'])).stdout.trim()).toBe('failed');
    const log = await h.exec(['journalctl', '-u', 'hwmon', '-n', '10', '--no-pager', '-o', 'cat']);
    expect(log.stdout).toContain('hwmon: error: no board management controller provisioned');
    expect((await h.exec(['systemctl', 'reset-failed', 'hwmon'])).code).toBe(0);
  });

  it('cleans up on stop and never writes to the cached rootfs', async () => {
    const other = await startSystemdHost({ autostart: false });
    const dir = other.dir;
    const port = other.port;
    expect((await other.exec(['systemctl', 'is-active', 'sysinv-api'])).stdout.trim()).toBe(
      'inactive',
    );
    await other.stop();
    expect(existsSync(dir)).toBe(false);
    expect(await portOpen(port)).toBe(false);
    const rootfs = await ensureRootfs();
    expect(existsSync(join(rootfs, 'opt/flock/flock_api.py'))).toBe(false);
    expect(existsSync(join(rootfs, 'etc/ssh/ssh_host_ed25519_key'))).toBe(false);
  }, 180_000);
});
