// `via: host`: every connection the HTTP client opens to an API host:port is one SSH
// direct-tcpip channel to that host:port (as seen from the SSH host) on the pooled connection,
// handed straight to the HTTP agent: no local listener, no loopback hop. The keep-alive agent
// reuses the channels (at most the run's concurrency per origin); OpenSSH's MaxSessions does
// not count direct-tcpip channels. The URL stays the original (Host header, TLS name).
// The local-listener forward (ssh/forward.ts) stays for features that need a port.
import type { ClientChannel } from 'ssh2';

import { AppError } from '../../shared/errors';
import type { SshPool } from '../ssh/pool';
import type { SshTarget } from '../ssh/types';
import type { Dialer } from './http';

/** What the `tunnel` event names as the local end: there is no local port. */
export const CHANNEL_LOCAL = 'ssh direct-tcpip';

export class TunnelSet {
  readonly #opened = new Set<string>();
  readonly #channels = new Set<ClientChannel>();
  readonly errors: string[] = [];
  #closed = false;
  #dialed = 0;

  constructor(
    private readonly pool: SshPool,
    private readonly target: SshTarget,
    private readonly onOpen?: (remote: string, local: string) => void,
  ) {}

  /** Opens one channel to host:port through the target; the HTTP agent owns it from here. */
  readonly dial: Dialer = async (host, port) => {
    if (this.#closed) throw new AppError('cancelled', 'the tunnel set is closed');
    const key = `${host}:${port}`;
    let lease;
    try {
      lease = await this.pool.channel(
        this.target,
        (conn) =>
          new Promise<ClientChannel>((resolve, reject) =>
            conn.client.forwardOut('127.0.0.1', 0, host, port, (err, ch) =>
              err ? reject(err) : resolve(ch),
            ),
          ),
        { session: false },
      );
    } catch (e) {
      const msg =
        e instanceof AppError
          ? e.message
          : `tunnel to ${key} via ${this.target.name} failed: ${(e as Error).message}`;
      this.errors.push(msg);
      throw e instanceof AppError ? e : new Error(msg);
    }
    const ch = lease.value;
    if (this.#closed) {
      lease.release();
      ch.destroy();
      throw new AppError('cancelled', 'the tunnel set is closed');
    }
    this.#channels.add(ch);
    this.#dialed++;
    ch.once('close', () => {
      this.#channels.delete(ch);
      lease.release();
    });
    if (!this.#opened.has(key)) {
      this.#opened.add(key);
      this.onOpen?.(key, CHANNEL_LOCAL);
    }
    return { stream: ch };
  };

  /** Channels opened so far, and still open (the keep-alive agent reuses them). */
  get channels(): { opened: number; open: number } {
    return { opened: this.#dialed, open: this.#channels.size };
  }

  /** Closes every channel still open (the HTTP client normally closed them already). */
  close(): Promise<void> {
    this.#closed = true;
    for (const ch of [...this.#channels]) ch.destroy();
    this.#channels.clear();
    return Promise.resolve();
  }
}
