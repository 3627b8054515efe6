// Test support: a lab in a box. Real OpenSSH `sshd` processes on loopback ports, each with its
// own host keys, a real `ssh-agent`, and (with `bastion: true`) targets that only the bastion
// can reach. Stops exactly the processes it started (and their descendants: the sessions).
//
// Isolation of the bastion's targets: when `ip netns` works, the targets and the 2nd/3rd hops run
// inside a private network namespace (only `lo`, nothing routed to it). The bastion is an sshd
// run in inetd mode (`sshd -i`) INSIDE that namespace, one process per connection, fed by a
// relay that listens on 127.0.0.1 in the root namespace (like a published container port). So
// the bastion's forwarded connections are the only way in. The bastion's `PermitOpen` also lets
// it reach only the targets and hop 2, so the chain's last hop needs hop 2 (a true 3-hop chain).
// Without netns everything listens on 127.0.0.1 and `isolation` is 'none' (tests skip the proof).
//
// Users: password and keyboard-interactive need a real password, and we never touch root's. So,
// when root, the fixture creates a dedicated system user `stxlab` (idempotent: useradd once,
// chpasswd each start; shell /bin/sh, home /tmp, no rc files) with a known password, and `user`
// is that account for every auth method. Root would work too (PermitRootLogin yes is set), but
// root's ~/.bashrc on these machines runs `pyenv init` on every SSH command (+0.5 s each). When
// not root, `user` is the current user and password/kbd-interactive are unavailable.
// Keyboard-interactive on Linux needs PAM, so a host with `kbdInteractive` runs UsePAM yes; all
// others run UsePAM no.
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, connect as netConnect, type Server } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { fingerprintSha256, keyTypeOf } from '../core/ssh/fingerprint';
import type { HostKeyCheck, HostKeyVerifier, SshAuth, SshTarget } from '../core/ssh/types';

const run = promisify(execFile);
const SSHD = '/usr/sbin/sshd';
export const LAB_PASSWORD_USER = 'stxlab';
export const LAB_PASSWORD = 'stx-Lab-test-pw-7';

export interface LabHostKey {
  readonly type: string;
  readonly blob: Buffer;
  readonly fingerprint: string;
}

export interface LabHostSpec {
  readonly password?: boolean;
  readonly kbdInteractive?: boolean;
  readonly maxSessions?: number;
}

export interface LabHost {
  readonly name: string;
  /** Address as dialled: 127.0.0.1 (in the lab namespace for targets behind the bastion). */
  readonly host: string;
  readonly port: number;
  readonly hostKeys: readonly LabHostKey[];
  /** true when only reachable through the bastion (or the chain). */
  readonly hidden: boolean;
}

export interface LabOptions {
  /** Directly reachable hosts: a count or one spec per host. */
  readonly hosts?: number | readonly LabHostSpec[];
  /** Adds a bastion, `targets` (default 1) behind it and a 3-hop chain bastion → hop2 → hop3. */
  readonly bastion?: boolean;
  readonly targets?: number;
}

export interface Lab {
  readonly hosts: readonly LabHost[];
  readonly bastion?: LabHost;
  readonly targets: readonly LabHost[];
  /** [bastion, hop2, hop3]: hop3 is reachable only from hop2. */
  readonly chain: readonly LabHost[];
  readonly isolation: 'netns' | 'none';
  /** The private network namespace of the bastion's targets (when isolation is 'netns'). */
  readonly netns: string | undefined;
  readonly user: string;
  /** Client keys (unencrypted), all authorised: ed25519 (keyPath), ecdsa, rsa 2048. */
  readonly keyPath: string;
  readonly keyPaths: { readonly ed25519: string; readonly ecdsa: string; readonly rsa: string };
  readonly encryptedKeyPath: string;
  readonly passphrase: string;
  /** Password user (needs root to create); undefined otherwise. */
  readonly passwordUser: string | undefined;
  readonly password: string | undefined;
  /** A real ssh-agent holding one authorised key that is not on disk anywhere else. */
  readonly agentSocket: string;
  readonly dir: string;
  knownHostsText(): string;
  /** SIGKILLs a host's sshd and every session under it (the connection drops). */
  kill(name: string): void;
  /** Starts a killed host again on the same port with the same keys. */
  restart(name: string): Promise<void>;
  stop(): Promise<void>;
}

