// One SSH connection (ssh2 Client) to a target, through its ProxyJump chain. Host keys are
// checked through the HostKeyVerifier for every hop before any credential leaves this process;
// Nagle is off on the TCP socket; keepalive is on.
import { connect as netConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

import ssh2, { type AnyAuthMethod, type ClientChannel, type ConnectConfig } from 'ssh2';

// ssh2 is CommonJS: take its exports from the default import so Node's ESM loader finds them.
const { Client } = ssh2;
type Client = InstanceType<typeof Client>;

import { AppError } from '../../shared/errors';
import { authPlan } from './connection-auth';
import type {
  CredentialPrompter,
  HostKeyCheck,
  HostKeyVerifier,
  SshTarget,
  UnknownKeyDecision,
} from './types';

export interface ConnectOptions {
  readonly hostVerifier: HostKeyVerifier;
  readonly decideUnknown: UnknownKeyDecision;
  readonly prompter?: CredentialPrompter;
  /** Agent socket when the target's auth names none (default: SSH_AUTH_SOCK). */
  readonly agentSocket?: string;
  /** TCP connect timeout for the first hop (default 10 s). */
  readonly connectTimeoutMs?: number;
  /** Handshake + auth per hop, prompts included (default 60 s). */
  readonly readyTimeoutMs?: number;
  readonly keepaliveCountMax?: number;
  /** Host-key events worth an audit entry (accepted unknown key, refusals). */
  readonly onHostKey?: (target: SshTarget, check: HostKeyCheck, accepted: boolean) => void;
}

export interface SshConnection {
  readonly target: SshTarget;
  readonly client: Client;
  /** Set once the connection has ended, with the reason. */
  readonly lost: AppError | undefined;
  onLost(listener: (reason: AppError) => void): () => void;
  close(): void;
}

export const DEFAULT_KEEPALIVE_MS = 15_000;

const where = (t: SshTarget): string => `${t.user}@${t.host}:${t.port}`;

function cancelled(signal: AbortSignal): AppError {
  const r: unknown = signal.reason;
  return r instanceof AppError ? r : new AppError('cancelled', 'connect cancelled');
}

function dialTcp(target: SshTarget, timeoutMs: number, signal?: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = netConnect({ host: target.host, port: target.port });
    const fail = (err: AppError): void => {
      cleanup();
      sock.destroy();
      reject(err);
    };
    const onAbort = (): void => fail(cancelled(signal!));
    const timer = setTimeout(
      () =>
        fail(
          new AppError('unavailable', `${target.host}:${target.port} is unreachable (ETIMEDOUT)`, {
            host: target.name,
            address: `${target.host}:${target.port}`,
            cause: 'ETIMEDOUT',
          }),
        ),
      timeoutMs,
    );
    const cleanup = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    sock.once('error', (err: NodeJS.ErrnoException) =>
      fail(
        new AppError(
          'unavailable',
          `${target.host}:${target.port} is unreachable (${err.code ?? err.message})`,
          {
            host: target.name,
            address: `${target.host}:${target.port}`,
            cause: err.code ?? err.message,
          },
        ),
      ),
    );
    sock.once('connect', () => {
      cleanup();
      sock.removeAllListeners('error');
      sock.setNoDelay(true);
      resolve(sock);
    });
  });
}

function forwardThrough(
  via: Client,
  viaTarget: SshTarget,
  target: SshTarget,
): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    via.forwardOut('127.0.0.1', 0, target.host, target.port, (err, stream) => {
      if (err) {
        reject(
          new AppError(
            'unavailable',
            `${target.host}:${target.port} is unreachable through ${viaTarget.name} (${err.message})`,
            {
              host: target.name,
              address: `${target.host}:${target.port}`,
              via: viaTarget.name,
              cause: err.message,
            },
          ),
        );
      } else resolve(stream);
    });
  });
}

function refusal(target: SshTarget, check: HostKeyCheck): AppError {
  const detail = {
    host: target.name,
    address: `${target.host}:${target.port}`,
    keyType: check.keyType,
    fingerprint: check.fingerprint,
    ...(check.match
      ? {
          knownFingerprint: check.match.fingerprint,
          file: check.match.file,
          line: check.match.line,
        }
      : {}),
  };
  if (check.status === 'unknown') {
    return new AppError(
      'forbidden',
      `host key for ${target.name} (${target.host}:${target.port}) is not known and was not accepted: ${check.keyType} ${check.fingerprint}`,
      { ...detail, status: 'unknown' },
    );
  }
  const at = check.match ? `${check.match.file}:${check.match.line}` : 'known_hosts';
  const what = check.status === 'revoked' ? 'is REVOKED' : 'has CHANGED';
  const was = check.match ? `; known_hosts has ${check.match.fingerprint} (${at})` : ` (${at})`;
  return new AppError(
    'forbidden',
    `host key for ${target.name} (${target.host}:${target.port}) ${what}: server offered ${check.keyType} ${check.fingerprint}${was}. Refusing to connect; re-key the host if it was reimaged.`,
    { ...detail, status: check.status },
  );
}

