// HTTP for API checks: node:http/https with a custom CA, `insecure` only when asked, a dialer
// that can send every connection through an SSH tunnel while the URL (Host header, TLS name
// check) stays the original, and every failure classified (dns, refused, timeout, tls …).
import {
  Agent as HttpAgent,
  request as httpRequest,
  type ClientRequestArgs,
  type IncomingHttpHeaders,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { connect as netConnect, isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { checkServerIdentity, connect as tlsConnect, type ConnectionOptions } from 'node:tls';

import type { CheckFailureCause } from '../../shared/models/checks';

/**
 * Where to really connect for an origin host:port: an address (identity when direct), or a
 * stream already open to it (an SSH direct-tcpip channel), which the agent then owns.
 */
export type Dialed = { host: string; port: number } | { stream: Duplex };
export type Dialer = (host: string, port: number) => Promise<Dialed>;

export interface HttpOptions {
  readonly ca?: string | Buffer;
  readonly insecure?: boolean;
  readonly dial?: Dialer;
  readonly maxSockets?: number;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly ms: number;
}

export class HttpFailure extends Error {
  constructor(
    readonly kind: CheckFailureCause,
    message: string,
  ) {
    super(message);
  }
}

type ConnCb = (err: Error | null, stream: Duplex) => void;

const MAX_BODY = 8 * 1024 * 1024;

/** A keep-alive client for one run (one pool of sockets, tunnelled or not). */
export class HttpClient {
  readonly #http: HttpAgent;
  readonly #https: HttpsAgent;
  readonly #dial: Dialer;

  constructor(private readonly o: HttpOptions = {}) {
    const dial: Dialer = o.dial ?? ((host, port) => Promise.resolve({ host, port }));
    this.#dial = dial;
    const maxSockets = o.maxSockets ?? 16;
    const connectVia = (
      opts: { host?: string | null; port?: number | string | null },
      secure: boolean,
      cb: ConnCb,
    ): void => {
      const origHost = String(opts.host ?? 'localhost').replace(/^\[|\]$/g, '');
      const origPort = Number(opts.port ?? (secure ? 443 : 80));
      dial(origHost, origPort).then(
        (to) => {
          const raw = 'stream' in to ? asSocket(to.stream) : undefined;
          const addr = 'stream' in to ? undefined : to;
          if (!secure) {
            if (!addr) return cb(null, raw!);
            const s = netConnect({ host: addr.host, port: addr.port, noDelay: true });
            s.once('connect', () => cb(null, s));
            s.once('error', (e: Error) => cb(e, s));
            return;
          }
          const tlsOpts: ConnectionOptions = {
            ...(opts as ConnectionOptions),
            ...(addr ? { host: addr.host, port: addr.port } : { socket: raw }),
            ...(isIP(origHost) ? {} : { servername: origHost }),
            checkServerIdentity: (_h, cert) => checkServerIdentity(origHost, cert),
          };
          const s = tlsConnect(tlsOpts);
          s.once('secureConnect', () => cb(null, s));
          s.once('error', (e: Error) => {
            raw?.destroy();
            cb(e, s);
          });
        },
        (e: unknown) => cb(e as Error, undefined as unknown as Duplex),
      );
    };
    class DialHttp extends HttpAgent {
      override createConnection(opts: ClientRequestArgs, cb?: ConnCb): undefined {
        if (cb) connectVia(opts, false, cb);
        return undefined;
      }
    }
    class DialHttps extends HttpsAgent {
      override createConnection(opts: ClientRequestArgs, cb?: ConnCb): undefined {
        if (cb) connectVia(opts, true, cb);
        return undefined;
      }
    }
    this.#http = new DialHttp({ keepAlive: true, maxSockets });
    this.#https = new DialHttps({
      keepAlive: true,
      maxSockets,
      ...(o.ca ? { ca: o.ca } : {}),
      rejectUnauthorized: !o.insecure,
    });
  }

  get dialer(): Dialer {
    return this.#dial;
  }

  request(
    url: URL,
    r: {
      method: string;
      headers?: Readonly<Record<string, string>>;
      body?: string | Buffer;
      timeoutMs: number;
      signal?: AbortSignal;
    },
  ): Promise<HttpResponse> {
    const secure = url.protocol === 'https:';
    if (!secure && url.protocol !== 'http:') {
      return Promise.reject(new HttpFailure('config', `unsupported URL scheme ${url.protocol}`));
    }
    const t0 = performance.now();
    return new Promise<HttpResponse>((resolve, reject) => {
      let done = false;
      const finish = (e: HttpFailure | undefined, v?: HttpResponse): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        r.signal?.removeEventListener('abort', onAbort);
        if (e) reject(e);
        else resolve(v!);
      };
      const req = (secure ? httpsRequest : httpRequest)(url, {
        method: r.method,
        agent: secure ? this.#https : this.#http,
        headers: {
          ...(r.body !== undefined ? { 'content-length': String(Buffer.byteLength(r.body)) } : {}),
          ...r.headers,
        },
        ...(secure
          ? { rejectUnauthorized: !this.o.insecure, ...(this.o.ca ? { ca: this.o.ca } : {}) }
          : {}),
      });
      const timer = setTimeout(() => {
        req.destroy();
        finish(new HttpFailure('timeout', `no answer within ${r.timeoutMs} ms`));
      }, r.timeoutMs);
      const onAbort = (): void => {
        req.destroy();
        finish(new HttpFailure('timeout', 'cancelled'));
      };
      r.signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (e) => finish(classify(e, url)));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= MAX_BODY) chunks.push(c);
        });
        res.on('error', (e) => finish(classify(e, url)));
        res.on('end', () =>
          finish(undefined, {
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            ms: performance.now() - t0,
          }),
        );
      });
      req.end(r.body);
    });
  }

  close(): void {
    this.#http.destroy();
    this.#https.destroy();
  }
}

