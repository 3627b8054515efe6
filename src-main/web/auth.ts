// The browser host's access token (like Jupyter's): in the URL once, then an HttpOnly cookie.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'stx_lab_token';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function sameToken(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function cookieToken(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === TOKEN_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The token a request carries: the cookie, `?token=`, or `Authorization: Bearer` (scripts). */
export function presentedToken(req: IncomingMessage, url: URL): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  return url.searchParams.get('token') ?? bearer ?? cookieToken(req);
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/**
 * Defends against DNS rebinding: the Host header must name this server as bound.
 * A server bound to a wildcard address accepts any host name (the operator chose that).
 */
export function hostAllowed(
  hostHeader: string | undefined,
  boundHost: string,
  port: number,
): boolean {
  if (!hostHeader) return false;
  if (boundHost === '0.0.0.0' || boundHost === '::') return true;
  const allowed = new Set([boundHost, 'localhost', '127.0.0.1', '[::1]']);
  if (boundHost.includes(':')) allowed.add(`[${boundHost}]`);
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostHeader.toLowerCase());
  return m !== null && allowed.has(m[1] ?? '') && (m[2] === undefined || Number(m[2]) === port);
}
