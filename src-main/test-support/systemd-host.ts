// Test support: a real systemd host. A Debian bookworm root filesystem (built once by
// scripts/lab/build-rootfs.sh, cached in /var/cache/stx-lab) booted with
//   systemd-nspawn -b -D <overlay> --register=no --keep-unit
// sharing the host's network namespace, so its sshd and the Flock test services listen on
// 127.0.0.1 ports of this machine. Needs root, systemd-nspawn and debootstrap: specs guard with
//   requirements({ commands: SYSTEMD_HOST_COMMANDS, root: true })
// (skipped on a dev box, FAILS under CI=true). The first call on a clean machine builds the
// rootfs (about 2 minutes): give the beforeAll hook a long timeout (e.g. 600_000).
//
//   const h = await startSystemdHost({ keystoneUrl: ks.url });
//   h.port / h.user ('root') / h.sudoUser ('sysadmin', NOPASSWD sudo) / h.keyPath (ed25519)
//   h.hostKey.fingerprint, h.knownHostsLine, h.knownHostsPath: pin the host key, never accept new
//   h.labHost: a LabHost, so `new MapVerifier([h.labHost])` from lab-in-a-box works; h.target()
//   h.services.sysinv.url / h.services.fm.url: the test APIs (http://127.0.0.1:<port>)
//   await h.exec(['systemctl', 'is-active', 'sysinv-api']) // plain OpenSSH, pinned key
//   await h.stop() // always: powers the container off, unmounts and removes the overlay
//
// Units installed (src-main/test-support/flock-services/units), all under /etc/systemd/system:
//   sysinv-conductor (simple daemon), sysinv-api (Type=notify, Requires+After conductor),
//   fminit (fmManager daemon), fm-api (Type=notify, Requires+After fminit): enabled at boot
//   unless `autostart: false`; hwmon: Type=forking, ALWAYS fails to start (exit 1) after writing
//   three lines to its journal ("hwmon: error: no board management controller provisioned…");
//   never enabled. Ports come from /etc/flock/flock.env (SYSINV_API_PORT, FM_API_PORT,
//   KEYSTONE_URL, KEYSTONE_CA, FLOCK_TLS_CERT/KEY). `tls: makeTestCa(dir)` serves them over HTTPS
//   (url https://…); `keystoneCa` lets them validate against an https Keystone. By default free
//   ports are chosen (6385/18002 may be taken by a parallel run); pass
//   `ports: { sysinv: 6385, fm: 18002 }` for the real ones. With `keystoneUrl`, the APIs answer
//   /v1/* only with a token that Keystone validates (401 otherwise); `/` and `/v1` are open.
//   Both fixtures at once: pick Keystone's port first (freePort() from ./fixture-util), start
//   the host with keystoneUrl and Keystone with flockCatalog(...) in parallel (see
//   flock-services.int.spec.ts).
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { quoteArg } from '../core/ssh/quote';
import type { SshTarget } from '../core/ssh/types';
import { freePort, killTree, onExit, pubKeyOf } from './fixture-util';
import type { LabHost, LabHostKey } from './lab-in-a-box';
import {
  ensureRootfs,
  install,
  mountOverlay,
  provision,
  RUN_PREFIX,
  sweepStaleRuns,
  unmount,
} from './systemd-host-rootfs';
import type { TestCa } from './test-ca';

export { ensureRootfs, FLOCK_UNITS } from './systemd-host-rootfs';

const run = promisify(execFile);
export const SYSTEMD_HOST_COMMANDS = [
  'systemd-nspawn',
  'debootstrap',
  'setpriv',
  'ssh',
  'ssh-keygen',
];
// Colour escapes in the console output (ESC [ … m).
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

export interface SystemdHostOptions {
  readonly ports?: { readonly sysinv?: number; readonly fm?: number };
  /** The test APIs check X-Auth-Token against this Keystone (e.g. startKeystone()'s url). */
  readonly keystoneUrl?: string;
  /** A CA file (PEM, on this machine) the APIs trust for an https keystoneUrl. */
  readonly keystoneCa?: string;
  /** Serve the APIs over HTTPS with this certificate (makeTestCa() from ./test-ca). */
  readonly tls?: TestCa;
  /** Enable the sysinv and fm units at boot (default true). hwmon is never enabled. */
  readonly autostart?: boolean;
  readonly bootTimeoutMs?: number;
}

