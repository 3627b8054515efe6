// The browser host's guard: token in the URL once, then an HttpOnly cookie; nothing without it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import { createApp, type App } from '../app/create-app';
import { hostAllowed } from './auth';
import { startWebServer, type WebServer } from './server';

let app: App;
let web: WebServer;
const quiet = { info() {}, warn() {}, error() {} };

beforeAll(async () => {
  const staticDir = mkdtempSync(join(tmpdir(), 'stx-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><h1>Hosts</h1>');
  app = createApp({ dataDir: mkdtempSync(join(tmpdir(), 'stx-web-')), face: 'web', log: quiet });
  web = await startWebServer({ dispatcher: app.dispatcher, staticDir, port: 0 });
});
afterAll(async () => {
  await web.close();
  app.close();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: web.port,
        path,
        headers: { host: `127.0.0.1:${web.port}`, ...headers },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function upgrade(path: string, headers: Record<string, string> = {}): Promise<number | 'open'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${web.port}${path}`, { headers });
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => undefined);
  });
}

describe('browser host', () => {
  it('binds loopback and prints a URL with the token', () => {
    expect(web.loginUrl).toBe(`http://127.0.0.1:${web.port}/?token=${web.token}`);
    expect(web.token.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses requests without the token', async () => {
    const r = await get('/');
    expect(r.status).toBe(401);
    expect(r.body).toMatch(/token/);
    expect((await get('/?token=wrong')).status).toBe(401);
    expect((await get('/assets/app.js')).status).toBe(401);
  });

  it('moves the token into an HttpOnly cookie and out of the URL', async () => {
    const r = await get(`/?token=${web.token}&x=1`);
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/?x=1');
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await get('/', { cookie: cookie.split(';')[0] ?? '' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('Hosts');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const r = await get(`/?token=${web.token}`, { host: `attacker.example:${web.port}` });
    expect(r.status).toBe(421);
  });

  it('does not serve files outside the renderer folder', async () => {
    const r = await get(`/..%2f..%2fetc%2fpasswd?token=${web.token}`);
    expect([303, 404]).toContain(r.status);
    const cookie = `stx_lab_token=${web.token}`;
    expect((await get('/..%2f..%2fetc%2fpasswd', { cookie })).status).toBe(404);
    expect((await get('/%2e%2e/%2e%2e/etc/passwd', { cookie })).body).not.toContain('root:');
  });

  it('refuses WebSocket upgrades without the token or from another origin', async () => {
    expect(await upgrade('/ws')).toBe(401);
    expect(await upgrade('/ws', { cookie: 'stx_lab_token=nope' })).toBe(401);
    expect(await upgrade(`/ws?token=${web.token}`, { origin: 'https://evil.example' })).toBe(403);
    expect(await upgrade(`/ws?token=${web.token}`, { origin: 'null' })).toBe(403);
    expect(await upgrade(`/ws?token=${web.token}`, { origin: '::not a url::' })).toBe(403);
    expect(await upgrade(`/ws`, { cookie: `stx_lab_token=${web.token}` })).toBe('open');
    expect(
      await upgrade('/ws', {
        cookie: `stx_lab_token=${web.token}`,
        origin: `http://127.0.0.1:${web.port}`,
      }),
    ).toBe('open');
  });
});

describe('hostAllowed', () => {
  it.each([
    ['127.0.0.1:8417', '127.0.0.1', true],
    ['localhost:8417', '127.0.0.1', true],
    ['[::1]:8417', '::1', true],
    ['evil.example:8417', '127.0.0.1', false],
    ['127.0.0.1:9999', '127.0.0.1', false],
    ['anything:8417', '0.0.0.0', true],
  ])('%s on %s → %s', (header, bound, ok) => {
    expect(hostAllowed(header, bound, 8417)).toBe(ok);
  });
});