// ── process tracking: exactly what we started, killed on stop and on process exit ──

const tracked = new Set<number>();
const namespaces = new Set<string>();
let exitHookInstalled = false;

function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(name), ppid);
    } catch {
      // raced with an exit
    }
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    const p = queue.shift()!;
    for (const [child, pp] of parent) {
      if (pp !== p) continue;
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

function killTree(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const p of [pid, ...descendants(pid)]) {
    try {
      process.kill(p, signal);
    } catch {
      // already gone
    }
  }
  tracked.delete(pid);
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of [...tracked]) killTree(pid);
    for (const ns of namespaces) {
      try {
        execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
      } catch {
        // best effort
      }
    }
  });
}

// ── helpers ──

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function keygen(path: string, type: string, passphrase = '', bits?: number): Promise<void> {
  const args = ['-q', '-t', type, '-N', passphrase, '-C', 'lab', '-f', path];
  if (bits) args.push('-b', String(bits));
  await run('ssh-keygen', args);
}

function pubLine(path: string): string {
  return readFileSync(`${path}.pub`, 'utf8').trim();
}

function hostKeysOf(dir: string): LabHostKey[] {
  return ['ed25519', 'ecdsa', 'rsa'].map((t) => {
    const [type, b64] = pubLine(join(dir, `ssh_host_${t}_key`)).split(' ');
    const blob = Buffer.from(b64!, 'base64');
    return { type: type!, blob, fingerprint: fingerprintSha256(blob) };
  });
}