function handshake(
  target: SshTarget,
  sock: Duplex,
  options: ConnectOptions,
  signal: AbortSignal | undefined,
): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    const tried: string[] = [];
    const nextAuth = authPlan(target, options, tried);
    let failure: AppError | undefined;
    let settled = false;
    const done = (err?: AppError): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (err) {
        client.removeAllListeners('ready');
        client.end();
        sock.destroy();
        reject(err);
      } else resolve(client);
    };
    const onAbort = (): void => done(cancelled(signal!));
    signal?.addEventListener('abort', onAbort, { once: true });

    const config: ConnectConfig = {
      sock,
      username: target.user,
      readyTimeout: options.readyTimeoutMs ?? 60_000,
      keepaliveInterval: target.keepaliveIntervalMs ?? DEFAULT_KEEPALIVE_MS,
      keepaliveCountMax: options.keepaliveCountMax ?? 3,
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        let check: HostKeyCheck;
        try {
          check = options.hostVerifier.check(target.host, target.port, key);
        } catch (err) {
          failure =
            err instanceof AppError
              ? err
              : new AppError('internal', String(err), { host: target.name });
          return verify(false);
        }
        if (check.status === 'known') return verify(true);
        if (check.status !== 'unknown') {
          failure = refusal(target, check);
          options.onHostKey?.(target, check, false);
          return verify(false);
        }
        options.decideUnknown(target, check, key).then(
          (yes) => {
            options.onHostKey?.(target, check, yes);
            if (!yes) failure = refusal(target, check);
            verify(yes);
          },
          (err: unknown) => {
            failure = err instanceof AppError ? err : refusal(target, check);
            verify(false);
          },
        );
      },
      authHandler: (left, _partial, next) => {
        // ssh2 takes `false` for "no more methods"; its typings omit it.
        const give = next as unknown as (m: AnyAuthMethod | false) => void;
        nextAuth(left).then(give, (err: unknown) => {
          failure = err instanceof AppError ? err : new AppError('internal', String(err));
          give(false);
        });
      },
    };
    client.once('ready', () => done());
    client.once('error', (err: Error & { level?: string }) => {
      if (failure) return done(failure);
      if (err.level === 'client-authentication') {
        const methods = tried.length
          ? tried.join(', ')
          : 'none offered by the server that we can use';
        return done(
          new AppError(
            'forbidden',
            `authentication failed for ${where(target)} (tried: ${methods})`,
            {
              host: target.name,
              user: target.user,
              tried,
            },
          ),
        );
      }
      const kind =
        err.level === 'client-timeout' ? 'timed out during the SSH handshake' : err.message;
      done(
        new AppError('unavailable', `cannot connect to ${where(target)}: ${kind}`, {
          host: target.name,
          cause: err.message,
        }),
      );
    });
    client.once('close', () =>
      done(
        failure ??
          new AppError(
            'unavailable',
            `${where(target)} closed the connection during the handshake`,
            { host: target.name },
          ),
      ),
    );
    client.connect(config);
  });
}

class Connection implements SshConnection {
  lost: AppError | undefined;
  private readonly listeners = new Set<(reason: AppError) => void>();

  constructor(
    readonly target: SshTarget,
    readonly client: Client,
    private readonly hops: readonly Client[],
  ) {
    let cause = 'connection closed';
    client.on('error', (err: Error) => (cause = err.message));
    // A jump hop that dies takes the tunnel, and so this connection, with it.
    for (const h of hops) {
      h.on('error', (err: Error) => (cause = `jump host: ${err.message}`));
      h.once('close', () => client.end());
    }
    client.once('close', () => {
      this.lost ??= new AppError('unavailable', `connection to ${where(target)} lost: ${cause}`, {
        host: target.name,
        cause,
      });
      for (const h of this.hops) h.end();
      for (const l of [...this.listeners]) l(this.lost);
      this.listeners.clear();
    });
  }

  onLost(listener: (reason: AppError) => void): () => void {
    if (this.lost) {
      listener(this.lost);
      return () => {};
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.lost ??= new AppError('cancelled', `connection to ${where(this.target)} closed`, {
      host: this.target.name,
    });
    this.client.end();
    for (const h of this.hops) h.end();
  }
}

/** Opens a connection to `target` through its ProxyJump chain, verifying every hop's key. */
export async function connect(
  target: SshTarget,
  options: ConnectOptions,
  signal?: AbortSignal,
): Promise<SshConnection> {
  if (signal?.aborted) throw cancelled(signal);
  const chain = [...target.jump, target];
  const clients: Client[] = [];
  try {
    let sock: Duplex | undefined;
    for (const [i, hop] of chain.entries()) {
      sock =
        i === 0
          ? await dialTcp(hop, options.connectTimeoutMs ?? 10_000, signal)
          : await forwardThrough(clients[i - 1]!, chain[i - 1]!, hop);
      clients.push(await handshake(hop, sock, options, signal));
    }
  } catch (err) {
    for (const c of clients.reverse()) c.end();
    throw err;
  }
  const client = clients.pop()!;
  return new Connection(target, client, clients.reverse());
}
