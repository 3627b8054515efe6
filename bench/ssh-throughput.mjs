#!/usr/bin/env node
// Bulk transfer through the project's SSH core against OpenSSH, same cipher, same run, one
// sshd on loopback whose config allows only aes128-gcm@openssh.com (so both clients use it):
//   - exec streaming: SshExecutor.exec(`head -c SIZE /dev/zero`) with onStdout counting bytes,
//     vs `ssh -c aes128-gcm@openssh.com host 'head -c SIZE /dev/zero' > /dev/null`;
//   - upload: SshFiles.upload (SFTP, sha256-verified by default; also shown with verify off)
//     vs `scp -c aes128-gcm@openssh.com` (OpenSSH 9's scp speaks SFTP).
// The project's side runs on a warm pooled connection (the desktop case); each OpenSSH run is a
// fresh `ssh`/`scp` process, so its figure includes a handshake (printed below as a reference).
// Asserts nothing (see bench/README.md).
//
//   node bench/ssh-throughput.mjs [--size-mib 512] [--runs 3] [--skip stream,sftp] [--json]
//                                 [--cpu-prof DIR]
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { randomFillSync } from 'node:crypto';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

import { onCleanup, startLab } from './lib/lab.mjs';
import { startRunner } from './lib/runner-client.mjs';
import { fmtMBs, fmtMs, fmtRatio, median, parseArgs, table, timeCommand } from './lib/measure.mjs';

const CIPHER = 'aes128-gcm@openssh.com';
const opts = parseArgs(process.argv.slice(2), {
  sizeMib: 512,
  runs: 3,
  skip: '',
  json: false,
  cpuProf: '',
});
const skip = new Set(opts.skip.split(',').filter(Boolean));
const BYTES = opts.sizeMib * 1024 * 1024;
const notes = [];
const note = (s) => {
  notes.push(s);
  console.error(`  · ${s}`);
};
const progress = (s) => console.error(`bench: ${s}`);
const mbps = (bytes, ms) => bytes / 1e6 / (ms / 1000);

progress('starting one sshd (Ciphers aes128-gcm@openssh.com only)…');
const lab = await startLab({ hosts: 0, extra: [{ name: 'tput', sshd: [`Ciphers ${CIPHER}`] }] });
const host = lab.extra.tput;
const work = mkdtempSync(join(tmpdir(), 'stxb-tput-'));
onCleanup(() => rmSync(work, { recursive: true, force: true }));
const env = { ...process.env };
delete env.SSH_AUTH_SOCK;
const ssh = (args) => ['-F', lab.sshConfig, '-c', CIPHER, ...args];

/** rows: { id, label, runs: [{ms, bytes}] } */
const rows = [];
const add = (id, label, runs, extra = {}) => rows.push({ id, label, runs, ...extra });

try {
  progress('starting the ssh2 runner (one warm pooled connection)…');
  const runner = await startRunner({
    workDir: work,
    config: { user: lab.user, keyPath: lab.keyPath, knownHosts: lab.knownHosts, hosts: [host] },
    nodeArgs: opts.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', opts.cpuProf] : [],
    env,
  });
  await runner.request({ op: 'connect' }); // the desktop case: the pool is warm

  // A reference: what one fresh OpenSSH handshake + trivial command costs here.
  const hs = [];
  for (let i = 0; i < 3; i++)
    hs.push((await timeCommand('ssh', ssh([host.alias, 'true']), { env })).ms);
  add(
    'ssh-true',
    '  (ssh host true: one OpenSSH handshake, included in the OpenSSH rows)',
    hs.map((ms) => ({ ms, bytes: 0 })),
    { info: true },
  );

  // Runs alternate OpenSSH / stx-lab so that load from elsewhere falls on both alike.
  if (!skip.has('stream')) {
    progress(`exec streaming ${opts.sizeMib} MiB × ${opts.runs}, alternating…`);
    const remote = `head -c ${BYTES} /dev/zero`;
    const devnull = openSync('/dev/null', 'w');
    const sshOnce = async () => {
      const r = await timeCommand('ssh', ssh([host.alias, remote]), {
        env,
        stdoutFd: devnull,
        timeoutMs: 120_000,
      });
      return { ms: r.ms, bytes: r.code === 0 ? BYTES : 0 };
    };
    await timeCommand('ssh', ssh([host.alias, `head -c ${16 << 20} /dev/zero`]), {
      env,
      stdoutFd: devnull,
    }); // warm-up
    await runner.request({ op: 'stream', bytes: 16 << 20 }); // warm-up (JIT)
    const oss = [];
    const stx = [];
    for (let i = 0; i < opts.runs; i++) {
      oss.push(await sshOnce());
      stx.push(await runner.request({ op: 'stream', bytes: BYTES }));
    }
    closeSync(devnull);
    add('ssh-stream', `OpenSSH: ssh -c ${CIPHER} host 'head -c …' > /dev/null`, oss);
    add('stx-stream', 'stx-lab core: SshExecutor.exec + onStdout (warm pool)', stx);
  }

  if (!skip.has('sftp')) {
    progress(`writing a ${opts.sizeMib} MiB random file…`);
    const file = join(work, 'payload.bin');
    const fd = openSync(file, 'w');
    const chunk = Buffer.allocUnsafe(8 << 20);
    for (let left = BYTES; left > 0; left -= chunk.length) {
      randomFillSync(chunk);
      writeSync(fd, chunk, 0, Math.min(left, chunk.length));
    }
    closeSync(fd);
    const dest = `${lab.scratch}/scp-payload`;
    const scpOnce = async () => {
      const r = await timeCommand('scp', ['-q', ...ssh([file, `${host.alias}:${dest}`])], {
        env,
        timeoutMs: 120_000,
      });
      if (r.code !== 0) note(`scp exited ${r.code}: ${r.stderr.trim().slice(0, 200)}`);
      rmSync(dest, { force: true });
      return { ms: r.ms, bytes: r.code === 0 ? BYTES : 0 };
    };
    const upOnce = async (verify) => {
      const r = await runner.request({
        op: 'upload',
        file,
        remote: `${lab.scratch}/sftp-payload`,
        verify,
      });
      if (r.error) note(`upload: ${r.error}`);
      return r;
    };
    progress(
      `upload ${opts.sizeMib} MiB × ${opts.runs}: scp, SshFiles.upload verified and not, alternating…`,
    );
    await scpOnce(); // warm-up (and the file is in the page cache for everyone)
    const scps = [];
    const ver = [];
    const unver = [];
    for (let i = 0; i < opts.runs; i++) {
      scps.push(await scpOnce());
      ver.push(await upOnce(true));
      unver.push(await upOnce(false));
    }
    add('scp', `OpenSSH: scp -c ${CIPHER} (SFTP protocol)`, scps);
    add('stx-sftp', 'stx-lab core: SshFiles.upload (default: sha256-verified)', ver);
    add('stx-sftp-nv', '  (SshFiles.upload, verify: false — the transfer alone)', unver, {
      info: true,
    });
    rmSync(file, { force: true });
  }
  await runner.close();
  if (opts.cpuProf) note(`CPU profile of the ssh2 runner written to ${opts.cpuProf}`);
} finally {
  await lab.stop();
}

