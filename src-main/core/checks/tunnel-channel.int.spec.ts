// API checks through SSH direct-tcpip channels handed straight to the HTTP agent (TunnelSet):
// against servers inside the lab-in-a-box's private network namespace, reachable only through
// its bastion (target1 via the bastion). The channels are reused by the keep-alive agent (at
// most one per concurrent check) and closed with the client; TLS runs over the channel with the
// URL's name checked against the test CA; a port nobody listens on is a `tunnel` failure.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CheckDefSchema, type CheckDefInput } from '../../shared/models/checks';
import { labTarget, MapVerifier, startLab, type Lab } from '../../test-support/lab-in-a-box';
import { requirements } from '../../test-support/requirements';
import { makeTestCa, type TestCa } from '../../test-support/test-ca';
import { SshPool } from '../ssh/pool';
import type { SshTarget } from '../ssh/types';
import { HttpClient } from './http';
import { runChecks } from './runner';
import { TunnelSet } from './tunnel';

const ok = requirements({ commands: ['ip', 'sshd', 'openssl'], root: true });

const HTTP_SERVER = `
const s = require('node:http').createServer((q, r) => {
  r.writeHead(200, { 'content-type': 'application/json' });
  r.end(JSON.stringify({ host: q.headers.host, path: q.url }));
  // /bye: answered as keep-alive, then the server drops the idle connection.
  if (q.url === '/bye') setTimeout(() => q.socket.end(), 50);
});
s.listen(0, '127.0.0.1', () => console.log(s.address().port));
`;
// The test CA's server certificate carries DNS:localhost and IP:127.0.0.1; all addresses of the
// namespace (so that 127.0.0.2, a name the certificate lacks, reaches it too).
const TLS_SERVER = (cert: string, key: string): string => `
const fs = require('node:fs');
const s = require('node:https').createServer(
  { cert: fs.readFileSync(${JSON.stringify(cert)}), key: fs.readFileSync(${JSON.stringify(key)}) },
  (q, r) => r.end(JSON.stringify({ host: q.headers.host, tls: true })),
);
s.listen(0, '0.0.0.0', () => console.log(s.address().port));
`;

function spawnIn(ns: string, code: string): Promise<{ proc: ChildProcess; port: number }> {
  const proc = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', code], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    proc.stdout.once('data', (d: Buffer) => resolve({ proc, port: Number(d.toString().trim()) }));
    proc.once('exit', (c) => reject(new Error(`server exited ${c}`)));
  });
}