export interface ExecOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface SystemdHost {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly user: 'root';
  readonly sudoUser: 'sysadmin';
  readonly keyPath: string;
  readonly hostKey: LabHostKey;
  readonly hostKeys: readonly LabHostKey[];
  /** `[127.0.0.1]:PORT ssh-ed25519 AAAA…` */
  readonly knownHostsLine: string;
  readonly knownHostsPath: string;
  readonly labHost: LabHost;
  readonly machine: string;
  /** The per-run directory (keys, overlay); rootDir is the booted tree. */
  readonly dir: string;
  readonly rootDir: string;
  readonly services: {
    readonly sysinv: { readonly port: number; readonly url: string };
    readonly fm: { readonly port: number; readonly url: string };
  };
  target(user?: string): SshTarget;
  /** Runs argv over OpenSSH (quoted with quoteArg), strict host-key checking. Never rejects. */
  exec(argv: readonly string[], opts?: { user?: string; timeoutMs?: number }): Promise<ExecOutcome>;
  /** The container console's last lines (boot messages). */
  consoleLog(): string;
  stop(): Promise<void>;
}

export async function startSystemdHost(options: SystemdHostOptions = {}): Promise<SystemdHost> {
  const rootfs = await ensureRootfs();
  sweepStaleRuns();
  const dir = mkdtempSync(join(tmpdir(), RUN_PREFIX));
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'owner.pid'), String(process.pid));
  const root = join(dir, 'root');
  mkdirSync(root);
  const machine = `stxlab-${process.pid}-${dir.slice(-6).replace(/[^A-Za-z0-9]/g, 'x')}`;
  let proc: ChildProcess | undefined;
  let overlay = false;
  const consoleLines: string[] = [];
  let stopped = false;
  const cleanup = (): void => {
    // Only while it runs: after its exit the pid may belong to someone else.
    if (proc?.pid && proc.exitCode === null && proc.signalCode === null) killTree(proc.pid);
    if (overlay) unmount(root);
    overlay = false;
    rmSync(dir, { recursive: true, force: true });
  };
  const unhook = onExit(cleanup);
  try {
    overlay = mountOverlay(rootfs, dir, root);
    const [sshPort, sysinvPort, fmPort] = await Promise.all([
      freePort(),
      options.ports?.sysinv ?? freePort(),
      options.ports?.fm ?? freePort(),
    ]);
    const keyPath = join(dir, 'id_ed25519');
    const hostKeyPath = join(dir, 'ssh_host_ed25519_key');
    await Promise.all([keygen(keyPath), keygen(hostKeyPath)]);
    const env = [`SYSINV_API_PORT=${sysinvPort}`, `FM_API_PORT=${fmPort}`];
    if (options.keystoneUrl) env.push(`KEYSTONE_URL=${options.keystoneUrl}`);
    const copy = (from: string, to: string, mode: number, key: string): void => {
      install(root, to, readFileSync(from, 'utf8'), mode);
      env.push(`${key}=/${to}`);
    };
    if (options.keystoneCa)
      copy(options.keystoneCa, 'etc/flock/tls/keystone-ca.pem', 0o644, 'KEYSTONE_CA');
    if (options.tls) {
      copy(options.tls.certPath, 'etc/flock/tls/server.pem', 0o644, 'FLOCK_TLS_CERT');
      copy(options.tls.keyPath, 'etc/flock/tls/server.key', 0o600, 'FLOCK_TLS_KEY');
    }
    const scheme = options.tls ? 'https' : 'http';
    provision(root, { sshPort, env: `${env.join('\n')}\n`, autostart: options.autostart ?? true });
    install(root, 'etc/ssh/ssh_host_ed25519_key', readFileSync(hostKeyPath, 'utf8'), 0o600);
    const hostPub = readFileSync(`${hostKeyPath}.pub`, 'utf8');
    install(root, 'etc/ssh/ssh_host_ed25519_key.pub', hostPub, 0o644);
    const authorized = readFileSync(`${keyPath}.pub`, 'utf8');
    install(root, 'root/.ssh/authorized_keys', authorized, 0o600);
    install(root, 'home/sysadmin/.ssh/authorized_keys', authorized, 0o600);
    execFileSync('chroot', [root, 'chown', '-R', 'sysadmin:sysadmin', '/home/sysadmin/.ssh']);

    const hostKey = pubKeyOf(hostPub);
    const knownHostsLine = `[127.0.0.1]:${sshPort} ${hostKey.type} ${hostKey.blob.toString('base64')}`;
    const knownHostsPath = join(dir, 'known_hosts');
    writeFileSync(knownHostsPath, `${knownHostsLine}\n`);

    const args = ['-b', '-q', '-D', root, '--register=no', '--keep-unit', `--machine=${machine}`];
    // pdeathsig: if this process dies without stop(), nspawn gets SIGTERM (a clean poweroff);
    // the next start sweeps the overlay (sweepStaleRuns).
    const pdeath = ['--pdeathsig', 'SIGTERM', '--', 'systemd-nspawn'];
    proc = spawn('setpriv', [...pdeath, ...args, '--console=read-only'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (proc.pid) writeFileSync(join(dir, 'nspawn.pid'), String(proc.pid));
    const collect = (d: Buffer): void => {
      const text = d.toString('utf8').replace(ANSI, '');
      consoleLines.push(...text.split('\n'));
      if (consoleLines.length > 300) consoleLines.splice(0, consoleLines.length - 300);
    };
    proc.stdout?.on('data', collect);
    proc.stderr?.on('data', collect);
    const exited = new Promise<number | null>((r) => proc!.once('exit', (c) => r(c)));

    const sshArgs = (user: string, timeoutS: number): string[] => [
      ...['-i', keyPath, '-p', String(sshPort), '-o', `UserKnownHostsFile=${knownHostsPath}`],
      ...['-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes'],
      ...['-o', `ConnectTimeout=${timeoutS}`, '-o', 'LogLevel=ERROR', `${user}@127.0.0.1`, '--'],
    ];
    const exec = (argv: readonly string[], o: { user?: string; timeoutMs?: number } = {}) =>
      new Promise<ExecOutcome>((done) => {
        const line = argv.map(quoteArg).join(' ');
        const timeout = o.timeoutMs ?? 60_000;
        const args = sshArgs(o.user ?? 'root', Math.ceil(Math.min(timeout, 10_000) / 1000));
        execFile('ssh', [...args, line], { timeout }, (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 255) : 0;
          done({ code, stdout, stderr });
        });
      });

    const deadline = Date.now() + (options.bootTimeoutMs ?? 120_000);
    let last = '';
    let down = false;
    void exited.then(() => (down = true));
    for (;;) {
      if (down) throw new Error(`systemd-nspawn exited during boot:\n${consoleLines.join('\n')}`);
      const r = await exec(['systemctl', 'is-system-running', '--wait'], { timeoutMs: 30_000 });
      last = `${r.stdout}${r.stderr}`.trim();
      if (/^(running|degraded)$/m.test(r.stdout)) break;
      if (Date.now() > deadline) {
        throw new Error(`systemd host did not boot (last: ${last}):\n${consoleLines.join('\n')}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }

    const hostKeys = [hostKey];
    const labHost: LabHost = {
      name: machine,
      host: '127.0.0.1',
      port: sshPort,
      hostKeys,
      hidden: false,
    };
    return {
      host: '127.0.0.1',
      port: sshPort,
      user: 'root',
      sudoUser: 'sysadmin',
      keyPath,
      hostKey,
      hostKeys,
      knownHostsLine,
      knownHostsPath,
      labHost,
      machine,
      dir,
      rootDir: root,
      services: {
        sysinv: { port: sysinvPort, url: `${scheme}://127.0.0.1:${sysinvPort}` },
        fm: { port: fmPort, url: `${scheme}://127.0.0.1:${fmPort}` },
      },
      target: (user = 'root') => ({
        name: machine,
        host: '127.0.0.1',
        port: sshPort,
        user,
        auth: { kind: 'key', keyPath, identitiesOnly: true },
        jump: [],
      }),
      exec,
      consoleLog: () => consoleLines.join('\n'),
      async stop() {
        if (stopped) return;
        stopped = true;
        // SIGTERM makes nspawn ask the container's systemd for a clean poweroff.
        if (proc?.pid && proc.exitCode === null && proc.signalCode === null) {
          proc.kill('SIGTERM');
          const timer = new Promise((r) => setTimeout(r, 20_000).unref());
          await Promise.race([exited, timer]);
        }
        cleanup();
        unhook();
      },
    };
  } catch (err) {
    stopped = true;
    cleanup();
    unhook();
    throw err;
  }
}

async function keygen(path: string): Promise<void> {
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'stx-lab', '-f', path]);
}
