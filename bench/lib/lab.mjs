// A small lab for the SSH benches: N real OpenSSH `sshd` processes on 127.0.0.1, each with its
// own ed25519 host key, one client key, and the files every client in the bench needs (an
// Ansible INI inventory for stx-lab and ansible, a known_hosts file, an ssh_config for OpenSSH,
// pssh and clush). A plain-JS cousin of src-main/test-support/lab-in-a-box.ts (which is
// TypeScript and test-only); it reuses that fixture's dedicated `stxlab` user when running as
// root (root's shell rc files would add their own start-up time to every command).
//
// Process hygiene: every process started here is tracked by PID and killed (with its
// descendants: the sshd session processes) on stop(), on exit and on SIGINT/SIGTERM.
import { execFile, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect as netConnect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SSHD = '/usr/sbin/sshd';
export const LAB_USER = 'stxlab';

// ── process tracking ──

const tracked = new Set();
const cleanups = new Set();
let hooked = false;

function descendants(root) {
  const parent = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // raced with an exit
    }
  }
  const out = [];
  const queue = [root];
  while (queue.length) {
    const p = queue.shift();
    for (const [child, pp] of parent) {
      if (pp === p) {
        out.push(child);
        queue.push(child);
      }
    }
  }
  return out;
}

/** Kills a process we started and everything under it. */
export function killTree(pid, signal = 'SIGKILL') {
  for (const p of [pid, ...descendants(pid)]) {
    try {
      process.kill(p, signal);
    } catch {
      // gone already
    }
  }
  tracked.delete(pid);
}

/** Registers a PID to kill on exit (for processes other bench code starts). */
export function track(proc) {
  if (proc.pid) {
    tracked.add(proc.pid);
    proc.once('exit', () => tracked.delete(proc.pid));
  }
  return proc;
}

/** Registers a synchronous cleanup to run on exit / signals (e.g. removing a temp dir). */
export function onCleanup(fn) {
  installHooks();
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

function cleanupAll() {
  for (const pid of [...tracked]) killTree(pid);
  for (const fn of [...cleanups]) {
    try {
      fn();
    } catch {
      // best effort
    }
  }
  cleanups.clear();
}

function installHooks() {
  if (hooked) return;
  hooked = true;
  process.on('exit', cleanupAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      cleanupAll();
      process.exit(130);
    });
  }
}

