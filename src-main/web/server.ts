// The browser-host face: the built renderer over HTTP plus one WebSocket speaking the contract.
// Loopback by default; every request and upgrade must carry the token (URL once, then cookie).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

import { WebSocketServer, type RawData, type WebSocket } from 'ws';

import type { Dispatcher } from '../app/dispatcher';
import type { ContractShape } from '../shared/contract-kit';
import { MAX_FRAME_BYTES, WS_PATH } from '../shared/protocol';
import { hostAllowed, newToken, presentedToken, sameToken, tokenCookie } from './auth';
import { securityHeaders, serveStatic } from './static-files';

export interface WebServerOptions {
  readonly dispatcher: Pick<Dispatcher<ContractShape>, 'connect'>;
  /** Folder of the built renderer (`out/renderer`). */
  readonly staticDir: string;
  readonly host?: string;
  readonly port?: number;
  readonly token?: string;
}

export interface WebServer {
  readonly url: string;
  /** The URL with the token, the one line printed for the user. */
  readonly loginUrl: string;
  readonly token: string;
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
}

const UNAUTHORIZED =
  '401 Unauthorized: open the URL that `stx-lab web` printed (it carries the access token).\n';

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** Text of a ws message, whichever buffer shape ws hands over. */
export function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

/** The host:port of an Origin header; undefined for `null` or anything unparsable. */
function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host || undefined;
  } catch {
    return undefined;
  }
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? newToken();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  let port = options.port ?? 0;

  function parse(req: IncomingMessage): URL {
    return new URL(req.url ?? '/', 'http://local');
  }

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    securityHeaders(res);
    const url = parse(req);
    if (!hostAllowed(req.headers.host, host, port)) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('421 Misdirected Request\n');
      return;
    }
    if (!sameToken(presentedToken(req, url), token)) {
      res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' }).end(UNAUTHORIZED);
      return;
    }
    if (url.searchParams.has('token')) {
      // Move the token into an HttpOnly cookie and out of the address bar and history.
      url.searchParams.delete('token');
      res.writeHead(303, {
        'Set-Cookie': tokenCookie(token),
        Location: url.pathname + url.search,
      });
      res.end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    serveStatic(options.staticDir, url.pathname, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
    });
  }

  function refuse(socket: Duplex, status: string): void {
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = parse(req);
    if (url.pathname !== WS_PATH) return refuse(socket, '404 Not Found');
    if (!hostAllowed(req.headers.host, host, port))
      return refuse(socket, '421 Misdirected Request');
    if (!sameToken(presentedToken(req, url), token)) return refuse(socket, '401 Unauthorized');
    // Browsers always send Origin; a page from another origin must not ride on the cookie.
    const origin = req.headers.origin;
    if (origin !== undefined && originHost(origin) !== req.headers.host) {
      return refuse(socket, '403 Forbidden');
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, req));
  }

  function attach(ws: WebSocket, req: IncomingMessage): void {
    const peer = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    const session = options.dispatcher.connect(
      (frame) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
      },
      { face: 'web', peer },
    );
    ws.on('message', (data, isBinary) => {
      session.receive(isBinary ? null : rawText(data));
    });
    ws.on('close', () => session.close());
    ws.on('error', () => session.close());
  }

  const server = createServer(onRequest);
  server.on('upgrade', onUpgrade);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://${urlHost(host)}:${port}/`;
  return {
    url,
    loginUrl: `${url}?token=${token}`,
    token,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
