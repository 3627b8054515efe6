#!/usr/bin/env node
// Issue 5's figures: (1) listing and parsing ~5,000 installed packages over SSH with the project's
// AptDpkgPackageManager (warm pool) against `ssh HOST dpkg-query -W … > /dev/null` in the same run;
// (2) the MultiOS readiness matrix on 20 hosts (20 real sshd on 127.0.0.1), cold and warm pool,
// with the time spent in each remote command kind.
//
//   node bench/packages-readiness.mjs [--runs 7] [--hosts 20] [--copies 5000] [--only packages|readiness]
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/packages-readiness.mjs --only readiness
//
// 5,000 packages, honestly: this machine has ~900 installed packages, and only real data is used.
// The bench copies /var/lib/dpkg/status into a private dpkg admindir and repeats its stanzas,
// renaming the package in copy k to NAME-bench-k (every other field is the machine's real text),
// until it holds the requested number of installed records. Both sides read that same admindir
// (the adapter through its `admindir` option, the baseline via `--admindir=`), so they move and
// parse the same data. The list is real records, repeated; it is not a real 5,000-package host.
import './lib/ts-hooks.mjs';

import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { startLab } from './lib/lab.mjs';
import { fmtMs, fmtRatio, median, parseArgs, table, timeCommand } from './lib/measure.mjs';

const opts = parseArgs(process.argv.slice(2), {
  runs: 7,
  hosts: 20,
  copies: 5000,
  only: '',
  forks: 10,
  // Another checkout's src-main (e.g. `git archive HEAD` unpacked, with node_modules and
  // resources linked beside it) to measure before/after in the same conditions.
  src: '',
});
const src = opts.src
  ? new URL(`file://${opts.src.replace(/\/?$/, '/')}`)
  : new URL('../src-main/', import.meta.url);
const load = (p) => import(new URL(p, src).href);
const { SshPool } = await load('core/ssh/pool.ts');
const { SshExecutor } = await load('core/ssh/ssh-exec.ts');
const { KnownHostsVerifier } = await load('core/ssh/known-hosts.ts');
const { AptDpkgPackageManager } = await load('core/packages/apt-dpkg.ts');
const { DPKG_QUERY_FORMAT } = await load('core/packages/parse-deb.ts');
const { runReadiness } = await load('core/readiness/engine.ts');
const { findResourcesDir, resourcePaths } = await load('core/readiness/resources.ts');
const { expandRules, loadRuleSet } = await load('core/readiness/rules.ts');
const { loadProfiles } = await load('core/os/profiles.ts');
const { loadPackageMap } = await load('core/packages/package-map.ts');

const watchdog = setTimeout(() => {
  console.error('bench: timed out');
  process.exit(2);
}, 10 * 60_000).unref();

const lab = await startLab({ hosts: opts.hosts });
const newPool = () =>
  new SshPool({
    hostVerifier: new KnownHostsVerifier({ files: [lab.knownHosts] }),
    decideUnknown: async () => false,
  });
const targets = lab.hosts.map((h) => ({
  name: h.name,
  host: h.host,
  port: h.port,
  user: lab.user,
  auth: { kind: 'key', keyPath: lab.keyPath, identitiesOnly: true },
  jump: [],
}));
const ssh = (alias, ...cmd) => ['-F', lab.sshConfig, alias, ...cmd];
const notes = [];

// ── (1) packages ──

function buildAdmindir(want) {
  const dir = join(lab.dir, 'dpkg-admin');
  mkdirSync(join(dir, 'updates'), { recursive: true });
  mkdirSync(join(dir, 'info'), { recursive: true });
  if (existsSync('/var/lib/dpkg/arch')) copyFileSync('/var/lib/dpkg/arch', join(dir, 'arch'));
  const stanzas = readFileSync('/var/lib/dpkg/status', 'utf8')
    .split(/\n\n+/)
    .filter((s) => /^Package: /m.test(s));
  const installed = stanzas.filter((s) => /^Status: install ok installed$/m.test(s));
  const out = [];
  for (let k = 1; out.length < want; k++) {
    for (const s of installed) {
      if (out.length >= want) break;
      out.push(k === 1 ? s : s.replace(/^Package: (\S+)$/m, `Package: $1-bench-${k}`));
    }
  }
  writeFileSync(join(dir, 'status'), `${out.join('\n\n')}\n`);
  return { dir, real: installed.length, total: out.length };
}

