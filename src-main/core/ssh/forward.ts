// Local port forwards as a service: listen on 127.0.0.1 (port 0 = any free port) and carry each
// accepted connection to remoteHost:remotePort over a pooled connection (direct-tcpip), which
// OpenSSH's MaxSessions does not count. Other features (API checks, BMC) use `port`.
import { createServer, type Server, type Socket } from 'node:net';

import type { ClientChannel } from 'ssh2';

import { AppError } from '../../shared/errors';
import type { SshPool } from './pool';
import type { SshTarget } from './types';

export interface LocalForwardOptions {
  /** Host and port as seen from the SSH server (e.g. 127.0.0.1:5000 on the remote side). */
  readonly remoteHost: string;
  readonly remotePort: number;
  /** Local port on 127.0.0.1; 0 (default) picks a free one. */
  readonly localPort?: number;
  /** Aborting closes the forward. */
  readonly signal?: AbortSignal;
  /** A connection through the forward failed (it is closed; the forward keeps serving). */
  readonly onError?: (err: AppError) => void;
}

export interface LocalForward {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** Live connections through the forward. */
  readonly connections: number;
  /** Stops listening and closes every connection through it. */
  close(): Promise<void>;
}

export async function startLocalForward(
  pool: SshPool,
  target: SshTarget,
  options: LocalForwardOptions,
): Promise<LocalForward> {
  if (options.signal?.aborted) throw new AppError('cancelled', 'forward cancelled');
  const sockets = new Set<Socket>();
  const server: Server = createServer((sock) => {
    sockets.add(sock);
    sock.setNoDelay(true);
    sock.pause();
    sock.once('close', () => sockets.delete(sock));
    sock.on('error', () => sock.destroy());
    const src = { port: sock.remotePort ?? 0 };
    pool
      .channel(
        target,
        (conn) =>
          new Promise<ClientChannel>((resolve, reject) =>
            conn.client.forwardOut(
              '127.0.0.1',
              src.port,
              options.remoteHost,
              options.remotePort,
              (err, ch) => (err ? reject(err) : resolve(ch)),
            ),
          ),
        { session: false },
      )
      .then(
        (lease) => {
          const ch = lease.value;
          const end = (): void => {
            lease.release();
            sock.destroy();
            ch.destroy();
          };
          ch.once('close', end);
          sock.once('close', end);
          ch.on('error', end);
          if (sock.destroyed) return end();
          sock.pipe(ch).pipe(sock);
          sock.resume();
        },
        (err: unknown) => {
          sock.destroy();
          options.onError?.(
            err instanceof AppError
              ? err
              : new AppError(
                  'unavailable',
                  `forward to ${options.remoteHost}:${options.remotePort} via ${target.name} failed: ${String((err as Error).message ?? err)}`,
                  {
                    host: target.name,
                    remote: `${options.remoteHost}:${options.remotePort}`,
                  },
                ),
          );
        },
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new AppError(
          'unavailable',
          `cannot listen on 127.0.0.1:${options.localPort ?? 0}: ${err.code ?? err.message}`,
          { cause: err.code },
        ),
      ),
    );
    server.listen(options.localPort ?? 0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= new Promise<void>((resolve) => {
      options.signal?.removeEventListener('abort', onAbort);
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }));
  const onAbort = (): void => void close();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  return {
    host: '127.0.0.1',
    port,
    get connections() {
      return sockets.size;
    },
    close,
  };
}
