// The browser host's guard: a token in the URL once, then an HttpOnly cookie; nothing without it.
import WebSocket from 'ws';

import { expect, test } from '../fixtures/app';
import { HostsPage } from '../pages/hosts.page';

/** Resolves with the HTTP status the server answered the upgrade with (101 when accepted). */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('unexpected-response', (req, res) => {
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    ws.on('error', reject);
  });
}

function wsUrl(baseUrl: string, token?: string): string {
  const url = new URL('/ws', baseUrl);
  url.protocol = 'ws:';
  if (token !== undefined) url.searchParams.set('token', token);
  return url.href;
}

function tokenOf(url: string): string {
  const token = new URL(url).searchParams.get('token');
  if (!token) throw new Error(`no token in ${url}`);
  return token;
}

test.describe('browser host security @web-only', () => {
  test('an HTTP request without the token gets 401', async ({ lab }) => {
    for (const path of ['/', '/index.html', '/favicon.svg']) {
      const res = await fetch(new URL(path, lab.baseUrl));
      expect(res.status, path).toBe(401);
    }
    const wrong = new URL(lab.baseUrl);
    wrong.searchParams.set('token', 'not-the-token');
    expect((await fetch(wrong, { redirect: 'manual' })).status).toBe(401);
  });

  test('a WebSocket upgrade without the token is refused', async ({ lab }) => {
    expect(await upgradeStatus(wsUrl(lab.baseUrl))).toBe(401);
    expect(await upgradeStatus(wsUrl(lab.baseUrl, 'not-the-token'))).toBe(401);
    // The same upgrade with the token goes through: the refusal above is the token's doing.
    expect(await upgradeStatus(wsUrl(lab.baseUrl, tokenOf(lab.url)))).toBe(101);
  });

  test('the token in the URL becomes an HttpOnly cookie and leaves the address bar', async ({
    lab,
  }) => {
    const token = tokenOf(lab.url);
    const res = await fetch(lab.url, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).not.toContain(token);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toContain(token);
    expect(cookie).toMatch(/;\s*HttpOnly/i);

    const hosts = new HostsPage(lab);
    await hosts.open();
    expect(new URL(hosts.page.url()).searchParams.has('token')).toBe(false);
    const cookies = await hosts.page.context().cookies();
    const stored = cookies.find((c) => c.value === token);
    expect(stored?.httpOnly).toBe(true);
    expect(await hosts.page.evaluate(() => document.cookie)).not.toContain(token);
  });
});
