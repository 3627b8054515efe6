#!/usr/bin/env node
// API checks through one SSH tunnel against the same requests made directly with curl, in the
// same run (issue 7). A local HTTP server (its own process) answers GET /v1/ihosts with the
// sysinv shape; one real OpenSSH sshd on loopback carries the tunnel.
//   - curl (direct): one curl process, the N URLs, --parallel --parallel-max C, keep-alive;
//   - curl (direct), N processes one after another: a reference for per-request process cost;
//   - checks (direct): the project's runChecks + HttpClient, concurrency C, no tunnel;
//   - checks via SSH tunnel: the same, every HTTP connection one SSH direct-tcpip channel handed
//     straight to the keep-alive agent (TunnelSet → SshPool, one warm connection);
//   - the same through a local listener (startLocalForward, 127.0.0.1:port → channel), the path
//     checks used before, for comparison.
// Also shows that checks run concurrently up to the limit: the server counts requests in flight
// and reports the peak seen during each run.
// Prints figures only; asserts nothing (see bench/README.md). Target: tunnel overhead < 20%
// against curl direct (same run, same machine).
//
//   node bench/api-checks-tunnel.mjs [--checks 100] [--concurrency 8] [--runs 5] [--json]
import './lib/ts-hooks.mjs';

import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createServer as createNetServer, connect as netConnect } from 'node:net';
import { createInterface } from 'node:readline';

import { onCleanup, startLab, track } from './lib/lab.mjs';
import { fmtMs, fmtRatio, have, median, parseArgs, table, timeCommand } from './lib/measure.mjs';

const opts = parseArgs(process.argv.slice(2), {
  checks: 100,
  concurrency: 8,
  runs: 5,
  json: false,
});
const N = opts.checks;
const C = opts.concurrency;
const progress = (s) => console.error(`bench: ${s}`);
if (!have('curl')) {
  console.error('bench: curl is not installed (apt-get install curl)');
  process.exit(1);
}

const src = new URL('../src-main/', import.meta.url);
const { SshPool } = await import(new URL('core/ssh/pool.ts', src).href);
const { KnownHostsVerifier } = await import(new URL('core/ssh/known-hosts.ts', src).href);
const { HttpClient } = await import(new URL('core/checks/http.ts', src).href);
const { TunnelSet } = await import(new URL('core/checks/tunnel.ts', src).href);
const { startLocalForward } = await import(new URL('core/ssh/forward.ts', src).href);
const { runChecks } = await import(new URL('core/checks/runner.ts', src).href);
const { CheckDefSchema } = await import(new URL('shared/models/checks.ts', src).href);

// ── the API server, in its own process ──
const SERVER = `
const http = require('node:http');
let inFlight = 0, peak = 0, served = 0;
const body = JSON.stringify({ ihosts: [{ id: 1, hostname: 'controller-0', personality: 'controller',
  administrative: 'unlocked', operational: 'enabled', availability: 'available' }] });
const s = http.createServer((q, r) => {
  if (q.url === '/stats') { r.end(JSON.stringify({ peak, served })); peak = 0; served = 0; return; }
  inFlight++; served++; peak = Math.max(peak, inFlight);
  // 2 ms of "work" so that requests overlap and the concurrency limit is visible.
  setTimeout(() => { inFlight--; r.writeHead(200, { 'content-type': 'application/json' }); r.end(body); }, 2);
});
s.keepAliveTimeout = 30000;
s.listen(0, '127.0.0.1', () => console.log(s.address().port));
`;
const server = track(
  spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] }),
);
const port = await new Promise((resolve) =>
  createInterface({ input: server.stdout }).once('line', (l) => resolve(Number(l))),
);
onCleanup(() => server.kill());
const base = `http://127.0.0.1:${port}`;
const stats = async () => JSON.parse(await (await fetch(`${base}/stats`)).text());

progress('starting one sshd…');
const lab = await startLab({ hosts: 1 });
const h = lab.hosts[0];
const target = {
  name: h.name,
  host: h.host,
  port: h.port,
  user: lab.user,
  auth: { kind: 'key', keyPath: lab.keyPath, identitiesOnly: true },
  jump: [],
};
const pool = new SshPool({
  hostVerifier: new KnownHostsVerifier({ files: [lab.knownHosts] }),
  decideUnknown: async () => false,
});

const checks = Array.from({ length: N }, (_, i) =>
  CheckDefSchema.parse({
    id: `ihosts-${i}`,
    url: `${base}/v1/ihosts?n=${i}`,
    auth: false,
    expect: { status: 200, assertions: [{ path: '$.ihosts[*].hostname', op: 'exists' }] },
  }),
);
const urls = checks.map((c) => c.url);