// ── helpers ──

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForBanner(port, deadline) {
  for (;;) {
    const ok = await new Promise((resolve) => {
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

function ensureUser() {
  if (process.getuid?.() !== 0) return userInfo().username;
  try {
    execFileSync('id', [LAB_USER], { stdio: 'ignore' });
  } catch {
    try {
      const args = ['--system', '--no-create-home', '--home-dir', '/tmp', '--shell', '/bin/sh'];
      execFileSync('useradd', [...args, LAB_USER], { stdio: 'ignore' });
    } catch {
      execFileSync('id', [LAB_USER], { stdio: 'ignore' });
    }
  }
  return LAB_USER;
}

function sshdConfig(dir, port, authorizedKeys, extra) {
  return `${[
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'ssh_host_ed25519_key')}`,
    'PidFile none',
    'UsePAM no',
    'PermitRootLogin yes',
    'StrictModes no',
    `AuthorizedKeysFile ${authorizedKeys}`,
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'MaxSessions 10',
    'MaxStartups 200:30:300',
    'UseDNS no',
    'PrintMotd no',
    'PrintLastLog no',
    'X11Forwarding no',
    'Subsystem sftp internal-sftp',
    'LogLevel INFO',
    ...extra,
  ].join('\n')}\n`;
}

function startSshd(state) {
  const proc = track(
    spawn(SSHD, ['-D', '-e', '-f', state.config], { stdio: ['ignore', 'ignore', 'pipe'] }),
  );
  state.proc = proc;
  const log = [];
  return new Promise((resolve, reject) => {
    let partial = '';
    proc.stderr.on('data', (d) => {
      // Always drained: a full pipe would stall sshd.
      const lines = (partial + d.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) {
        if (log.length < 20) log.push(l);
        if (l.includes('Server listening on')) resolve();
      }
    });
    proc.once('exit', (code) =>
      reject(new Error(`sshd ${state.name} exited (${code}): ${log.join('\n')}`)),
    );
    setTimeout(() => reject(new Error(`sshd ${state.name} did not start`)), 10_000).unref();
  });
}

/**
 * Starts `hosts` sshd processes named node1…nodeN (OpenSSH alias hN), plus `extra` named ones
 * ({ name, sshd: [config lines] }), e.g. one forcing a cipher.
 */
export async function startLab({ hosts = 50, extra = [] } = {}) {
  installHooks();
  const dir = mkdtempSync(join(tmpdir(), 'stxb-'));
  chmodSync(dir, 0o755);
  const removeDir = onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const user = ensureUser();

  const keyPath = join(dir, 'id_ed25519');
  const plans = [
    ...Array.from({ length: hosts }, (_, i) => ({
      name: `node${i + 1}`,
      alias: `h${i + 1}`,
      sshd: [],
    })),
    ...extra.map((e) => ({ name: e.name, alias: e.name, sshd: e.sshd ?? [] })),
  ];
  const ports = await Promise.all(plans.map(() => freePort()));
  const keygen = (path) =>
    run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bench', '-f', path]);
  // ssh-keygen is quick for ed25519; 8 at a time keeps two cores from thrashing.
  const jobs = [
    () => keygen(keyPath),
    ...plans.map((p) => () => {
      mkdirSync(join(dir, p.name));
      return keygen(join(dir, p.name, 'ssh_host_ed25519_key'));
    }),
  ];
  for (let i = 0; i < jobs.length; i += 8) await Promise.all(jobs.slice(i, i + 8).map((j) => j()));

  const authorizedKeys = join(dir, 'authorized_keys');
  writeFileSync(authorizedKeys, readFileSync(`${keyPath}.pub`, 'utf8'), { mode: 0o644 });

  const states = plans.map((p, i) => {
    const hd = join(dir, p.name);
    const config = join(hd, 'sshd_config');
    writeFileSync(config, sshdConfig(hd, ports[i], authorizedKeys, p.sshd));
    const [type, b64] = readFileSync(join(hd, 'ssh_host_ed25519_key.pub'), 'utf8')
      .trim()
      .split(' ');
    return {
      name: p.name,
      alias: p.alias,
      host: '127.0.0.1',
      port: ports[i],
      keyType: type,
      keyB64: b64,
      config,
      proc: undefined,
    };
  });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const s of states) if (s.proc?.pid) killTree(s.proc.pid);
    rmSync(dir, { recursive: true, force: true });
    removeDir();
  };

  try {
    const deadline = Date.now() + 20_000;
    await Promise.all(
      states.map(async (s) => {
        await startSshd(s);
        await waitForBanner(s.port, deadline);
      }),
    );
  } catch (err) {
    await stop();
    throw err;
  }

  // Files for the clients.
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(
    knownHosts,
    states.map((s) => `[${s.host}]:${s.port} ${s.keyType} ${s.keyB64}`).join('\n') + '\n',
  );
  const sshConfig = join(dir, 'ssh_config');
  writeFileSync(
    sshConfig,
    [
      ...states.flatMap((s) => [`Host ${s.alias}`, `  HostName ${s.host}`, `  Port ${s.port}`]),
      'Host *',
      `  User ${user}`,
      `  IdentityFile ${keyPath}`,
      '  IdentitiesOnly yes',
      '  IdentityAgent none',
      `  UserKnownHostsFile ${knownHosts}`,
      '  GlobalKnownHostsFile /dev/null',
      '  StrictHostKeyChecking yes',
      '  CheckHostIP no',
      '  UpdateHostKeys no',
      '  BatchMode yes',
      '  LogLevel ERROR',
      '  ControlMaster no',
      '  ControlPath none',
      '',
    ].join('\n'),
  );
  const nodes = states.slice(0, hosts);
  const inventory = join(dir, 'inventory.ini');
  writeFileSync(
    inventory,
    `[lab]\n${nodes
      .map(
        (s) =>
          `${s.name} ansible_host=${s.host} ansible_port=${s.port} ansible_user=${user} ansible_ssh_private_key_file=${keyPath}`,
      )
      .join('\n')}\n`,
  );
  const hostsFile = join(dir, 'hosts.txt');
  writeFileSync(hostsFile, nodes.map((s) => s.alias).join('\n') + '\n');
  // World-writable scratch for remote-side files (ansible's remote tmp, uploads) as the lab user.
  const scratch = join(dir, 'scratch');
  mkdirSync(scratch);
  chmodSync(scratch, 0o1777);

  return {
    dir,
    user,
    keyPath,
    knownHosts,
    sshConfig,
    inventory,
    hostsFile,
    scratch,
    /** The N fan-out hosts (node1…, alias h1…). */
    hosts: nodes.map(({ name, alias, host, port }) => ({ name, alias, host, port })),
    /** The extra hosts by name. */
    extra: Object.fromEntries(
      states.slice(hosts).map(({ name, alias, host, port }) => [name, { name, alias, host, port }]),
    ),
    stop,
  };
}
