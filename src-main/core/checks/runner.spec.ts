// The HTTP/assertion layer against real node:http(s) servers: pass, status, invalid JSON,
// assertion failures, a latency budget, refused and unresolvable endpoints, timeouts, TLS with
// a custom CA (openssl-made), an untrusted CA, and `insecure` recorded in the result.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CheckDefSchema, type CheckDefInput } from '../../shared/models/checks';
import { freePort } from '../../test-support/fixture-util';
import { requirements } from '../../test-support/requirements';
import { makeTestCa, type TestCa } from '../../test-support/test-ca';
import { HttpClient } from './http';
import { joinEndpoint, runCheck, runChecks, type RunOptions } from './runner';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const routes: Record<string, Handler> = {
  '/ok': (_q, r) =>
    r
      .writeHead(200, { 'content-type': 'application/json' })
      .end('{"ihosts":[{"hostname":"controller-0","administrative":"unlocked"}]}'),
  '/bad-json': (_q, r) =>
    r.writeHead(200, { 'content-type': 'application/json' }).end('{"ihosts": [oops'),
  '/500': (_q, r) => r.writeHead(500).end('boom'),
  '/slow': (_q, r) => setTimeout(() => r.writeHead(200).end('{}'), 400),
  '/hang': () => undefined,
  '/echo': (q, r) => {
    const chunks: Buffer[] = [];
    q.on('data', (c: Buffer) => chunks.push(c));
    q.on('end', () =>
      r.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          method: q.method,
          host: q.headers.host,
          ct: q.headers['content-type'],
          body: Buffer.concat(chunks).toString(),
        }),
      ),
    );
  },
};
const serve: Handler = (q, r) =>
  (routes[new URL(q.url ?? '/', 'http://x').pathname] ?? ((_a, b) => b.writeHead(404).end()))(q, r);

let http: Server;
let https: Server;
let base: string;
let tlsBase: string;
let ca: TestCa;
let dir: string;
const hasOpenssl = requirements({ commands: ['openssl'] });

beforeAll(async () => {
  http = createServer(serve);
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
  if (hasOpenssl) {
    dir = mkdtempSync(join(tmpdir(), 'stx-checks-'));
    ca = await makeTestCa(dir);
    https = createHttpsServer(
      { cert: readFileSync(ca.certPath), key: readFileSync(ca.keyPath) },
      serve,
    );
    await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
    tlsBase = `https://127.0.0.1:${(https.address() as { port: number }).port}`;
  }
});
afterAll(() => {
  http?.closeAllConnections();
  http?.close();
  https?.closeAllConnections?.();
  https?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const def = (c: Partial<CheckDefInput> & { url: string }) =>
  CheckDefSchema.parse({ id: 't', ...c });
const opts = (client: HttpClient, extra: Partial<RunOptions> = {}): RunOptions => ({
  http: client,
  iface: 'public',
  concurrency: 4,
  insecure: false,
  ...extra,
});

describe('checks over real HTTP', () => {
  const client = new HttpClient();
  afterAll(() => client.close());

  it('passes a good response with JSON assertions, keeping an excerpt', async () => {
    const r = await runCheck(
      def({
        url: `${base}/ok`,
        expect: {
          status: 200,
          assertions: [
            { path: '$.ihosts[*].hostname', op: 'exists' },
            { path: '$.ihosts[0].administrative', op: 'oneOf', value: ['locked', 'unlocked'] },
          ],
        },
      }),
      opts(client),
    );
    expect(r).toMatchObject({ ok: true, status: 200, insecure: false });
    expect(r.assertions.every((a) => a.ok)).toBe(true);
    expect(r.excerpt).toContain('controller-0');
    expect(r.latencyMs).toBeGreaterThan(0);
  });

  it('names each kind of failure by its cause', async () => {
    const dead = await freePort();
    const cases: [Partial<CheckDefInput> & { url: string }, string, RegExp][] = [
      [{ url: `${base}/500` }, 'status', /expected 200, got 500/],
      [
        { url: `${base}/bad-json`, expect: { assertions: [{ path: '$.ihosts', op: 'exists' }] } },
        'invalid-json',
        /not JSON/,
      ],
      [
        {
          url: `${base}/ok`,
          expect: {
            assertions: [{ path: '$.ihosts[0].administrative', op: 'equals', value: 'locked' }],
          },
        },
        'assertion',
        /expected "locked", got "unlocked"/,
      ],
      [
        { url: `${base}/ok`, expect: { assertions: [{ path: '$.nothing', op: 'exists' }] } },
        'assertion',
        /matches nothing/,
      ],
      [{ url: `${base}/ok`, expect: { bodyContains: 'compute-9' } }, 'body', /does not contain/],
      [{ url: `${base}/slow`, budgetMs: 50 }, 'budget', /over the 50 ms budget/],
      [{ url: `${base}/hang`, timeoutMs: 300 }, 'timeout', /no answer within 300 ms/],
      [{ url: `http://127.0.0.1:${dead}/x` }, 'refused', /connection refused by 127\.0\.0\.1/],
      [{ url: 'http://no-such-host.invalid/x' }, 'dns', /cannot resolve no-such-host\.invalid/],
    ];
    const results = await runChecks(
      cases.map(([c], i) => def({ ...c, id: `c${i}` })),
      opts(client),
    );
    results.forEach((r, i) => {
      expect(r.ok, r.message).toBe(false);
      expect(r.cause, `${cases[i]![0].url}: ${r.message}`).toBe(cases[i]![1]);
      expect(r.message).toMatch(cases[i]![2]);
    });
  });

  it('sends JSON bodies and custom headers; the Host header is the URL host', async () => {
    const r = await runCheck(
      def({
        url: `${base}/echo`,
        method: 'POST',
        body: { a: 1 },
        headers: { 'x-test': 'y' },
        expect: {
          assertions: [
            { path: '$.body', op: 'equals', value: '{"a":1}' },
            { path: '$.ct', op: 'equals', value: 'application/json' },
            { path: '$.method', op: 'equals', value: 'POST' },
          ],
        },
      }),
      opts(client),
    );
    expect(r.ok, r.message).toBe(true);
    expect((JSON.parse(r.excerpt) as { host: string }).host).toBe(new URL(base).host);
  });

  it('runs at most `concurrency` checks at once', async () => {
    let inFlight = 0;
    let peak = 0;
    routes['/count'] = (_q, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(200).end('{}');
      }, 30);
    };
    const checks = Array.from({ length: 20 }, (_, i) => def({ id: `n${i}`, url: `${base}/count` }));
    const results = await runChecks(checks, opts(client, { concurrency: 3 }));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(peak).toBe(3);
  });
});