/** Resolves when something on host:port answers with an SSH banner. */
async function waitForBanner(port: number, deadline: number): Promise<void> {
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = netConnect(port, '127.0.0.1');
      s.setTimeout(1000, () => (s.destroy(), resolve(false)));
      s.once('error', () => resolve(false));
      s.once('data', (d) => (s.destroy(), resolve(d.toString('latin1').startsWith('SSH-2.0-'))));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`no SSH banner on 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function netnsWorks(): boolean {
  if (process.getuid?.() !== 0) return false;
  const ns = `stxlab-probe-${process.pid}`;
  try {
    execFileSync('ip', ['netns', 'add', ns], { stdio: 'ignore' });
    execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function ensurePasswordUser(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('id', [LAB_PASSWORD_USER], { stdio: 'ignore' });
  } catch {
    try {
      const args = ['--system', '--no-create-home', '--home-dir', '/tmp', '--shell', '/bin/sh'];
      execFileSync('useradd', [...args, LAB_PASSWORD_USER], { stdio: 'ignore' });
    } catch {
      // a parallel lab may have created it meanwhile
      execFileSync('id', [LAB_PASSWORD_USER], { stdio: 'ignore' });
    }
  }
  execFileSync('chpasswd', { input: `${LAB_PASSWORD_USER}:${LAB_PASSWORD}\n` });
  return true;
}

// ── one sshd ──

interface HostState {
  readonly host: LabHost;
  readonly config: string;
  readonly netns: string | undefined;
  /** inetd-mode bastion: a relay server instead of a listening sshd. */
  readonly inetd: boolean;
  proc: ChildProcess | undefined;
  relay: Server | undefined;
  log: string[];
}

function sshdConfig(
  dir: string,
  port: number,
  authorizedKeys: string,
  spec: LabHostSpec,
  permitOpen?: string,
): string {
  const lines = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    ...['ed25519', 'ecdsa', 'rsa'].map((t) => `HostKey ${join(dir, `ssh_host_${t}_key`)}`),
    'PidFile none',
    `UsePAM ${spec.kbdInteractive ? 'yes' : 'no'}`,
    'PermitRootLogin yes',
    'StrictModes no',
    `AuthorizedKeysFile ${authorizedKeys}`,
    'PubkeyAuthentication yes',
    `PasswordAuthentication ${spec.password ? 'yes' : 'no'}`,
    `KbdInteractiveAuthentication ${spec.kbdInteractive ? 'yes' : 'no'}`,
    `MaxSessions ${spec.maxSessions ?? 10}`,
    'MaxStartups 200:30:400',
    'MaxAuthTries 10',
    'AllowTcpForwarding yes',
    'UseDNS no',
    'PrintMotd no',
    'X11Forwarding no',
    'Subsystem sftp internal-sftp',
    'LogLevel INFO',
  ];
  if (permitOpen) lines.push(`PermitOpen ${permitOpen}`);
  return `${lines.join('\n')}\n`;
}

function watchLog(state: HostState, proc: ChildProcess, onLine?: (line: string) => void): void {
  let partial = '';
  proc.stderr?.on('data', (d: Buffer) => {
    const text = partial + d.toString('utf8');
    const lines = text.split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) {
      state.log.push(l);
      if (state.log.length > 50) state.log.shift();
      onLine?.(l);
    }
  });
}

function spawnTracked(cmd: string, args: string[], netns: string | undefined): ChildProcess {
  const [c, a] = netns ? ['ip', ['netns', 'exec', netns, cmd, ...args]] : [cmd, args];
  const proc = spawn(c, a, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (proc.pid) tracked.add(proc.pid);
  proc.once('exit', () => proc.pid && tracked.delete(proc.pid));
  return proc;
}

async function startDaemon(state: HostState): Promise<void> {
  const deadline = Date.now() + 10_000;
  if (state.inetd) {
    const relay = createServer((sock) => {
      const args = ['-i', '-e', '-f', state.config];
      const [c, a] = state.netns
        ? ['ip', ['netns', 'exec', state.netns, SSHD, ...args]]
        : [SSHD, args];
      const proc = spawn(c, a, { stdio: ['pipe', 'pipe', 'pipe'] });
      if (proc.pid) tracked.add(proc.pid);
      proc.once('exit', () => (proc.pid && tracked.delete(proc.pid), sock.destroy()));
      watchLog(state, proc);
      sock.setNoDelay(true);
      sock.pipe(proc.stdin);
      proc.stdout.pipe(sock);
      sock.on('error', () => proc.pid && killTree(proc.pid));
      sock.on('close', () => proc.pid && killTree(proc.pid));
      proc.stdin.on('error', () => {});
    });
    await new Promise<void>((resolve, reject) => {
      relay.once('error', reject);
      relay.listen(state.host.port, '127.0.0.1', () => resolve());
    });
    state.relay = relay;
    return;
  }
  const proc = spawnTracked(SSHD, ['-D', '-e', '-f', state.config], state.netns);
  state.proc = proc;
  const listening = new Promise<void>((resolve, reject) => {
    watchLog(state, proc, (l) => l.includes('Server listening on') && resolve());
    proc.once('exit', (code) =>
      reject(new Error(`sshd ${state.host.name} exited (${code}): ${state.log.join('\n')}`)),
    );
    setTimeout(() => reject(new Error(`sshd ${state.host.name} did not start`)), 10_000).unref();
  });
  await listening;
  if (!state.netns) await waitForBanner(state.host.port, deadline);
}

function stopDaemon(state: HostState): void {
  if (state.proc?.pid) killTree(state.proc.pid);
  state.proc = undefined;
  if (state.relay) {
    state.relay.close();
    state.relay = undefined;
  }
}

// ── the lab ──

export async function startLab(options: LabOptions = {}): Promise<Lab> {
  installExitHook();
  const dir = mkdtempSync(join(tmpdir(), 'stx-lab-'));
  execFileSync('chmod', ['755', dir]);
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const specs: LabHostSpec[] =
    typeof options.hosts === 'number' || options.hosts === undefined
      ? Array.from({ length: options.hosts ?? 1 }, () => ({}))
      : [...options.hosts];
  const isolation = options.bastion && netnsWorks() ? 'netns' : 'none';
  const netns = isolation === 'netns' ? `stxlab-${process.pid}-${dir.slice(-6)}` : undefined;
  if (netns) {
    execFileSync('ip', ['netns', 'add', netns]);
    namespaces.add(netns);
    execFileSync('ip', ['netns', 'exec', netns, 'ip', 'link', 'set', 'lo', 'up']);
  }
  const passwordUser = ensurePasswordUser() ? LAB_PASSWORD_USER : undefined;

  // Client keys and the agent.
  const keys = join(dir, 'client');
  mkdirSync(keys);
  const keyPaths = {
    ed25519: join(keys, 'id_ed25519'),
    ecdsa: join(keys, 'id_ecdsa'),
    rsa: join(keys, 'id_rsa'),
  };
  const encryptedKeyPath = join(keys, 'id_encrypted');
  const agentKey = join(keys, 'id_agent');
  const passphrase = 'correct horse battery staple';

  type Plan = { name: string; spec: LabHostSpec; hidden: boolean; role?: 'bastion' | 'hop2' };
  const plans: Plan[] = specs.map((spec, i) => ({ name: `host${i + 1}`, spec, hidden: false }));
  if (options.bastion) {
    plans.push({ name: 'bastion', spec: {}, hidden: false, role: 'bastion' });
    for (let i = 0; i < (options.targets ?? 1); i++) {
      plans.push({ name: `target${i + 1}`, spec: {}, hidden: true });
    }
    plans.push({ name: 'hop2', spec: {}, hidden: true, role: 'hop2' });
    plans.push({ name: 'hop3', spec: {}, hidden: true });
  }
  const ports = await Promise.all(plans.map(() => freePort()));
  await Promise.all([
    keygen(keyPaths.ed25519, 'ed25519'),
    keygen(keyPaths.ecdsa, 'ecdsa'),
    keygen(keyPaths.rsa, 'rsa', '', 2048),
    keygen(encryptedKeyPath, 'ed25519', passphrase),
    keygen(agentKey, 'ed25519'),
    ...plans.flatMap((p) => {
      const hd = join(dir, p.name);
      mkdirSync(hd);
      return [
        keygen(join(hd, 'ssh_host_ed25519_key'), 'ed25519'),
        keygen(join(hd, 'ssh_host_ecdsa_key'), 'ecdsa'),
        keygen(join(hd, 'ssh_host_rsa_key'), 'rsa', '', 1024),
      ];
    }),
  ]);
  const authorizedKeys = join(dir, 'authorized_keys');
  const authorized = [...Object.values(keyPaths), encryptedKeyPath, agentKey].map(pubLine);
  writeFileSync(authorizedKeys, `${authorized.join('\n')}\n`, { mode: 0o644 });

  const agentSocket = join(dir, 'agent.sock');
  const agent = spawn('ssh-agent', ['-D', '-a', agentSocket], { stdio: 'ignore' });
  if (agent.pid) tracked.add(agent.pid);

  // The bastion may forward to its targets and hop 2 only: hop 3 needs hop 2.
  const bastionOpens = plans
    .map((q, j) => (q.hidden && q.name !== 'hop3' ? `127.0.0.1:${ports[j]}` : ''))
    .filter(Boolean)
    .join(' ');
  const states: HostState[] = plans.map((p, i) => {
    const hd = join(dir, p.name);
    const port = ports[i]!;
    const permitOpen = p.role === 'bastion' ? bastionOpens : undefined;
    const config = join(hd, 'sshd_config');
    writeFileSync(config, sshdConfig(hd, port, authorizedKeys, p.spec, permitOpen));
    const host: LabHost = {
      name: p.name,
      host: '127.0.0.1',
      port,
      hostKeys: hostKeysOf(hd),
      hidden: p.hidden,
    };
    return {
      host,
      config,
      netns: p.hidden || p.role === 'bastion' ? netns : undefined,
      inetd: p.role === 'bastion' && netns !== undefined,
      proc: undefined,
      relay: undefined,
      log: [],
    };
  });

  const byName = new Map(states.map((s) => [s.host.name, s]));
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    for (const s of states) stopDaemon(s);
    if (agent.pid) killTree(agent.pid, 'SIGTERM');
    if (netns) {
      try {
        execFileSync('ip', ['netns', 'del', netns], { stdio: 'ignore' });
      } catch {
        // already gone
      }
      namespaces.delete(netns);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await Promise.all([
      ...states.map((s) => startDaemon(s)),
      (async () => {
        const deadline = Date.now() + 5000;
        while (!existsSocket(agentSocket)) {
          if (Date.now() > deadline) throw new Error('ssh-agent did not start');
          await new Promise((r) => setTimeout(r, 10));
        }
        await run('ssh-add', ['-q', agentKey], {
          env: { ...process.env, SSH_AUTH_SOCK: agentSocket },
        });
      })(),
    ]);
  } catch (err) {
    await stop();
    throw err;
  }

  const hostOf = (name: string): LabHost => byName.get(name)!.host;
  return {
    hosts: states.filter((s) => s.host.name.startsWith('host')).map((s) => s.host),
    ...(options.bastion ? { bastion: hostOf('bastion') } : {}),
    targets: states.filter((s) => s.host.name.startsWith('target')).map((s) => s.host),
    chain: options.bastion ? [hostOf('bastion'), hostOf('hop2'), hostOf('hop3')] : [],
    isolation,
    netns,
    // The dedicated user when we could make one: its shell is /bin/sh with no rc files, while
    // root's ~/.bashrc here runs `pyenv init` on every SSH command (+0.5 s each).
    user: passwordUser ?? userInfo().username,
    keyPath: keyPaths.ed25519,
    keyPaths,
    encryptedKeyPath,
    passphrase,
    passwordUser,
    password: passwordUser ? LAB_PASSWORD : undefined,
    agentSocket,
    dir,
    knownHostsText: () =>
      states
        .flatMap((s) =>
          s.host.hostKeys.map(
            (k) => `[${s.host.host}]:${s.host.port} ${k.type} ${k.blob.toString('base64')}`,
          ),
        )
        .join('\n') + '\n',
    kill(name) {
      const s = byName.get(name);
      if (!s) throw new Error(`no lab host ${name}`);
      stopDaemon(s);
    },
    async restart(name) {
      const s = byName.get(name);
      if (!s) throw new Error(`no lab host ${name}`);
      stopDaemon(s);
      await startDaemon(s);
    },
    stop,
  };
}

function existsSocket(path: string): boolean {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
}

// ── helpers for specs: targets and a verifier built from the lab's own host keys ──

/** An SshTarget for a lab host (key auth with the lab's ed25519 key unless told otherwise). */
export function labTarget(
  lab: Lab,
  host: LabHost,
  opts: {
    auth?: SshAuth;
    jump?: readonly SshTarget[];
    user?: string;
    keepaliveIntervalMs?: number;
  } = {},
): SshTarget {
  return {
    name: host.name,
    host: host.host,
    port: host.port,
    user: opts.user ?? lab.user,
    auth: opts.auth ?? { kind: 'key', keyPath: lab.keyPath },
    jump: opts.jump ?? [],
    ...(opts.keepaliveIntervalMs ? { keepaliveIntervalMs: opts.keepaliveIntervalMs } : {}),
  };
}

/**
 * A HostKeyVerifier that knows exactly the keys in `known` (host:port → key blobs). A host that
 * is listed but offers another key is 'changed'; a host not listed is 'unknown'.
 */
export class MapVerifier implements HostKeyVerifier {
  readonly known = new Map<string, Buffer[]>();
  constructor(hosts: readonly LabHost[] = []) {
    for (const h of hosts)
      this.known.set(
        `${h.host}:${h.port}`,
        h.hostKeys.map((k) => k.blob),
      );
  }
  check(host: string, port: number, keyBlob: Buffer): HostKeyCheck {
    const keyType = keyTypeOf(keyBlob);
    const fingerprint = fingerprintSha256(keyBlob);
    const blobs = this.known.get(`${host}:${port}`);
    if (!blobs) return { status: 'unknown', keyType, fingerprint };
    const same = blobs.find((b) => b.equals(keyBlob));
    const first = same ?? blobs.find((b) => keyTypeOf(b) === keyType) ?? blobs[0]!;
    return {
      status: same ? 'known' : 'changed',
      keyType,
      fingerprint,
      match: { file: 'test_known_hosts', line: 1, fingerprint: fingerprintSha256(first) },
    };
  }
}
