// Runs the project's own SSH core (the TypeScript sources under src-main/core, loaded through
// ts-hooks.mjs, no build) in a process of its own, and prints one `RESULT {json}` line.
//
//   node bench/lib/ssh2-runner.mjs CONFIG.json
//
// CONFIG: { mode: 'fanout' | 'stream' | 'sftp', user, keyPath, knownHosts, hosts: [{name,host,port}],
//           runs, forks?, bytes?, file?, remoteDir? }
// fanout: SshPool + SshExecutor + runFanout(`hostname`, forks) on all hosts. The first fan-out
//         opens the pool's connections (reported as `first`); the next `runs` are timed on the
//         warm pool. Also times the same 50 commands through SshExecutor.exec directly (no
//         runFanout) and through the raw ssh2 Client.exec of the pooled connections (no
//         executor: no PID wrapper, no audit), to show where the time goes.
// stream: one warm connection; SshExecutor.exec(`head -c BYTES /dev/zero`) with onStdout
//         counting bytes (stdout capture left at its default 1 MiB), `runs` times.
// sftp:   one warm connection; SshFiles.upload(file) with verify on (the default) and off.
import './ts-hooks.mjs';

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const src = new URL('../../src-main/', import.meta.url);
const { SshPool } = await import(new URL('core/ssh/pool.ts', src).href);
const { SshExecutor } = await import(new URL('core/ssh/ssh-exec.ts', src).href);
const { KnownHostsVerifier } = await import(new URL('core/ssh/known-hosts.ts', src).href);

const pool = new SshPool({
  hostVerifier: new KnownHostsVerifier({ files: [cfg.knownHosts] }),
  decideUnknown: async () => false,
});
const executor = new SshExecutor(pool);
const targets = cfg.hosts.map((h) => ({
  name: h.name,
  host: h.host,
  port: h.port,
  user: cfg.user,
  auth: { kind: 'key', keyPath: cfg.keyPath, identitiesOnly: true },
  jump: [],
}));
const result = { mode: cfg.mode };

const hostnameCmd = { argv: ['hostname'] };

async function fanout() {
  const { runFanout } = await import(new URL('core/fanout/fanout.ts', src).href);
  const once = async () => {
    const t0 = performance.now();
    const r = await runFanout({ targets, command: hostnameCmd, executor, forks: cfg.forks ?? targets.length });
    const ms = performance.now() - t0;
    const ok = r.hosts.filter((h) => h.state === 'ok').length;
    const bad = r.hosts.find((h) => h.state !== 'ok');
    return { ms, ok, ...(bad ? { firstError: `${bad.host}: ${bad.state} ${bad.error ?? ''}` } : {}) };
  };
  result.first = await once();
  result.runs = [];
  for (let i = 0; i < cfg.runs; i++) result.runs.push(await once());

  // Diagnostics: the same commands without runFanout, then without SshExecutor.
  result.execOnly = [];
  for (let i = 0; i < cfg.runs; i++) {
    const t0 = performance.now();
    const rs = await Promise.allSettled(targets.map((t) => executor.exec(t, hostnameCmd)));
    result.execOnly.push({
      ms: performance.now() - t0,
      ok: rs.filter((r) => r.status === 'fulfilled' && r.value.exitCode === 0).length,
    });
  }
  result.rawSsh2 = [];
  const leases = [];
  for (let i = 0; i < cfg.runs; i++) {
    const t0 = performance.now();
    const codes = await Promise.all(
      targets.map(async (t) => {
        const lease = await pool.channel(t, (conn) => Promise.resolve(conn));
        leases.push(lease);
        return new Promise((resolve) =>
          lease.connection.client.exec('hostname', (err, ch) => {
            if (err) return resolve(-1);
            let code = null;
            ch.on('exit', (c) => (code = c));
            ch.on('close', (c) => resolve(typeof c === 'number' ? c : code));
            ch.resume();
            ch.stderr.resume();
          }),
        );
      }),
    );
    result.rawSsh2.push({ ms: performance.now() - t0, ok: codes.filter((c) => c === 0).length });
    for (const l of leases.splice(0)) l.release();
  }
}

async function stream() {
  const t = targets[0];
  await executor.exec(t, { argv: ['true'] }); // connect first: the desktop case is a warm pool
  result.runs = [];
  for (let i = 0; i < cfg.runs; i++) {
    let bytes = 0;
    const t0 = performance.now();
    const r = await executor.exec(t, {
      argv: ['head', '-c', String(cfg.bytes), '/dev/zero'],
      onStdout: (c) => (bytes += c.length),
    });
    const ms = performance.now() - t0;
    result.runs.push({ ms, bytes, exitCode: r.exitCode, mbps: bytes / 1e6 / (ms / 1000) });
  }
}

async function sftp() {
  const { SshFiles } = await import(new URL('core/ssh/sftp.ts', src).href);
  const files = new SshFiles(pool, executor);
  const t = targets[0];
  await executor.exec(t, { argv: ['true'] });
  for (const verify of [true, false]) {
    const key = verify ? 'verified' : 'unverified';
    result[key] = [];
    for (let i = 0; i < cfg.runs; i++) {
      const remote = `${cfg.remoteDir}/sftp-${verify ? 'v' : 'n'}-${i}`;
      const t0 = performance.now();
      let error;
      let bytes = 0;
      try {
        bytes = (await files.upload(t, cfg.file, remote, { verify })).bytes;
      } catch (err) {
        error = String(err?.message ?? err);
      }
      const ms = performance.now() - t0;
      result[key].push({ ms, bytes, mbps: bytes / 1e6 / (ms / 1000), ...(error ? { error } : {}) });
      await executor.exec(t, { argv: ['rm', '-f', '--', remote] }).catch(() => undefined);
    }
  }
}

try {
  if (cfg.mode === 'fanout') await fanout();
  else if (cfg.mode === 'stream') await stream();
  else if (cfg.mode === 'sftp') await sftp();
  else throw new Error(`unknown mode ${cfg.mode}`);
} catch (err) {
  result.crash = String(err?.stack ?? err);
} finally {
  await pool.dispose();
}
console.log(`RESULT ${JSON.stringify(result)}`);