describe.runIf(hasOpenssl)('TLS', () => {
  it('trusts a custom CA', async () => {
    const c = new HttpClient({ ca: readFileSync(ca.caPath) });
    const r = await runCheck(def({ url: `${tlsBase}/ok` }), opts(c));
    c.close();
    expect(r).toMatchObject({ ok: true, insecure: false });
  });
  it('an untrusted certificate is a failed check with cause tls', async () => {
    const c = new HttpClient();
    const r = await runCheck(def({ url: `${tlsBase}/ok` }), opts(c));
    c.close();
    expect(r).toMatchObject({ ok: false, cause: 'tls' });
    expect(r.message).toMatch(
      /TLS with 127\.0\.0\.1:\d+ failed: .*(self-signed|unable to verify|local issuer)/i,
    );
  });
  it('a name the certificate does not carry is a tls failure, even with the right CA', async () => {
    const c = new HttpClient({
      ca: readFileSync(ca.caPath),
      dial: async (_h, p) => ({ host: '127.0.0.1', port: p }),
    });
    const port = new URL(tlsBase).port;
    const r = await runCheck(def({ url: `https://stx-wrong-name.example:${port}/ok` }), opts(c));
    c.close();
    expect(r).toMatchObject({ ok: false, cause: 'tls' });
    expect(r.message).toMatch(/stx-wrong-name\.example/);
  });
  it('insecure only when asked, and recorded in the result', async () => {
    const c = new HttpClient({ insecure: true });
    const r = await runCheck(def({ url: `${tlsBase}/ok` }), opts(c, { insecure: true }));
    c.close();
    expect(r).toMatchObject({ ok: true, insecure: true });
  });
});

describe('joining catalog endpoints', () => {
  it('appends paths without repeating a version segment', () => {
    expect(joinEndpoint('http://h:6385/v1', '/v1/ihosts')).toBe('http://h:6385/v1/ihosts');
    expect(joinEndpoint('http://h:6385', '/v1/ihosts')).toBe('http://h:6385/v1/ihosts');
    expect(joinEndpoint('http://h:18002/', '/v1/alarms?include_suppress=True')).toBe(
      'http://h:18002/v1/alarms?include_suppress=True',
    );
    expect(joinEndpoint('http://h:5000', '/projects', 'identity')).toBe(
      'http://h:5000/v3/projects',
    );
    expect(joinEndpoint('http://h:5000/v3/', '/', 'identity')).toBe('http://h:5000/v3/');
    expect(joinEndpoint('http://h/identity', '/projects', 'identity')).toBe(
      'http://h/identity/v3/projects',
    );
  });
});
