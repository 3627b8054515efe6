// Runs the project's own SSH core (the TypeScript sources under src-main/core, loaded through
// ts-hooks.mjs, no build) in a process of its own, one pool for the process's life, and serves
// timing requests over stdin/stdout so a bench can interleave them with its baselines (the
// machine's load then hits both sides alike).
//
//   node bench/lib/ssh2-runner.mjs CONFIG.json     (use runner-client.mjs rather than by hand)
//
// CONFIG: { user, keyPath, knownHosts, hosts: [{ name, host, port }] }
// Prints `READY` once loaded, then answers each stdin line (a JSON request) with one
// `RESULT {json}` line. Requests:
//   { op: 'fanout', forks }   runFanout(`hostname`) on all hosts through SshPool + SshExecutor;
//                             the first one opens the pool's connections.
//   { op: 'exec-all' }        the same commands through SshExecutor.exec directly (no runFanout).
//   { op: 'raw-all' }         the same through ssh2's client.exec on the pooled connections
//                             (no executor: no PID wrapper, no audit, no capture).
//   { op: 'stream', bytes }   SshExecutor.exec(`head -c BYTES /dev/zero`) on the first host with
//                             onStdout counting bytes (capture left at its default 1 MiB).
//   { op: 'upload', file, remote, verify }   SshFiles.upload to the first host, then rm.
// Timings are taken inside this process (performance.now around the call).
import './ts-hooks.mjs';

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const src = new URL('../../src-main/', import.meta.url);
const { SshPool } = await import(new URL('core/ssh/pool.ts', src).href);
const { SshExecutor } = await import(new URL('core/ssh/ssh-exec.ts', src).href);
const { KnownHostsVerifier } = await import(new URL('core/ssh/known-hosts.ts', src).href);
const { runFanout } = await import(new URL('core/fanout/fanout.ts', src).href);
const { SshFiles } = await import(new URL('core/ssh/sftp.ts', src).href);

const pool = new SshPool({
  hostVerifier: new KnownHostsVerifier({ files: [cfg.knownHosts] }),
  decideUnknown: async () => false,
});
const executor = new SshExecutor(pool);
const files = new SshFiles(pool, executor);
const targets = cfg.hosts.map((h) => ({
  name: h.name,
  host: h.host,
  port: h.port,
  user: cfg.user,
  auth: { kind: 'key', keyPath: cfg.keyPath, identitiesOnly: true },
  jump: [],
}));
const hostnameCmd = { argv: ['hostname'] };

const ops = {
  async fanout({ forks }) {
    const t0 = performance.now();
    const r = await runFanout({
      targets,
      command: hostnameCmd,
      executor,
      forks: forks ?? targets.length,
    });
    const ms = performance.now() - t0;
    const bad = r.hosts.find((h) => h.state !== 'ok');
    return {
      ms,
      ok: r.hosts.filter((h) => h.state === 'ok').length,
      ...(bad ? { firstError: `${bad.host}: ${bad.state} ${bad.error ?? ''}` } : {}),
    };
  },
  async 'exec-all'() {
    const t0 = performance.now();
    const rs = await Promise.allSettled(targets.map((t) => executor.exec(t, hostnameCmd)));
    return {
      ms: performance.now() - t0,
      ok: rs.filter((r) => r.status === 'fulfilled' && r.value.exitCode === 0).length,
    };
  },
  async 'raw-all'() {
    const leases = [];
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
    const ms = performance.now() - t0;
    for (const l of leases) l.release();
    return { ms, ok: codes.filter((c) => c === 0).length };
  },
  async stream({ bytes }) {
    let got = 0;
    const t0 = performance.now();
    const r = await executor.exec(targets[0], {
      argv: ['head', '-c', String(bytes), '/dev/zero'],
      onStdout: (c) => (got += c.length),
    });
    return { ms: performance.now() - t0, bytes: r.exitCode === 0 ? got : 0 };
  },
  async upload({ file, remote, verify }) {
    const t0 = performance.now();
    let bytes = 0;
    let error;
    try {
      bytes = (await files.upload(targets[0], file, remote, { verify })).bytes;
    } catch (err) {
      error = String(err?.message ?? err);
    }
    const ms = performance.now() - t0;
    await executor.exec(targets[0], { argv: ['rm', '-f', '--', remote] }).catch(() => undefined);
    return { ms, bytes, ...(error ? { error } : {}) };
  },
  async connect() {
    const t0 = performance.now();
    const r = await executor.exec(targets[0], { argv: ['true'] });
    return { ms: performance.now() - t0, ok: r.exitCode === 0 ? 1 : 0 };
  },
};

console.log('READY');
const rl = createInterface({ input: process.stdin });
for await (const line of rl) {
  if (!line.trim()) continue;
  let out;
  try {
    const req = JSON.parse(line);
    const op = ops[req.op];
    out = op ? await op(req) : { error: `unknown op ${req.op}` };
  } catch (err) {
    out = { crash: String(err?.stack ?? err) };
  }
  console.log(`RESULT ${JSON.stringify(out)}`);
}
await pool.dispose();
