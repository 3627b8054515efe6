// The connection pool: one connection per target, reused; a channel budget per connection
// (OpenSSH MaxSessions, 10 by default) with sibling connections when a server refuses a channel;
// reconnect with backoff after a pooled connection was lost; idle close; dispose().
import { AppError } from '../../shared/errors';
import type { AuditEntry } from '../store/audit';
import { type RetryOptions, retryWithBackoff } from './backoff';
import { connect, type ConnectOptions, type SshConnection } from './connection';
import type { SshTarget } from './types';

export interface PoolOptions extends ConnectOptions {
  /** Where audit entries go (AuditLog.record in the app). */
  readonly audit?: (entry: AuditEntry) => void;
  /** Who the audit entries name as actor (default 'user'). */
  readonly actor?: string;
  /** Close a connection this long after its last channel closed (default 5 min). */
  readonly idleMs?: number;
  /** Session channels assumed per connection before a sibling opens (default 10). */
  readonly channelsPerConnection?: number;
  /** Most connections to one target (default 8). */
  readonly maxConnectionsPerTarget?: number;
  /** Backoff for reconnecting a target whose pooled connection was lost. */
  readonly reconnect?: RetryOptions;
  /** Test seam. */
  readonly connectFn?: typeof connect;
}

export interface ChannelLease<T> {
  readonly value: T;
  readonly connection: SshConnection;
  /** Gives the channel slot back; idempotent. */
  release(): void;
}

export interface ChannelOptions {
  readonly signal?: AbortSignal;
  /** false for direct-tcpip forwards, which MaxSessions does not count (default true). */
  readonly session?: boolean;
}

interface Entry {
  readonly group: Group;
  readonly ready: Promise<SshConnection>;
  conn: SshConnection | undefined;
  /** Session slots taken (opening or open). */
  active: number;
  /** Session channels actually open. */
  open: number;
  /** Non-session holds (forwards): keep the connection from idling out. */
  holds: number;
  limit: number;
  dead: boolean;
  idleTimer: NodeJS.Timeout | undefined;
}

interface Group {
  readonly entries: Entry[];
  everConnected: boolean;
  /** Channels per connection this server allows, once a refusal taught us. */
  learnedLimit: number | undefined;
}

/** True for the server's refusal to open another channel (MaxSessions: "open failed"). */
export function isChannelRefused(err: unknown): boolean {
  const e = err as { reason?: unknown; message?: unknown } | null;
  if (!e || typeof e.message !== 'string') return false;
  return (
    /Channel open failure/i.test(e.message) && (e.reason === 1 || /open failed/i.test(e.message))
  );
}

function poolKey(t: SshTarget): string {
  const hop = (h: SshTarget): string =>
    `${h.user}@${h.host}:${h.port}/${h.auth.kind}${h.auth.kind === 'key' ? `:${h.auth.keyPath}` : ''}`;
  return [...t.jump, t].map(hop).join(' > ');
}

function raceAbort<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new AppError('cancelled', 'cancelled'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new AppError('cancelled', 'cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
      (e: unknown) => (signal.removeEventListener('abort', onAbort), reject(e as Error)),
    );
  });
}

export class SshPool {
  private readonly groups = new Map<string, Group>();
  private disposed = false;
  readonly audit: (entry: AuditEntry) => void;
  readonly actor: string;

  constructor(private readonly options: PoolOptions) {
    this.audit = options.audit ?? (() => {});
    this.actor = options.actor ?? 'user';
  }

  /**
   * Opens one channel on a pooled connection to `target` with `open`. When the server refuses
   * the channel (MaxSessions), the connection's budget shrinks and a sibling is used instead.
   */
  async channel<T>(
    target: SshTarget,
    open: (conn: SshConnection) => Promise<T>,
    options: ChannelOptions = {},
  ): Promise<ChannelLease<T>> {
    const session = options.session ?? true;
    for (let attempt = 0; ; attempt++) {
      if (this.disposed) throw new AppError('unavailable', 'the SSH pool is shut down');
      const group = this.group(target);
      const entry = this.pick(target, group, session);
      let conn: SshConnection;
      try {
        conn = await raceAbort(entry.ready, options.signal);
      } catch (err) {
        this.unslot(entry, session);
        throw err;
      }
      try {
        const value = await open(conn);
        if (session) entry.open++;
        return this.lease(entry, conn, value, session);
      } catch (err) {
        const refused = session && isChannelRefused(err);
        if (refused) {
          // The server holds at most the other channels in flight on this connection; each
          // further refusal lowers the bound until it equals the channels that did open.
          entry.limit = Math.max(1, Math.min(entry.limit, entry.active - 1));
          group.learnedLimit = Math.min(group.learnedLimit ?? entry.limit, entry.limit);
        }
        this.unslot(entry, session);
        const retryable = attempt < 40 && !options.signal?.aborted;
        if (retryable && refused) continue;
        if (retryable && conn.lost && attempt < 2) continue; // dropped before the channel opened
        throw err;
      }
    }
  }