describe.runIf(ok)('checks over SSH channels handed to the HTTP agent', () => {
  let lab: Lab;
  let pool: SshPool;
  let via: SshTarget;
  let dir: string;
  let ca: TestCa;
  const servers: ChildProcess[] = [];
  let httpPort: number;
  let tlsPort: number;

  beforeAll(async () => {
    lab = await startLab({ bastion: true });
    if (lab.isolation !== 'netns') throw new Error('ip netns is needed for this proof');
    const ns = lab.netns as string;
    dir = mkdtempSync(join(tmpdir(), 'stx-tunnel-ch-'));
    ca = await makeTestCa(dir);
    const h = await spawnIn(ns, HTTP_SERVER);
    const t = await spawnIn(ns, TLS_SERVER(ca.certPath, ca.keyPath));
    servers.push(h.proc, t.proc);
    httpPort = h.port;
    tlsPort = t.port;
    pool = new SshPool({
      hostVerifier: new MapVerifier([...lab.hosts, lab.bastion!, ...lab.targets]),
      decideUnknown: async () => false,
    });
    via = labTarget(lab, lab.targets[0]!, { jump: [labTarget(lab, lab.bastion!)] });
  }, 120_000);

  afterAll(async () => {
    for (const s of servers) s.kill();
    await pool?.dispose();
    await lab?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const def = (d: Partial<CheckDefInput> & { url: string }, i = 0) =>
    CheckDefSchema.parse({ id: `c${i}`, timeoutMs: 5000, ...d });

  async function through(checks: ReturnType<typeof def>[], o: { ca?: Buffer } = {}) {
    const opened: string[] = [];
    const set = new TunnelSet(pool, via, (remote, local) => opened.push(`${remote} → ${local}`));
    const http = new HttpClient({ maxSockets: 3, dial: set.dial, ...o });
    const results = await runChecks(checks, {
      http,
      iface: 'public',
      concurrency: 3,
      insecure: false,
    });
    const during = set.channels;
    // Closing the client closes its channels (TunnelSet.close is only the backstop).
    http.close();
    for (let i = 0; i < 100 && set.channels.open > 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    const after = set.channels;
    await set.close();
    return { results, during, after, opened, errors: set.errors };
  }

  it('reuses the channels: at most one per concurrent check, all closed after', async () => {
    const many = Array.from({ length: 15 }, (_, i) =>
      def({ url: `http://localhost:${httpPort}/v1/ihosts?i=${i}`, expect: { json: true } }, i),
    );
    const { results, during, after, opened } = await through(many);
    expect(results.filter((x) => !x.ok).map((x) => x.message)).toEqual([]);
    // The Host header is the URL's, every request got its own path.
    expect(results.map((x) => JSON.parse(x.excerpt) as { host: string; path: string })).toEqual(
      many.map((_, i) => ({ host: `localhost:${httpPort}`, path: `/v1/ihosts?i=${i}` })),
    );
    expect(during.opened).toBeGreaterThanOrEqual(1);
    expect(during.opened).toBeLessThanOrEqual(3);
    expect(after.open).toBe(0);
    expect(opened).toEqual([`localhost:${httpPort} → ssh direct-tcpip`]);
    // Channels are not sessions: the one pooled connection carried them all.
    expect(pool.stats(via).connections).toBe(1);
  });

  it('a channel the server closed while idle is closed, not reused; the next check opens another', async () => {
    const set = new TunnelSet(pool, via);
    const http = new HttpClient({ maxSockets: 1, dial: set.dial });
    const run = () =>
      runChecks([def({ url: `http://localhost:${httpPort}/bye`, expect: { json: true } })], {
        http,
        iface: 'public',
        concurrency: 1,
        insecure: false,
      });
    try {
      const [first] = await run();
      expect(first).toMatchObject({ ok: true });
      // The server drops the idle connection 50 ms after answering: the channel closes too.
      for (let i = 0; i < 150 && set.channels.open > 0; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(set.channels.open).toBe(0);
      const [second] = await run();
      expect(second).toMatchObject({ ok: true });
      expect(set.channels.opened).toBe(2);
    } finally {
      http.close();
      await set.close();
    }
  });

  it('runs TLS over the channel and checks the URL name against the test CA', async () => {
    const url = `https://localhost:${tlsPort}/x`;
    const good = await through([def({ url, expect: { json: true } })], {
      ca: readFileSync(ca.caPath),
    });
    expect(good.results[0]).toMatchObject({ ok: true, status: 200 });
    expect(JSON.parse(good.results[0]!.excerpt)).toEqual({
      host: `localhost:${tlsPort}`,
      tls: true,
    });
    // Without the CA the same server is refused: verification happens through the tunnel too.
    const bad = await through([def({ url })]);
    expect(bad.results[0]).toMatchObject({ ok: false, cause: 'tls' });
    expect(bad.results[0]!.message).toMatch(/TLS with localhost:\d+ failed/);
    // An address the certificate does not carry fails even with the right CA (it reaches the
    // same server through the tunnel).
    const wrong = await through([def({ url: `https://127.0.0.2:${tlsPort}/x` })], {
      ca: readFileSync(ca.caPath),
    });
    expect(wrong.results[0]).toMatchObject({ ok: false, cause: 'tls' });
    expect(wrong.results[0]!.message).toMatch(/127\.0\.0\.2/);
  });

  it('a port nobody listens on behind the SSH host is a tunnel failure naming it', async () => {
    const { results, errors } = await through([def({ url: 'http://127.0.0.1:1/nothing' })]);
    expect(results[0]).toMatchObject({ ok: false, cause: 'tunnel' });
    expect(results[0]!.message).toMatch(/127\.0\.0\.1:1/);
    expect(errors).toHaveLength(1);
  });
});
