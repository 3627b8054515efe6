// The terminals feature: builds its core services once and implements its part of the contract.
import { TerminalManager } from '../../core/terminals/manager';
import type { Handlers } from '../../shared/contract-kit';
import type { terminalsEvents, terminalsRequests } from '../../shared/contract-terminals';
import type { Feature, FeatureContext } from './types';

export type TerminalsHandlers = Handlers<{
  requests: typeof terminalsRequests;
  events: typeof terminalsEvents;
}>;

const actor = (s: { face: string; peer: string }): string => `${s.face}:${s.peer}`;

export function createTerminalsFeature(ctx: FeatureContext): Feature<TerminalsHandlers> {
  const { services } = ctx;
  const manager = new TerminalManager({
    pool: ctx.ssh.pool,
    hosts: () => services.hosts.list(),
    dataDir: ctx.dataDir,
    audit: (entry) => services.audit.record(entry),
    onChanged: (e) => services.publish('terminals.changed', e),
    warn: (m) => ctx.log.warn(m),
  });
  const logs = manager.logs;
  return {
    handlers: {
      'terminals.open': (input, ctx) =>
        manager.open(input, {
          signal: ctx.signal,
          emit: (chunk) => ctx.emit(chunk),
          actor: actor(ctx.session),
        }),
      'terminals.input': ({ id, data }) => ({ written: manager.input(id, data) }),
      'terminals.resize': ({ id, cols, rows }) => manager.resize(id, cols, rows),
      'terminals.ack': ({ id, bytes }) => manager.ack(id, bytes),
      'terminals.list': () => manager.list(),
      'terminals.close': ({ id }) => ({ closed: manager.close(id) }),
      'terminals.broadcast': (input, { session }) => manager.broadcast(input, actor(session)),
      'terminals.logs.list': ({ host }) => logs.list(host),
      'terminals.logs.read': ({ id, offset, limit, format }) =>
        logs.read(id, offset, limit, format),
      'terminals.logs.search': ({ query, host, limit }) => logs.search(query, host, limit),
      'terminals.logs.delete': async ({ id }) => ({ deleted: await logs.delete(id) }),
    },
    dispose: () => manager.dispose(),
  };
}