  /** Connections and open session channels per connection, for the UI's channel budget. */
  stats(target: SshTarget): { connections: number; channels: number[]; limits: number[] } {
    const entries = this.groups.get(poolKey(target))?.entries ?? [];
    return {
      connections: entries.length,
      channels: entries.map((e) => e.open),
      limits: entries.map((e) => e.limit),
    };
  }

  /** Closes every connection; later calls fail with 'unavailable'. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const all = [...this.groups.values()].flatMap((g) => g.entries.splice(0));
    this.groups.clear();
    await Promise.all(
      all.map(async (e) => {
        if (e.idleTimer) clearTimeout(e.idleTimer);
        e.dead = true;
        try {
          (await e.ready).close();
        } catch {
          // never connected
        }
      }),
    );
  }

  private group(target: SshTarget): Group {
    const key = poolKey(target);
    let g = this.groups.get(key);
    if (!g) {
      g = { entries: [], everConnected: false, learnedLimit: undefined };
      this.groups.set(key, g);
    }
    return g;
  }

  /** Takes a slot on a live connection with room, or starts a sibling. */
  private pick(target: SshTarget, group: Group, session: boolean): Entry {
    const live = group.entries.filter((e) => !e.dead);
    const max = this.options.maxConnectionsPerTarget ?? 8;
    let entry = session ? live.find((e) => e.active < e.limit) : live[0];
    if (!entry && live.length >= max) {
      // At the cap: queue on the least busy connection; a refusal brings us back here.
      entry = live.reduce((a, b) => (b.active < a.active ? b : a));
    }
    entry ??= this.start(target, group);
    if (session) entry.active++;
    else entry.holds++;
    if (entry.idleTimer) {
      clearTimeout(entry.idleTimer);
      entry.idleTimer = undefined;
    }
    return entry;
  }

  private start(target: SshTarget, group: Group): Entry {
    const connectFn = this.options.connectFn ?? connect;
    const options: ConnectOptions = {
      ...this.options,
      onHostKey: (hop, check, accepted) => {
        this.options.onHostKey?.(hop, check, accepted);
        this.audit({
          actor: this.actor,
          action: accepted ? 'ssh.hostkey.accept' : 'ssh.hostkey.refuse',
          target: hop.name,
          detail: {
            host: `${hop.host}:${hop.port}`,
            status: check.status,
            keyType: check.keyType,
            fingerprint: check.fingerprint,
            ...(check.match
              ? {
                  knownFingerprint: check.match.fingerprint,
                  file: check.match.file,
                  line: check.match.line,
                }
              : {}),
          },
        });
      },
    };
    const reconnecting = group.everConnected;
    const attempt = (): Promise<SshConnection> => connectFn(target, options);
    const ready = reconnecting
      ? retryWithBackoff(attempt, {
          initialMs: 200,
          maxMs: 5000,
          maxAttempts: 6,
          ...this.options.reconnect,
          shouldRetry: (e) => e instanceof AppError && e.code === 'unavailable',
        })
      : attempt();
    const entry: Entry = {
      group,
      ready,
      conn: undefined,
      active: 0,
      open: 0,
      holds: 0,
      limit: group.learnedLimit ?? this.options.channelsPerConnection ?? 10,
      dead: false,
      idleTimer: undefined,
    };
    group.entries.push(entry);
    ready.then(
      (conn) => {
        group.everConnected = true;
        entry.conn = conn;
        if (entry.dead) return conn.close();
        conn.onLost(() => this.drop(group, entry));
      },
      () => this.drop(group, entry),
    );
    return entry;
  }

  private drop(group: Group, entry: Entry): void {
    entry.dead = true;
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    const i = group.entries.indexOf(entry);
    if (i >= 0) group.entries.splice(i, 1);
  }

  private unslot(entry: Entry, session: boolean): void {
    if (session) entry.active = Math.max(0, entry.active - 1);
    else entry.holds = Math.max(0, entry.holds - 1);
    if (entry.active === 0 && entry.holds === 0 && !entry.dead) {
      // A refusal can also be a race with a channel the server had not freed yet: start over
      // from what the server taught us, not from a count that only ever shrinks.
      entry.limit = entry.group.learnedLimit ?? this.options.channelsPerConnection ?? 10;
      const idleMs = this.options.idleMs ?? 300_000;
      entry.idleTimer = setTimeout(() => {
        entry.dead = true;
        entry.conn?.close();
      }, idleMs);
      entry.idleTimer.unref();
    }
  }

  private lease<T>(entry: Entry, conn: SshConnection, value: T, session: boolean): ChannelLease<T> {
    let released = false;
    return {
      value,
      connection: conn,
      release: () => {
        if (released) return;
        released = true;
        if (session) entry.open = Math.max(0, entry.open - 1);
        this.unslot(entry, session);
      },
    };
  }
}
