// The pool's bookkeeping with fake connections: reuse, sibling connections on refusal, idle
// close, reconnect with backoff after a loss, dispose.
import type { Client } from 'ssh2';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { AppError } from '../../shared/errors';
import type { SshConnection } from './connection';
import { isChannelRefused, SshPool } from './pool';
import type { SshTarget } from './types';

const target: SshTarget = {
  name: 't',
  host: '10.0.0.1',
  port: 22,
  user: 'u',
  auth: { kind: 'agent' },
  jump: [],
};

class FakeConn implements SshConnection {
  lost: AppError | undefined;
  open = 0;
  closed = false;
  readonly client = {} as Client;
  private readonly listeners = new Set<(r: AppError) => void>();
  constructor(
    readonly target: SshTarget,
    readonly id: number,
  ) {}
  onLost(l: (r: AppError) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  drop(): void {
    this.lost = new AppError('unavailable', 'lost');
    for (const l of this.listeners) l(this.lost);
  }
  close(): void {
    this.closed = true;
    this.drop();
  }
}

function refusal(): Error {
  return Object.assign(new Error('(SSH) Channel open failure: open failed'), { reason: 1 });
}

function setup(opts: { maxSessions?: number; failConnects?: number; idleMs?: number } = {}) {
  const conns: FakeConn[] = [];
  let failures = opts.failConnects ?? 0;
  const connectFn = vi.fn(async (t: SshTarget) => {
    if (failures > 0) {
      failures--;
      throw new AppError('unavailable', 'ECONNREFUSED');
    }
    const c = new FakeConn(t, conns.length);
    conns.push(c);
    return c;
  });
  const pool = new SshPool({
    hostVerifier: {
      check: () => ({ status: 'known', keyType: 'ssh-ed25519', fingerprint: 'SHA256:x' }),
    },
    decideUnknown: async () => false,
    connectFn,
    idleMs: opts.idleMs ?? 60_000,
    reconnect: { initialMs: 1, maxMs: 2, maxAttempts: 10 },
  });
  const open = async (conn: SshConnection): Promise<FakeConn> => {
    const c = conn as FakeConn;
    await Promise.resolve();
    if (c.open >= (opts.maxSessions ?? 10)) throw refusal();
    c.open++;
    return c;
  };
  return { pool, conns, connectFn, open };
}

let pools: SshPool[] = [];
afterEach(async () => {
  await Promise.all(pools.map((p) => p.dispose()));
  pools = [];
});

describe('SshPool', () => {
  it('recognises the MaxSessions refusal', () => {
    expect(isChannelRefused(refusal())).toBe(true);
    expect(isChannelRefused(new Error('Unable to exec'))).toBe(false);
  });

  it('reuses one connection while the budget allows', async () => {
    const { pool, conns, open } = setup();
    pools.push(pool);
    const a = await pool.channel(target, open);
    const b = await pool.channel(target, open);
    expect(a.connection).toBe(b.connection);
    expect(conns).toHaveLength(1);
    a.release();
    a.release(); // idempotent
    expect(pool.stats(target).channels).toEqual([1]);
  });

  it('opens siblings when the server refuses channels, and learns the limit', async () => {
    const { pool, conns, open } = setup({ maxSessions: 3 });
    pools.push(pool);
    const leases = await Promise.all(Array.from({ length: 10 }, () => pool.channel(target, open)));
    expect(conns.map((c) => c.open)).toEqual([3, 3, 3, 1]);
    expect(pool.stats(target).limits.every((l) => l === 3)).toBe(true);
    for (const l of leases) l.release();
  });

  it('assumes 10 channels per connection before any refusal', async () => {
    const { pool, conns, open } = setup();
    pools.push(pool);
    await Promise.all(Array.from({ length: 20 }, () => pool.channel(target, open)));
    expect(conns.map((c) => c.open)).toEqual([10, 10]);
  });

  it('closes a connection after it has been idle', async () => {
    vi.useFakeTimers();
    try {
      const { pool, conns, open } = setup({ idleMs: 1000 });
      pools.push(pool);
      const l = await pool.channel(target, open);
      l.release();
      vi.advanceTimersByTime(999);
      expect(conns[0]!.closed).toBe(false);
      vi.advanceTimersByTime(2);
      expect(conns[0]!.closed).toBe(true);
      expect(pool.stats(target).connections).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reconnects with backoff after a pooled connection was lost', async () => {
    const { pool, conns, connectFn, open } = setup();
    pools.push(pool);
    (await pool.channel(target, open)).release();
    conns[0]!.drop();
    // the host refuses twice more, then comes back
    connectFn.mockImplementationOnce(async () =>
      Promise.reject(new AppError('unavailable', 'ECONNREFUSED')),
    );
    connectFn.mockImplementationOnce(async () =>
      Promise.reject(new AppError('unavailable', 'ECONNREFUSED')),
    );
    const l = await pool.channel(target, open);
    expect(l.connection).toBe(conns[1]);
    expect(connectFn).toHaveBeenCalledTimes(4);
  });

  it('does not retry a first connect, nor auth or host-key failures', async () => {
    const { pool, connectFn, open } = setup({ failConnects: 1 });
    pools.push(pool);
    await expect(pool.channel(target, open)).rejects.toMatchObject({ code: 'unavailable' });
    expect(connectFn).toHaveBeenCalledTimes(1);
  });

  it('dispose closes everything and refuses further work', async () => {
    const { pool, conns, open } = setup();
    await pool.channel(target, open);
    await pool.dispose();
    expect(conns[0]!.closed).toBe(true);
    await expect(pool.channel(target, open)).rejects.toMatchObject({ code: 'unavailable' });
  });
});
