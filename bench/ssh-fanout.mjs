#!/usr/bin/env node
// `stx-lab exec` fan-out against parallel-ssh, clush, ansible and OpenSSH, all in the same run,
// on N real sshd processes on loopback (default 50), command `hostname`. Prints medians with
// the targets of issue 3 beside them. Asserts nothing (see bench/README.md).
//
//   node bench/ssh-fanout.mjs [--hosts 50] [--runs 5] [--slow-runs 3] [--skip LIST] [--json]
//                             [--cpu-prof DIR]
//
// --runs: timed runs of the fast cases; --slow-runs: of ansible and the sequential loop;
// --skip: comma list of case ids (stx-cold, pssh, clush, ansible, seq, cm, warm);
// --cpu-prof DIR: also writes a V8 CPU profile of one extra stx-lab cold run and of the warm pool
// runner into DIR.
// Needs `electron-vite build` first (for out/main/cli.js). Tools that are missing are skipped
// with a line saying how to install them.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

import { killTree, onCleanup, startLab, track } from './lib/lab.mjs';
import { fmtMs, have, parseArgs, timeCommand } from './lib/measure.mjs';
import { report } from './lib/fanout-report.mjs';
import { startRunner } from './lib/runner-client.mjs';
import { spawn, spawnSync } from 'node:child_process';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'bin', 'stx-lab.mjs');
const opts = parseArgs(process.argv.slice(2), {
  hosts: 50,
  runs: 5,
  slowRuns: 3,
  skip: '',
  json: false,
  cpuProf: '',
});
const skip = new Set(opts.skip.split(',').filter(Boolean));
const N = opts.hosts;
const notes = [];
const note = (s) => {
  notes.push(s);
  console.error(`  · ${s}`);
};
const progress = (s) => console.error(`bench: ${s}`);

/** Per case: { id, label, runs: [{ms, ok}], note } — ok = hosts that answered. */
const cases = new Map();
const record = (id, label, runs, extra = {}) => cases.set(id, { id, label, runs, ...extra });

const hostList = (lab) => lab.hosts.map((h) => h.alias);
const countLines = (text, re) => text.split('\n').filter((l) => re.test(l)).length;

async function repeat(n, fn) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await fn(i));
  return out;
}

function okOf(r, count) {
  if (r.timedOut) return 0;
  return count(r);
}

progress(`starting ${N} sshd on 127.0.0.1 (${cpus().length} CPUs)…`);
const t0 = performance.now();
const lab = await startLab({ hosts: N });
progress(`lab up in ${fmtMs(performance.now() - t0)} (user ${lab.user})`);
const work = mkdtempSync(join(tmpdir(), 'stxb-run-'));
onCleanup(() => rmSync(work, { recursive: true, force: true }));
const baseEnv = { ...process.env };
delete baseEnv.SSH_AUTH_SOCK; // every client authenticates with the lab key file only
const ssh = (args) => ['-F', lab.sshConfig, ...args];

