// Step kind `wait-for-port`: waits until host:port accepts a TCP connection — from the console
// directly, or as seen from an SSH host (`via`, a direct-tcpip channel over the pool) — or the
// timeout passes. Without `address`, the step's hosts' own addresses are tried.
import { connect } from 'node:net';

import type { ClientChannel } from 'ssh2';
import { z } from 'zod';

import { HostNameSchema } from '../../../shared/models/hosts';
import type { StepKind } from '../../flows/kinds/kind';
import type { SshPool } from '../../ssh/pool';
import type { SshTarget } from '../../ssh/types';

const Params = z
  .object({
    port: z.number().int().min(1).max(65535),
    /** Address to reach (default: each host of the step's `on`). */
    address: z.string().trim().min(1).max(253).optional(),
    via: HostNameSchema.optional(),
    'timeout-ms': z.number().int().min(100).max(3_600_000).default(60_000),
    'interval-ms': z.number().int().min(50).max(60_000).default(1000),
  })
  .strict();
type Params = z.output<typeof Params>;

export interface PortDeps {
  readonly pool: SshPool;
  readonly target: (host: string) => SshTarget;
}

function tryDirect(host: string, port: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    const t = setTimeout(() => {
      s.destroy();
      resolve('connect timed out');
    }, timeoutMs);
    s.once('connect', () => {
      clearTimeout(t);
      s.destroy();
      resolve(undefined);
    });
    s.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(t);
      resolve(e.code ?? e.message);
    });
  });
}

async function tryVia(
  deps: PortDeps,
  via: string,
  host: string,
  port: number,
): Promise<string | undefined> {
  try {
    const lease = await deps.pool.channel(
      deps.target(via),
      (conn) =>
        new Promise<ClientChannel>((resolve, reject) =>
          conn.client.forwardOut('127.0.0.1', 0, host, port, (err, ch) =>
            err ? reject(err) : resolve(ch),
          ),
        ),
      { session: false },
    );
    lease.value.destroy();
    lease.release();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

export function waitForPortKind(deps: () => PortDeps): StepKind<Params> {
  return {
    name: 'wait-for-port',
    summary:
      'Wait until host:port accepts TCP connections (directly or via an SSH host), or time out.',
    params: Params,
    needsHosts: false,
    async run(p, ctx) {
      const addrs = p.address
        ? [{ name: p.address, host: p.address }]
        : ctx.hosts.map((h) => ({ name: h.name, host: h.target.host }));
      if (addrs.length === 0)
        return { ok: false, summary: 'wait-for-port needs an address or hosts (on:)', outputs: {} };
      const deadline = Date.now() + p['timeout-ms'];
      const waited: Record<string, number> = {};
      let allOk = true;
      await Promise.all(
        addrs.map(async (a) => {
          const t0 = Date.now();
          let last: string | undefined = 'not tried';
          while (!ctx.signal.aborted) {
            last = p.via
              ? await tryVia(deps(), p.via, a.host, p.port)
              : await tryDirect(a.host, p.port, Math.min(5000, p['timeout-ms']));
            if (last === undefined || Date.now() + p['interval-ms'] > deadline) break;
            await new Promise((r) => setTimeout(r, p['interval-ms']));
          }
          const ok = last === undefined;
          if (!ok) allOk = false;
          waited[a.name] = Date.now() - t0;
          const summary = ok
            ? `${a.host}:${p.port} open after ${Date.now() - t0} ms`
            : `${a.host}:${p.port} not reachable: ${last}`;
          ctx.log(summary, {
            ...(ctx.hosts.length ? { host: a.name } : {}),
            stream: ok ? 'stdout' : 'stderr',
          });
          if (ctx.hosts.some((h) => h.name === a.name)) ctx.hostResult(a.name, { ok, summary });
        }),
      );
      return {
        ok: allOk,
        summary: allOk ? `port ${p.port} open` : `port ${p.port} not reachable`,
        outputs: { waitedMs: waited },
      };
    },
  };
}