// A run as `checks.run` does it: a new forward and HTTP client each time (the timing includes
// opening the local listener and the channels).
async function runOurs(viaTunnel) {
  const tunnels = viaTunnel ? new TunnelSet(pool, target) : undefined;
  const http = new HttpClient({ maxSockets: C, ...(tunnels ? { dial: tunnels.dial } : {}) });
  const t0 = performance.now();
  const results = await runChecks(checks, {
    http,
    iface: 'public',
    concurrency: C,
    insecure: false,
  });
  const ms = performance.now() - t0;
  http.close();
  await tunnels?.close();
  const bad = results.filter((r) => !r.ok);
  if (bad.length) throw new Error(`${bad.length} checks failed: ${bad[0].message}`);
  return { ms, ...(await stats()) };
}

// The previous path: one local listener per host:port, the HTTP client dials 127.0.0.1:port.
async function runViaListener() {
  const fw = await startLocalForward(pool, target, { remoteHost: '127.0.0.1', remotePort: port });
  const http = new HttpClient({
    maxSockets: C,
    dial: async () => ({ host: fw.host, port: fw.port }),
  });
  const t0 = performance.now();
  const results = await runChecks(checks, {
    http,
    iface: 'public',
    concurrency: C,
    insecure: false,
  });
  const ms = performance.now() - t0;
  http.close();
  await fw.close();
  const bad = results.filter((r) => !r.ok);
  if (bad.length) throw new Error(`${bad.length} checks failed: ${bad[0].message}`);
  return { ms, ...(await stats()) };
}

// Steady state: one TunnelSet and one keep-alive client kept across runs (channels stay open).
let warm;
async function runWarmTunnel() {
  if (!warm) {
    const tunnels = new TunnelSet(pool, target);
    warm = { tunnels, http: new HttpClient({ maxSockets: C, dial: tunnels.dial }) };
  }
  const t0 = performance.now();
  const results = await runChecks(checks, {
    http: warm.http,
    iface: 'public',
    concurrency: C,
    insecure: false,
  });
  const ms = performance.now() - t0;
  const bad = results.filter((r) => !r.ok);
  if (bad.length) throw new Error(`${bad.length} checks failed: ${bad[0].message}`);
  return { ms, ...(await stats()) };
}

async function curlParallel() {
  const r = await timeCommand('curl', [
    '-sS',
    '--fail',
    '--parallel',
    '--parallel-max',
    String(C),
    ...urls.flatMap((u) => ['-o', '/dev/null', u]),
  ]);
  if (r.code !== 0) throw new Error(`curl failed: ${r.stderr}`);
  return { ms: r.ms, ...(await stats()) };
}

async function curlEach() {
  const t0 = performance.now();
  for (const u of urls) {
    const r = await timeCommand('curl', ['-sS', '--fail', '-o', '/dev/null', u]);
    if (r.code !== 0) throw new Error(`curl failed: ${r.stderr}`);
  }
  return { ms: performance.now() - t0, ...(await stats()) };
}