type SocketLike = Duplex & {
  setKeepAlive?: unknown;
  setNoDelay?: unknown;
  setTimeout?: unknown;
  ref?: unknown;
  unref?: unknown;
  timeout?: number;
};

/**
 * Gives a bare stream (an SSH channel) what the HTTP agent expects of its sockets. Nagle and
 * keep-alive belong to the SSH connection's TCP socket (set there) and a channel holds no handle
 * to ref or unref. Like a net.Socket without allowHalfOpen, it ends its side when the other did
 * (a server closing an idle keep-alive connection), so the agent never reuses a half-closed
 * channel; setTimeout is an inactivity timer emitting 'timeout', which the agent uses to drop
 * free sockets before the server's Keep-Alive timeout.
 */
export function asSocket(stream: Duplex): Duplex {
  const s = stream as SocketLike;
  if (s.setTimeout) return s;
  const self = function (this: Duplex): Duplex {
    return this;
  };
  s.setKeepAlive = self;
  s.setNoDelay = self;
  s.ref = self;
  s.unref = self;
  let timer: NodeJS.Timeout | undefined;
  let ms = 0;
  const arm = (): void => {
    if (timer) clearTimeout(timer);
    timer = ms > 0 ? setTimeout(() => s.emit('timeout'), ms).unref() : undefined;
  };
  s.setTimeout = (t: number, cb?: () => void): Duplex => {
    ms = t;
    s.timeout = t;
    if (cb) s.once('timeout', cb);
    arm();
    return s;
  };
  s.on('data', () => timer && arm());
  s.once('end', () => s.end());
  s.once('close', () => timer && clearTimeout(timer));
  return s;
}

const TLS_CODES =
  /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS|ERR_SSL|DEPTH_ZERO|HOSTNAME|ALTNAME|EPROTO/;

/** A network error as a check cause with a one-line message naming the endpoint. */
export function classify(e: unknown, url: URL): HttpFailure {
  if (e instanceof HttpFailure) return e;
  const err = e as NodeJS.ErrnoException & { reason?: string };
  const code = err.code ?? '';
  const where = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new HttpFailure('dns', `cannot resolve ${url.hostname} (${code})`);
  if (code === 'ECONNREFUSED') return new HttpFailure('refused', `connection refused by ${where}`);
  if (code === 'ETIMEDOUT') return new HttpFailure('timeout', `connection to ${where} timed out`);
  if (TLS_CODES.test(code) || /certificate|ssl|tls/i.test(err.message)) {
    return new HttpFailure(
      'tls',
      `TLS with ${where} failed: ${err.message}${code ? ` (${code})` : ''}`,
    );
  }
  if (/forward|tunnel|channel/i.test(err.message))
    return new HttpFailure('tunnel', `tunnel to ${where}: ${err.message}`);
  if (
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'EHOSTUNREACH' ||
    code === 'ENETUNREACH'
  ) {
    return new HttpFailure('network', `${where}: ${err.message} (${code})`);
  }
  return new HttpFailure('network', `${where}: ${err.message}${code ? ` (${code})` : ''}`);
}