async function benchPackages() {
  const adm = buildAdmindir(opts.copies);
  notes.push(
    `package list: ${adm.total} installed records = this machine's ${adm.real} real dpkg status ` +
      `stanzas repeated (copies renamed NAME-bench-k), in a private admindir both sides read`,
  );
  const pool = newPool();
  const executor = new SshExecutor(pool);
  const pm = new AptDpkgPackageManager(executor, { admindir: adm.dir });
  const t = targets[0];
  const alias = lab.hosts[0].alias;
  // Warm the pool (and check the count) before timing.
  const first = await pm.listInstalled(t);
  if (first.length !== adm.total) throw new Error(`listed ${first.length}, expected ${adm.total}`);
  const fmt = `-f=${DPKG_QUERY_FORMAT}`;
  const cases = {
    pm: [],
    pmCold: [],
    execOnly: [],
    rawPlain: [],
    rawFmt: [],
    sshTrue: [],
  };
  let bytes = 0;
  for (let i = 0; i < opts.runs; i++) {
    let t0 = performance.now();
    const list = await pm.listInstalled(t);
    cases.pm.push(performance.now() - t0);
    if (list.length !== adm.total) throw new Error('short list');
    t0 = performance.now();
    const r = await executor.exec(t, {
      argv: ['dpkg-query', `--admindir=${adm.dir}`, '-W', fmt],
      env: { LC_ALL: 'C', LANG: 'C' },
      captureLimit: 64 << 20,
    });
    cases.execOnly.push(performance.now() - t0);
    bytes = r.stdout.length;
    const coldPool = newPool();
    t0 = performance.now();
    await new AptDpkgPackageManager(new SshExecutor(coldPool), { admindir: adm.dir }).listInstalled(
      t,
    );
    cases.pmCold.push(performance.now() - t0);
    await coldPool.dispose();
    const a = await timeCommand(
      'ssh',
      ssh(alias, `dpkg-query --admindir=${adm.dir} -W > /dev/null`),
    );
    if (a.code !== 0) throw new Error(`ssh baseline failed: ${a.stderr}`);
    cases.rawPlain.push(a.ms);
    const b = await timeCommand(
      'ssh',
      ssh(alias, `dpkg-query --admindir=${adm.dir} -W '${fmt}' > /dev/null`),
    );
    cases.rawFmt.push(b.ms);
    const c = await timeCommand('ssh', ssh(alias, 'true'));
    cases.sshTrue.push(c.ms);
  }
  await pool.dispose();
  const base = median(cases.rawPlain);
  const rows = [
    ['row', 'median', 'min', 'max', 'vs baseline', 'target'],
    ...[
      ['stx-lab listInstalled (warm pool: exec + parse)', cases.pm, '≤ 1.50×'],
      ['  of which: SshExecutor.exec of the same argv, no parse', cases.execOnly, ''],
      ['stx-lab listInstalled on a new pool (handshake included)', cases.pmCold, '≤ 1.50×'],
      [`baseline: ssh h1 dpkg-query -W > /dev/null (fresh ssh)`, cases.rawPlain, ''],
      [`ssh h1 dpkg-query -W -f=<adapter's format> > /dev/null`, cases.rawFmt, ''],
      ['ssh h1 true (fresh ssh: handshake + auth only)', cases.sshTrue, ''],
    ].map(([name, xs, target]) => [
      name,
      fmtMs(median(xs)),
      fmtMs(Math.min(...xs)),
      fmtMs(Math.max(...xs)),
      fmtRatio(median(xs) / base),
      target,
    ]),
  ];
  console.log(`\n(1) ${adm.total} installed packages on ${alias}, ${opts.runs} runs interleaved`);
  console.log(table(rows));
  console.log(
    `adapter output ${(bytes / 1024).toFixed(0)} kB; baseline includes a full SSH handshake ` +
      `(row "ssh h1 true"), the adapter reuses a pooled connection.`,
  );
}

// ── (2) readiness ──