// ── report ──
// OpenSSH rows are fresh processes, so each includes one handshake (the `ssh host true` row);
// their "net" rate takes that median off, which is the fair figure against a warm pool. The
// targets use the net rate (the stricter comparison for stx-lab).
const byId = (id) => rows.find((r) => r.id === id);
const hsMs = median(byId('ssh-true')?.runs.map((x) => x.ms) ?? []);
const isOpenSsh = (r) => r.id === 'ssh-stream' || r.id === 'scp';
const rates = (r, net) =>
  r.runs.map((x) =>
    x.bytes ? mbps(x.bytes, net && isOpenSsh(r) ? Math.max(1, x.ms - hsMs) : x.ms) : NaN,
  );
const rate = (id, net = true) => {
  const r = byId(id);
  if (!r || r.runs.some((x) => !x.bytes)) return NaN;
  return median(rates(r, net));
};
const targets = [];
const tgt = (label, num, den, limit) => {
  const a = rate(num);
  const b = rate(den);
  if (!Number.isFinite(a) || !Number.isFinite(b))
    return targets.push({ label, figure: '—', target: `≥ ${limit}×`, verdict: 'not measured' });
  targets.push({
    label,
    figure: `${fmtRatio(a / b)} (${fmtMBs(a)} / ${fmtMBs(b)} net)`,
    rawFigure: `${fmtRatio(a / rate(den, false))} against OpenSSH with its handshake`,
    target: `≥ ${limit}×`,
    verdict: a / b >= limit ? 'MET' : 'MISSED',
  });
};
tgt('exec streaming vs ssh', 'stx-stream', 'ssh-stream', 0.9);
tgt('SFTP upload (verified) vs scp', 'stx-sftp', 'scp', 0.9);
tgt('  (SFTP upload, verify off) vs scp', 'stx-sftp-nv', 'scp', 0.9);

const beside = {
  'stx-stream': () => `≥ 0.9× ssh net = ${fmtMBs(rate('ssh-stream') * 0.9)}`,
  'stx-sftp': () => `≥ 0.9× scp net = ${fmtMBs(rate('scp') * 0.9)}`,
};
const out = [
  ['case', 'median MB/s', 'min', 'max', 'net of handshake', 'median time', 'runs', 'target'],
];
for (const r of rows) {
  const isRef = r.id === 'ssh-true';
  const rs = rates(r, false);
  out.push([
    r.label,
    isRef ? '' : fmtMBs(median(rs)),
    isRef ? '' : fmtMBs(Math.min(...rs)),
    isRef ? '' : fmtMBs(Math.max(...rs)),
    isOpenSsh(r) ? fmtMBs(rate(r.id)) : '',
    fmtMs(median(r.runs.map((x) => x.ms))),
    r.runs.length,
    beside[r.id]?.() ?? '',
  ]);
}
if (opts.json) {
  console.log(
    JSON.stringify(
      { bytes: BYTES, cipher: CIPHER, handshakeMs: hsMs, rows, targets, notes },
      null,
      2,
    ),
  );
} else {
  console.log(
    `\nSSH throughput: ${opts.sizeMib} MiB over 127.0.0.1, cipher ${CIPHER} forced by sshd, ${cpus().length} CPUs, node ${process.version}`,
  );
  console.log(
    '(MB = 10^6 bytes; medians of the runs; stx-lab on a warm pooled connection, OpenSSH a fresh process each run)\n',
  );
  console.log(table(out));
  console.log('');
  console.log(
    table([
      ['target', 'figure', 'wanted', 'verdict', 'for reference'],
      ...targets.map((t) => [t.label, t.figure, t.target, t.verdict, t.rawFigure ?? '']),
    ]),
  );
  if (notes.length) console.log(`\nnotes:\n${notes.map((n) => `  - ${n}`).join('\n')}`);
}
