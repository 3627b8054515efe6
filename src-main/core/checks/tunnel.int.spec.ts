// API checks through an SSH tunnel: an HTTP API inside the private network namespace of the
// lab-in-a-box, reachable only through its bastion (here: from target1, reached via the
// bastion). Direct access fails; through `via` it passes with the Host header preserved. Also
// the wait-for-port step kind, directly and via the same host.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CheckDefSchema } from '../../shared/models/checks';
import { labTarget, MapVerifier, startLab, type Lab } from '../../test-support/lab-in-a-box';
import { requirements } from '../../test-support/requirements';
import type { StepRunContext } from '../flows/kinds/kind';
import { SshPool } from '../ssh/pool';
import type { SshTarget } from '../ssh/types';
import { openStore, type OpenedStore } from '../store/database';
import { waitForPortKind } from './kinds/wait-for-port';
import { ChecksService } from './service';
import { CheckStore } from './store';
import { CHANNEL_LOCAL } from './tunnel';

const ok = requirements({ commands: ['ip', 'sshd'], root: true });

const SERVER = `
const http = require('node:http');
const s = http.createServer((q, r) => {
  r.writeHead(200, { 'content-type': 'application/json' });
  r.end(JSON.stringify({ host: q.headers.host, path: q.url, ihosts: [{ hostname: 'controller-0' }] }));
});
s.listen(0, '127.0.0.1', () => console.log(s.address().port));
`;

describe.runIf(ok)('checks through an SSH tunnel into a private network', () => {
  let lab: Lab;
  let pool: SshPool;
  let server: ChildProcess;
  let port: number;
  let store: OpenedStore;
  let dir: string;
  let checks: ChecksService;
  let via: SshTarget;

  beforeAll(async () => {
    lab = await startLab({ bastion: true });
    if (lab.isolation !== 'netns') throw new Error('ip netns is needed for this proof');
    const ns = lab.netns as string;
    server = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', SERVER], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    port = await new Promise<number>((resolve, reject) => {
      server.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
      server.once('exit', (c) => reject(new Error(`server exited ${c}`)));
    });
    pool = new SshPool({
      hostVerifier: new MapVerifier([...lab.hosts, lab.bastion!, ...lab.targets]),
      decideUnknown: async () => false,
    });
    via = labTarget(lab, lab.targets[0]!, { jump: [labTarget(lab, lab.bastion!)] });
    dir = mkdtempSync(join(tmpdir(), 'stx-tunnel-db-'));
    store = openStore(dir);
    checks = new ChecksService({
      store: new CheckStore(store.db),
      suitesDir: () => join(import.meta.dirname, '../../../resources/checks'),
      pool,
      target: (h) => (h === 'target1' ? via : labTarget(lab, lab.hosts[0]!)),
    });
  }, 120_000);

  afterAll(async () => {
    server?.kill();
    store?.db.close();
    await pool?.dispose();
    await lab?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const check = () =>
    CheckDefSchema.parse({
      id: 'private-ihosts',
      url: `http://localhost:${port}/v1/ihosts`,
      expect: {
        assertions: [{ path: '$.ihosts[0].hostname', op: 'equals', value: 'controller-0' }],
      },
      timeoutMs: 3000,
    });

  it('the API is not reachable directly', async () => {
    const r = await checks.run({
      checks: [check()],
      insecure: false,
      concurrency: 1,
      budgets: 'enforce',
    });
    expect(r.results[0]).toMatchObject({ ok: false });
    expect(['refused', 'timeout', 'network']).toContain(r.results[0]!.cause);
  });

  it('through the tunnel it passes, with the Host header of the URL', async () => {
    const tunnels: string[] = [];
    const many = Array.from({ length: 12 }, (_, i) => ({ ...check(), id: `c${i}` }));
    const r = await checks.run(
      { checks: many, via: 'target1', insecure: false, concurrency: 4, budgets: 'warn' },
      { onEvent: (e) => e.type === 'tunnel' && tunnels.push(`${e.remote} → ${e.local}`) },
    );
    expect(r.results.filter((x) => !x.ok).map((x) => x.message)).toEqual([]);
    expect(r.via).toBe('target1');
    expect(r.results.every((x) => x.via === 'target1')).toBe(true);
    expect((JSON.parse(r.results[0]!.excerpt) as { host: string }).host).toBe(`localhost:${port}`);
    // One tunnel event for the one host:port, shared by every check.
    expect(tunnels).toHaveLength(1);
    // Each connection is a direct-tcpip channel handed to the HTTP agent: no local port.
    expect(tunnels[0]).toBe(`localhost:${port} → ${CHANNEL_LOCAL}`);
  });

  it('wait-for-port: open via the host, closed directly (within the timeout)', async () => {
    const kind = waitForPortKind(() => ({
      pool,
      target: (h) => (h === 'target1' ? via : labTarget(lab, lab.hosts[0]!)),
    }));
    const logs: string[] = [];
    const ctx: StepRunContext = {
      runId: 'r',
      stepId: 's',
      hosts: [],
      forks: 1,
      signal: new AbortController().signal,
      executor: { exec: () => Promise.reject(new Error('unused')) },
      log: (l) => logs.push(l),
      hostResult: () => undefined,
    };
    const open = await kind.run(
      kind.params.parse({ port, address: '127.0.0.1', via: 'target1', 'timeout-ms': 5000 }),
      ctx,
    );
    expect(open).toMatchObject({ ok: true });
    const closed = await kind.run(
      kind.params.parse({ port, address: '127.0.0.1', 'timeout-ms': 600, 'interval-ms': 100 }),
      ctx,
    );
    expect(closed.ok).toBe(false);
    expect(logs.at(-1)).toMatch(/not reachable: ECONNREFUSED/);
  });
});
