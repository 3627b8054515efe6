// The systemd-host fixture's file-system side: the cached Debian rootfs (built by
// scripts/lab/build-rootfs.sh), the per-run overlayfs over it, what each run writes into that
// overlay (Flock test services, units, sshd drop-in), and the sweep of runs whose owner died.
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { killTree, processAlive } from './fixture-util';

const run = promisify(execFile);
const HERE = import.meta.dirname;
const BUILD_SCRIPT = resolve(HERE, '../../scripts/lab/build-rootfs.sh');
const SERVICES_DIR = join(HERE, 'flock-services');
export const FLOCK_UNITS = ['sysinv-conductor', 'sysinv-api', 'fminit', 'fm-api', 'hwmon'];
const AUTOSTART = ['sysinv-conductor', 'sysinv-api', 'fminit', 'fm-api'];
export const RUN_PREFIX = 'stx-systemd-host-';

/** Builds (or finds) the cached rootfs and returns its path. Minutes on a clean machine. */
export async function ensureRootfs(): Promise<string> {
  const { stdout } = await run('bash', [BUILD_SCRIPT], { maxBuffer: 1 << 20, timeout: 900_000 });
  return stdout.trim().split('\n').at(-1)!;
}

export function mountOverlay(lower: string, dir: string, root: string): boolean {
  for (const d of ['upper', 'work']) mkdirSync(join(dir, d));
  const opts = `lowerdir=${lower},upperdir=${join(dir, 'upper')},workdir=${join(dir, 'work')}`;
  try {
    execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', opts, root], { stdio: 'pipe' });
    return true;
  } catch {
    cpSync(lower, root, { recursive: true, verbatimSymlinks: true }); // no overlayfs: a copy
    return false;
  }
}

export function unmount(root: string): void {
  try {
    execFileSync('umount', [root], { stdio: 'ignore' });
  } catch {
    execFileSync('umount', ['-l', root], { stdio: 'ignore' }); // busy: detach lazily
  }
}

export function install(root: string, rel: string, text: string, mode: number): void {
  const path = join(root, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text, { mode });
  chmodSync(path, mode);
}

export function provision(
  root: string,
  o: { sshPort: number; env: string; autostart: boolean },
): void {
  for (const f of ['flock_api.py', 'flock_daemon.py', 'flock_fail.py']) {
    install(root, `opt/flock/${f}`, readFileSync(join(SERVICES_DIR, 'bin', f), 'utf8'), 0o755);
  }
  for (const u of FLOCK_UNITS) {
    const text = readFileSync(join(SERVICES_DIR, 'units', `${u}.service`), 'utf8');
    install(root, `etc/systemd/system/${u}.service`, text, 0o644);
  }
  install(root, 'etc/flock/flock.env', o.env, 0o644);
  if (o.autostart) {
    const wants = join(root, 'etc/systemd/system/multi-user.target.wants');
    mkdirSync(wants, { recursive: true });
    for (const u of AUTOSTART)
      symlinkSync(`/etc/systemd/system/${u}.service`, join(wants, `${u}.service`));
  }
  const sshd = [
    `Port ${o.sshPort}`,
    'ListenAddress 127.0.0.1',
    'HostKey /etc/ssh/ssh_host_ed25519_key',
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UseDNS no',
    'MaxStartups 100:30:200',
    'MaxSessions 50',
  ];
  install(root, 'etc/ssh/sshd_config.d/stx-lab.conf', `${sshd.join('\n')}\n`, 0o644);
}

function mounted(path: string): boolean {
  return readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .some((l) => l.split(' ')[1] === path);
}

/**
 * Cleans up runs whose owning process died without stop() (SIGKILL, a timeout): kills their
 * container if still up, unmounts the overlay, removes the directory. Runs of live owners (this
 * or another test process) are left alone.
 */
export function sweepStaleRuns(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(RUN_PREFIX)) continue;
    const dir = join(tmpdir(), name);
    let owner: number;
    try {
      owner = Number(readFileSync(join(dir, 'owner.pid'), 'utf8'));
    } catch {
      continue; // not fully created yet, or not ours
    }
    if (processAlive(owner)) continue;
    try {
      const nspawn = Number(readFileSync(join(dir, 'nspawn.pid'), 'utf8'));
      if (processAlive(nspawn, dir)) killTree(nspawn);
    } catch {
      // never booted
    }
    const root = join(dir, 'root');
    if (mounted(root)) unmount(root);
    rmSync(dir, { recursive: true, force: true });
  }
}