// Reference: the same curl run through OpenSSH's own tunnel (`ssh -N -L`), started once and kept:
// what SSH tunnelling costs on this machine whatever the client.
let sshL;
async function curlViaOpenSshTunnel() {
  if (!sshL) {
    const local = await new Promise((resolve) => {
      const srv = createNetServer().listen(0, '127.0.0.1', () => {
        const p = srv.address().port;
        srv.close(() => resolve(p));
      });
    });
    const env = { ...process.env };
    delete env.SSH_AUTH_SOCK;
    const proc = track(
      spawn(
        'ssh',
        ['-F', lab.sshConfig, '-N', '-L', `127.0.0.1:${local}:127.0.0.1:${port}`, h.alias],
        {
          env,
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      ),
    );
    onCleanup(() => proc.kill());
    const end = Date.now() + 10_000;
    for (;;) {
      const up = await new Promise((resolve) => {
        const sock = netConnect(local, '127.0.0.1', () => (sock.destroy(), resolve(true)));
        sock.once('error', () => resolve(false));
      });
      if (up) break;
      if (Date.now() > end) throw new Error('ssh -L did not come up');
      await new Promise((r) => setTimeout(r, 50));
    }
    sshL = { proc, urls: urls.map((u) => u.replace(`:${port}/`, `:${local}/`)) };
  }
  const r = await timeCommand('curl', [
    '-sS',
    '--fail',
    '--parallel',
    '--parallel-max',
    String(C),
    ...sshL.urls.flatMap((u) => ['-o', '/dev/null', u]),
  ]);
  if (r.code !== 0) throw new Error(`curl via ssh -L failed: ${r.stderr}`);
  return { ms: r.ms, ...(await stats()) };
}

const kinds = [
  ['curl', `curl direct: 1 process, ${N} URLs, --parallel-max ${C}`, curlParallel],
  ['curl-each', `curl direct: ${N} processes, one after another`, curlEach],
  ['direct', `checks direct (concurrency ${C})`, () => runOurs(false)],
  ['tunnel', `checks via one SSH tunnel (concurrency ${C})`, () => runOurs(true)],
  ['tunnel-warm', `  same, client and channels kept open across runs`, runWarmTunnel],
  ['tunnel-listener', `  same through a local listener (startLocalForward)`, runViaListener],
  ['curl-ssh-L', `reference: curl as above through OpenSSH ssh -N -L`, curlViaOpenSshTunnel],
];
const runs = Object.fromEntries(kinds.map(([id]) => [id, []]));
try {
  progress('warm-up (connection, JIT)…');
  for (const [, , fn] of kinds) await fn();
  for (let i = 0; i < opts.runs; i++) {
    progress(`run ${i + 1}/${opts.runs}`);
    // Interleaved, so the machine's load hits every kind alike.
    for (const [id, , fn] of kinds) runs[id].push(await fn());
  }
} finally {
  sshL?.proc.kill();
  warm?.http.close();
  await warm?.tunnels.close();
  await pool.dispose();
  await lab.stop();
  server.kill();
}

const med = (id) => median(runs[id].map((r) => r.ms));
const peak = (id) => Math.max(...runs[id].map((r) => r.peak));
const rows = kinds.map(([id, label]) => ({
  id,
  label,
  median: med(id),
  min: Math.min(...runs[id].map((r) => r.ms)),
  max: Math.max(...runs[id].map((r) => r.ms)),
  perRequest: med(id) / N,
  peakInFlight: peak(id),
}));
const overheadCurl = med('tunnel') / med('curl') - 1;
const overheadDirect = med('tunnel') / med('direct') - 1;
const overheadCurlEach = med('tunnel') / med('curl-each') - 1;
const load = loadavg()
  .map((x) => x.toFixed(1))
  .join(' ');
if (opts.json) {
  console.log(
    JSON.stringify(
      {
        checks: N,
        concurrency: C,
        runs: opts.runs,
        rows,
        overheadVsCurl: overheadCurl,
        overheadVsCurlEach: overheadCurlEach,
        overheadVsDirect: overheadDirect,
        loadavg: load,
        cpus: cpus().length,
      },
      null,
      2,
    ),
  );
} else {
  console.log(
    `\n${N} API checks (GET /v1/ihosts + a JSON assertion), ${opts.runs} runs each, medians:\n`,
  );
  console.log(
    table([
      ['', 'median', 'min', 'max', 'per request', 'peak in flight'],
      ...rows.map((r) => [
        r.label,
        fmtMs(r.median),
        fmtMs(r.min),
        fmtMs(r.max),
        `${r.perRequest.toFixed(2)} ms`,
        String(r.peakInFlight),
      ]),
    ]),
  );
  const pct = (x) => `${(x * 100).toFixed(1)}%`;
  console.log(
    `\ntunnel vs curl direct (parallel): ${fmtRatio(med('tunnel') / med('curl'))} → overhead ${pct(overheadCurl)} (target < 20%)`,
  );
  console.log(
    `warm tunnel vs curl direct:       ${fmtRatio(med('tunnel-warm') / med('curl'))} → overhead ${pct(med('tunnel-warm') / med('curl') - 1)}`,
  );
  console.log(
    `local listener vs curl direct:    ${fmtRatio(med('tunnel-listener') / med('curl'))} → overhead ${pct(med('tunnel-listener') / med('curl') - 1)} (previous path)`,
  );
  console.log(
    `OpenSSH ssh -L + curl vs curl direct: ${fmtRatio(med('curl-ssh-L') / med('curl'))} → overhead ${pct(med('curl-ssh-L') / med('curl') - 1)} (SSH tunnelling itself, for reference)`,
  );
  console.log(
    `tunnel vs OpenSSH ssh -L + curl:  ${fmtRatio(med('tunnel') / med('curl-ssh-L'))} (below 1×: our tunnel costs less than OpenSSH's)`,
  );
  console.log(
    `tunnel vs curl, one process each: ${fmtRatio(med('tunnel') / med('curl-each'))} → overhead ${pct(overheadCurlEach)}`,
  );
  console.log(
    `tunnel vs checks direct:          ${fmtRatio(med('tunnel') / med('direct'))} → overhead ${pct(overheadDirect)}`,
  );
  console.log(
    `machine: ${cpus().length} CPUs, load average ${load} (figures move with load; compare rows of one run)`,
  );
  console.log(
    `concurrency limit ${C}: peak requests in flight at the server through the tunnel = ${peak('tunnel')}`,
  );
}