try {
  // ── 1–3. cold runs: stx-lab exec (a fresh node process each run), parallel-ssh, clush.
  // One warm-up each (not counted), then the timed runs in rotation (stx, pssh, clush, stx, …)
  // so that load from elsewhere on the machine falls on all of them alike.
  const cold = []; // { id, label, once }
  if (!skip.has('stx-cold')) {
    if (!existsSync(join(ROOT, 'out', 'main', 'cli.js'))) {
      note('stx-lab: out/main/cli.js is missing — run `npx electron-vite build` first; skipped');
    } else {
      const data = join(work, 'stx-data');
      const args = (extraNode = []) => [
        ...extraNode,
        CLI,
        '--data',
        data,
        'exec',
        '-i',
        lab.inventory,
        '--known-hosts',
        lab.knownHosts,
        '-f',
        String(N),
        '--json',
        '@lab',
        '--',
        'hostname',
      ];
      const count = (r) => {
        try {
          return JSON.parse(r.stdout).hosts.filter((h) => h.exitCode === 0).length;
        } catch {
          return 0;
        }
      };
      let warned = false;
      cold.push({
        id: 'stx-cold',
        label: `stx-lab exec -f ${N} (fresh node process)`,
        once: async () => {
          const r = await timeCommand(process.execPath, args(), { env: baseEnv });
          if (r.code !== 0 && !warned) {
            warned = true;
            note(`stx-lab exec exited ${r.code}: ${r.stderr.trim().slice(0, 300)}`);
          }
          return { ms: r.ms, ok: okOf(r, count) };
        },
      });
      // The floor of any Node CLI: starting node and loading the built CLI with nothing to do.
      cold.push({
        id: 'stx-help',
        label: '  (stx-lab --help: node start + CLI load)',
        info: true,
        once: async () => {
          const r = await timeCommand(process.execPath, [CLI, '--help'], { env: baseEnv });
          return { ms: r.ms, ok: r.code === 0 ? N : 0 };
        },
      });
      if (opts.cpuProf) {
        cold.push({
          id: 'stx-prof',
          profileOnly: true,
          once: async () => {
            mkdirSync(opts.cpuProf, { recursive: true });
            await timeCommand(
              process.execPath,
              args(['--cpu-prof', '--cpu-prof-dir', opts.cpuProf]),
              { env: baseEnv },
            );
            note(`CPU profile of one stx-lab cold run written to ${opts.cpuProf}`);
          },
        });
      }
    }
  }
  if (!skip.has('pssh')) {
    if (!have('parallel-ssh')) {
      note('parallel-ssh: not installed, install with `apt-get install pssh`; skipped');
    } else {
      const args = [
        '-p',
        String(N),
        '-t',
        '60',
        '-h',
        lab.hostsFile,
        '-x',
        `-F ${lab.sshConfig}`,
        'hostname',
      ];
      const count = (r) => countLines(r.stdout, /\[SUCCESS\]/);
      cold.push({
        id: 'pssh',
        label: `parallel-ssh -p ${N}`,
        once: async () => {
          const r = await timeCommand('parallel-ssh', args, { env: baseEnv });
          return { ms: r.ms, ok: okOf(r, count) };
        },
      });
    }
  }
  if (!skip.has('clush')) {
    if (!have('clush')) {
      note('clush: not installed, install with `apt-get install clustershell`; skipped');
    } else {
      const args = [
        '-f',
        String(N),
        '-w',
        `h[1-${N}]`,
        '-o',
        `-F ${lab.sshConfig}`,
        '-t',
        '30',
        'hostname',
      ];
      const count = (r) => countLines(r.stdout, /^h\d+: /);
      // clush reads /etc/clustershell and ~/.config/clustershell: a private HOME keeps the
      // user's own settings out of the figure.
      const env = { ...baseEnv, HOME: work, XDG_CONFIG_HOME: join(work, 'xdg') };
      cold.push({
        id: 'clush',
        label: `clush -f ${N}`,
        once: async () => {
          const r = await timeCommand('clush', args, { env });
          return { ms: r.ms, ok: okOf(r, count) };
        },
      });
    }
  }
  if (cold.length) {
    progress(
      `cold runs: ${cold
        .filter((c) => !c.profileOnly)
        .map((c) => c.id)
        .join(', ')} — warm-up, then ${opts.runs} rounds…`,
    );
    for (const c of cold) if (!c.profileOnly) await c.once(); // warm-ups (page cache, data folder)
    const runs = new Map(cold.map((c) => [c.id, []]));
    for (let i = 0; i < opts.runs; i++) {
      for (const c of cold) if (!c.profileOnly) runs.get(c.id).push(await c.once());
    }
    for (const c of cold) {
      if (c.profileOnly) await c.once();
      else record(c.id, c.label, runs.get(c.id), c.info ? { info: true } : {});
    }
  }

  // ── 4+5. OpenSSH ControlMaster reuse in parallel, and the warm pool (the desktop case):
  // SshPool + SshExecutor + runFanout in one long-lived process. Runs alternate between the two
  // so that load from elsewhere on the machine falls on both alike.
  let masters = [];
  let cmOnce;
  if (!skip.has('cm')) {
    progress('OpenSSH ControlMaster: opening masters…');
    const cmDir = mkdtempSync('/tmp/stxcm-'); // short: a socket path is limited to 108 bytes
    onCleanup(() => rmSync(cmDir, { recursive: true, force: true }));
    masters = lab.hosts.map((h) =>
      track(
        spawn(
          'ssh',
          ssh([
            '-o',
            'ControlMaster=yes',
            '-o',
            `ControlPath=${cmDir}/${h.alias}`,
            '-o',
            'ControlPersist=no',
            '-N',
            h.alias,
          ]),
          {
            env: baseEnv,
            stdio: 'ignore',
          },
        ),
      ),
    );
    const deadline = Date.now() + 30_000;
    for (const h of lab.hosts) {
      for (;;) {
        const r = await timeCommand(
          'ssh',
          ssh(['-o', `ControlPath=${cmDir}/${h.alias}`, '-O', 'check', h.alias]),
          { env: baseEnv },
        );
        if (r.code === 0) break;
        if (Date.now() > deadline) throw new Error(`ControlMaster for ${h.alias} did not come up`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    cmOnce = async () => {
      const t = performance.now();
      const rs = await Promise.all(
        lab.hosts.map((h) =>
          timeCommand(
            'ssh',
            ssh([
              '-o',
              `ControlPath=${cmDir}/${h.alias}`,
              '-o',
              'ControlMaster=no',
              h.alias,
              'hostname',
            ]),
            { env: baseEnv },
          ),
        ),
      );
      return { ms: performance.now() - t, ok: rs.filter((r) => r.code === 0).length };
    };
    await cmOnce(); // warm-up
  }
  let runner;
  if (!skip.has('warm')) {
    progress('stx-lab core warm pool: starting the ssh2 runner…');
    runner = await startRunner({
      workDir: work,
      config: {
        user: lab.user,
        keyPath: lab.keyPath,
        knownHosts: lab.knownHosts,
        hosts: lab.hosts,
      },
      nodeArgs: opts.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', opts.cpuProf] : [],
      env: baseEnv,
    });
    const first = await runner.request({ op: 'fanout', forks: N });
    record('warm-first', '  (first fan-out: opens the pool, in-process)', [first], { info: true });
    if (first.firstError) note(`warm pool first run: ${first.firstError}`);
    await runner.request({ op: 'fanout', forks: N }); // warm-up
  }
  progress('timing ControlMaster and warm pool, alternating…');
  const warmRuns = Math.max(opts.runs, 5) * 2;
  const cmRuns = [];
  const poolRuns = [];
  for (let i = 0; i < warmRuns; i++) {
    if (cmOnce) cmRuns.push(await cmOnce());
    if (runner) poolRuns.push(await runner.request({ op: 'fanout', forks: N }));
  }
  if (cmOnce) record('cm', `OpenSSH ControlMaster reuse, ${N} × ssh -S in parallel`, cmRuns);
  if (runner) {
    record('warm', `stx-lab core: runFanout on the warm SshPool (${N} hosts)`, poolRuns);
    const execOnly = [];
    const raw = [];
    for (let i = 0; i < warmRuns; i++) {
      execOnly.push(await runner.request({ op: 'exec-all' }));
      raw.push(await runner.request({ op: 'raw-all' }));
    }
    record('warm-exec', '  (same, SshExecutor.exec × N without runFanout)', execOnly, {
      info: true,
    });
    record('warm-raw', '  (same, raw ssh2 client.exec on the pooled connections)', raw, {
      info: true,
    });
    await runner.close();
    if (opts.cpuProf) note(`CPU profile of the warm pool runner written to ${opts.cpuProf}`);
  }
  for (const m of masters) if (m.pid) killTree(m.pid);

  // ── 6. ansible -m command, cold (new ControlPersist dir each run) and warm (masters open) ──
  if (!skip.has('ansible')) {
    if (!have('ansible')) {
      note('ansible: not installed, install with `apt-get install ansible`; skipped');
    } else {
      const inv = join(work, 'ansible.ini');
      writeFileSync(
        inv,
        `[lab]\n${hostList(lab).join('\n')}\n[lab:vars]\nansible_ssh_common_args='-F ${lab.sshConfig}'\n`,
      );
      const remoteTmp = join(lab.scratch, 'ansible-remote');
      // A config file of our own (empty: ansible's defaults) so /etc/ansible and ~/.ansible.cfg
      // stay out of the figure.
      const ansibleCfg = join(work, 'ansible.cfg');
      writeFileSync(ansibleCfg, '[defaults]\n');
      const envFor = (cpDir) => ({
        ...baseEnv,
        ANSIBLE_CONFIG: ansibleCfg,
        ANSIBLE_HOME: join(work, 'ansible-home'),
        ANSIBLE_LOCAL_TEMP: join(work, 'ansible-local'),
        ANSIBLE_REMOTE_TEMP: remoteTmp,
        ANSIBLE_SSH_CONTROL_PATH_DIR: cpDir,
        ANSIBLE_PYTHON_INTERPRETER: 'auto_silent',
        ANSIBLE_NOCOLOR: '1',
        ANSIBLE_HOST_KEY_CHECKING: 'True',
        ANSIBLE_RETRY_FILES_ENABLED: 'False',
      });
      const args = ['lab', '-i', inv, '-m', 'command', '-a', 'hostname', '-f', String(N), '-o'];
      const count = (r) => countLines(r.stdout, /\| CHANGED \| rc=0/);
      // ControlPersist masters are ssh processes ansible daemonises: close each one we caused.
      const closeMasters = async (cpDir) => {
        if (!existsSync(cpDir)) return;
        for (const sock of readdirSync(cpDir)) {
          await timeCommand('ssh', ['-o', `ControlPath=${join(cpDir, sock)}`, '-O', 'exit', 'x'], {
            env: baseEnv,
            timeoutMs: 5000,
          });
        }
        rmSync(cpDir, { recursive: true, force: true });
      };
      const cpDirs = [];
      onCleanup(() => {
        // exit path (synchronous): ask any master still open to exit, then drop the dirs.
        for (const d of cpDirs) {
          if (!existsSync(d)) continue;
          for (const sock of readdirSync(d)) {
            spawnSync('ssh', ['-o', `ControlPath=${join(d, sock)}`, '-O', 'exit', 'x'], {
              stdio: 'ignore',
              timeout: 5000,
            });
          }
          rmSync(d, { recursive: true, force: true });
        }
      });
      progress(`ansible cold × ${opts.slowRuns} (a new ControlPersist dir each run)…`);
      let lastDir;
      const cold = await repeat(opts.slowRuns, async (i) => {
        if (lastDir) await closeMasters(lastDir);
        const cpDir = mkdtempSync('/tmp/stxan-');
        cpDirs.push(cpDir);
        lastDir = cpDir;
        const r = await timeCommand('ansible', args, { env: envFor(cpDir), timeoutMs: 180_000 });
        if (i === 0 && count(r) < N)
          note(`ansible cold: ${count(r)}/${N} ok; ${(r.stdout + r.stderr).trim().slice(0, 300)}`);
        return { ms: r.ms, ok: okOf(r, count) };
      });
      record('ansible-cold', `ansible -m command -f ${N}, cold`, cold);
      progress(`ansible warm × ${opts.slowRuns} (ControlPersist masters open)…`);
      const warm = await repeat(opts.slowRuns, async () => {
        const r = await timeCommand('ansible', args, { env: envFor(lastDir), timeoutMs: 180_000 });
        return { ms: r.ms, ok: okOf(r, count) };
      });
      record('ansible-warm', `ansible -m command -f ${N}, warm (ControlPersist)`, warm);
      await closeMasters(lastDir);
    }
  }

  // ── 7. sequential OpenSSH loop ──
  if (!skip.has('seq')) {
    progress(`sequential OpenSSH loop × ${opts.slowRuns}…`);
    const once = async () => {
      const t = performance.now();
      let ok = 0;
      for (const h of lab.hosts) {
        const r = await timeCommand('ssh', ssh([h.alias, 'hostname']), { env: baseEnv });
        if (r.code === 0) ok++;
      }
      return { ms: performance.now() - t, ok };
    };
    record('seq', `sequential OpenSSH loop (${N} × ssh)`, await repeat(opts.slowRuns, once));
  }
} finally {
  await lab.stop();
}

report(cases, { N, opts, notes });