function timingExecutor(inner, log) {
  const kind = (argv) => {
    const last = argv.at(-1);
    if (argv[0] === 'sh' && argv[3] === 'stx-probe') return 'os probe (sh)';
    if (argv[0] === 'sh' && argv[3] === 'stx-which') return 'tools (command -v)';
    if (argv[0] === 'sh') return `sh ${String(argv[3] ?? last).slice(0, 30)}`;
    if (argv[0] === 'apt-cache') return `apt-cache ${argv[1]}`;
    if (argv[0] === 'dpkg-query') return 'dpkg-query -W';
    return argv.slice(0, 2).join(' ');
  };
  return {
    async exec(target, cmd) {
      const t0 = performance.now();
      try {
        return await inner.exec(target, cmd);
      } finally {
        const k = kind(cmd.argv);
        const e = log.get(k) ?? [];
        e.push(performance.now() - t0);
        log.set(k, e);
      }
    },
  };
}

async function benchReadiness() {
  const paths = resourcePaths(findResourcesDir(new URL('.', src).pathname));
  const map = loadPackageMap(paths.packageMap);
  const base = {
    profiles: loadProfiles(paths.profiles),
    map,
    rules: expandRules(loadRuleSet(paths.readinessRules), map),
  };
  const cold = [];
  const warm = [];
  const warmOwn = [];
  const perCmd = new Map();
  let lastMatrix;
  const runs = Math.max(3, Math.ceil(opts.runs / 2));
  const warmPool = newPool();
  const warmExec = new SshExecutor(warmPool);
  await Promise.all(targets.map((t) => warmExec.exec(t, { argv: ['true'] })));
  const sharedSources = (m) =>
    m.hosts
      .flatMap((h) => h.results.flatMap((r) => r.evidence))
      .filter((e) => e.source?.startsWith('apt-cache policy run on')).length;
  let sharedEvidence = 0;
  for (let i = 0; i < runs; i++) {
    const pool = newPool();
    let t0 = performance.now();
    await runReadiness(
      targets,
      { ...base, executor: new SshExecutor(pool) },
      { forks: opts.forks },
    );
    cold.push(performance.now() - t0);
    await pool.dispose();
    t0 = performance.now();
    lastMatrix = await runReadiness(
      targets,
      { ...base, executor: timingExecutor(warmExec, perCmd) },
      { forks: opts.forks },
    );
    warm.push(performance.now() - t0);
    sharedEvidence = sharedSources(lastMatrix);
    t0 = performance.now();
    await runReadiness(
      targets,
      { ...base, executor: warmExec },
      { forks: opts.forks, shareAptAnswers: false },
    );
    warmOwn.push(performance.now() - t0);
  }
  await warmPool.dispose();
  const bad = lastMatrix.hosts.filter((h) => h.error);
  const row0 = lastMatrix.hosts[0];
  console.log(
    `\n(2) readiness of ${targets.length} hosts (${base.rules.length} rules, forks ${opts.forks}), ${runs} runs each`,
  );
  console.log(
    table([
      ['row', 'median', 'min', 'max', 'target'],
      ['cold: new pool (20 SSH handshakes included)', ...stats(cold), '< 5 s'],
      ['warm: pooled connections', ...stats(warm), '< 5 s'],
      ['warm, every host runs its own apt-cache (shareAptAnswers: false)', ...stats(warmOwn), ''],
    ]),
  );
  console.log(
    `hosts with an error: ${bad.length}${bad.length ? ` (${bad[0].host}: ${bad[0].error})` : ''}; ` +
      `${row0.host}: ${row0.profile}, ${JSON.stringify(row0.counts)}; ` +
      `evidence items answered from another host's apt-cache call (same apt fingerprint): ` +
      `${sharedEvidence}. All lab hosts are this one machine, so they share one apt state: ` +
      `sharing is at its best here; distinct real hosts only share when cloned and refreshed together.`,
  );
  console.log('\nper remote command (warm runs, all hosts): count per run, median, total per run');
  console.log(
    table([
      ['command', 'calls/run', 'median', 'sum/run'],
      ...[...perCmd].map(([k, xs]) => [
        k,
        String(xs.length / runs),
        fmtMs(median(xs)),
        fmtMs(xs.reduce((a, b) => a + b, 0) / runs),
      ]),
    ]),
  );
}
const stats = (xs) => [fmtMs(median(xs)), fmtMs(Math.min(...xs)), fmtMs(Math.max(...xs))];

try {
  if (opts.only !== 'readiness') await benchPackages();
  if (opts.only !== 'packages') await benchReadiness();
  if (notes.length) console.log(`\nnotes:\n${notes.map((n) => `- ${n}`).join('\n')}`);
} finally {
  clearTimeout(watchdog);
  await lab.stop();
}
process.exit(0);
