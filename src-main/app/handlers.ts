// The contract, implemented: one short entry per request, each calling a core service.
import { join } from 'node:path';

import type { ExecService } from '../core/fanout/exec-service';
import type { HostsService } from '../core/inventory/hosts-service';
import { targetsFor } from '../core/fanout/targets';
import { importInventory } from '../core/inventory/inventory-import';
import { importSshConfig } from '../core/inventory/ssh-config-import';
import type { HostOsService } from '../core/readiness/service';
import type { PromptBroker } from '../core/ssh/prompt-broker';
import type { AuditLog } from '../core/store/audit';
import type { EventName, EventPayload, Handlers } from '../shared/contract-kit';
import type { AppContract } from '../shared/contract';
import type { flowsRequests } from '../shared/contract-flows';
import type { servicesRequests } from '../shared/contract-services';
import type { terminalsRequests } from '../shared/contract-terminals';
import { AppError } from '../shared/errors';
import type { AppInfo } from '../shared/models/app';
import type { SshStack } from './ssh-stack';

export interface Services {
  readonly info: () => AppInfo;
  readonly hosts: HostsService;
  readonly exec: ExecService;
  readonly broker: PromptBroker;
  readonly ssh: Pick<SshStack, 'keyStore' | 'verifier' | 'pool'>;
  readonly audit: AuditLog;
  readonly hostOs: HostOsService;
  readonly publish: <E extends EventName<AppContract>>(
    name: E,
    payload: EventPayload<AppContract, E>,
  ) => void;
}

function actor(session: { face: string; peer: string }): string {
  return `${session.face}:${session.peer}`;
}

/** The requests of the core contract (features answer their own parts: see features/). */
type CoreRequests = Omit<
  Handlers<AppContract>,
  keyof (typeof terminalsRequests & typeof flowsRequests & typeof servicesRequests)
>;

export function createHandlers(s: Services): CoreRequests {
  const changed = (what: 'host' | 'group', action: 'saved' | 'deleted', name: string): void =>
    s.publish('inventory.changed', { what, action, name });
  return {
    'app.info': () => s.info(),
    'hosts.list': () => s.hosts.list(),
    'hosts.save': (input, { session }) => {
      const host = s.hosts.save(input, actor(session));
      changed('host', 'saved', host.name);
      return host;
    },
    'hosts.delete': ({ id }, { session }) => {
      const deleted = s.hosts.delete(id, actor(session));
      changed('host', 'deleted', deleted);
      return { deleted };
    },
    'groups.list': () => s.hosts.listGroups(),
    'groups.save': (input, { session }) => {
      const group = s.hosts.saveGroup(input, actor(session));
      changed('group', 'saved', group.name);
      return group;
    },
    'groups.delete': ({ name }, { session }) => {
      const deleted = s.hosts.deleteGroup(name, actor(session));
      changed('group', 'deleted', deleted);
      return { deleted };
    },
    'inventory.preview': ({ pattern }) => s.exec.preview(pattern),
    'inventory.import': ({ path, format }, { session }) => {
      const load = format === 'ssh-config' ? importSshConfig : importInventory;
      const report = load(path, s.hosts, actor(session));
      changed('host', 'saved', `${report.added.length + report.updated.length} hosts`);
      return report;
    },
    'exec.run': (input, ctx) =>
      s.exec.run(input, { signal: ctx.signal, onEvent: (e) => ctx.emit(e) }),
    'prompts.answer': ({ id, accept, values }) => ({
      answered: s.broker.answer(id, {
        ...(accept !== undefined ? { accept } : {}),
        ...(values !== undefined ? { values } : {}),
      }),
    }),
    'hosts.sshStatus': () => {
      const hosts = s.hosts.list();
      return hosts.map((h) => {
        if (h.connection === 'local') return { name: h.name, connections: 0, pinned: [] };
        const address = h.address.replace(/^\[|\]$/g, '');
        // A host whose jump chain is broken still shows its keys; it just has no connection.
        const target = (() => {
          try {
            return targetsFor([h.name], hosts)[0];
          } catch {
            return undefined;
          }
        })();
        return {
          name: h.name,
          connections: target ? s.ssh.pool.stats(target).connections : 0,
          pinned: s.ssh.verifier.lookup(address, h.port).map((e) => ({
            keyType: e.keyType,
            fingerprint: e.fingerprint,
            file: e.file,
            line: e.line,
          })),
        };
      });
    },
    'hosts.detect': ({ host }, { signal }) => s.hostOs.detect(host, { signal }),
    'hosts.compare': ({ a, b }, { signal }) => s.hostOs.compare(a, b, { signal }),
    'readiness.run': ({ pattern, forks }, ctx) =>
      s.hostOs.readiness(pattern, {
        signal: ctx.signal,
        onEvent: (e) => ctx.emit(e),
        ...(forks !== undefined ? { forks } : {}),
      }),
    'packages.list': ({ host }, { signal }) => s.hostOs.listPackages(host, { signal }),
    'packages.query': ({ host, name }, { signal }) => s.hostOs.query(host, name, { signal }),
    'packages.search': ({ host, term }, { signal }) => s.hostOs.search(host, term, { signal }),
    'packages.verify': ({ host, name }, ctx) =>
      s.hostOs.verify(host, name, { signal: ctx.signal, onProgress: (e) => ctx.emit(e) }),
    'packages.drift': ({ host, manifest }, ctx) =>
      s.hostOs.drift(host, manifest ?? join(s.hostOs.paths.manifests, 'starlingx-example.yaml'), {
        signal: ctx.signal,
      }),
    'packages.install': ({ host, names }, ctx) => {
      s.audit.record({
        actor: actor(ctx.session),
        action: 'packages.install',
        target: host,
        detail: { names },
      });
      return s.hostOs.install(host, names, { signal: ctx.signal, onProgress: (e) => ctx.emit(e) });
    },
    'packages.remove': ({ host, names }, ctx) => {
      s.audit.record({
        actor: actor(ctx.session),
        action: 'packages.remove',
        target: host,
        detail: { names },
      });
      return s.hostOs.remove(host, names, { signal: ctx.signal, onProgress: (e) => ctx.emit(e) });
    },
    'hostkeys.rekey': ({ hosts: names }, { session }) => {
      const targets = names.map((name) => {
        const host = s.hosts.findByName(name);
        if (!host) throw new AppError('not_found', `there is no host named "${name}"`);
        return { host: host.address.replace(/^\[|\]$/g, ''), port: host.port };
      });
      const result = s.ssh.keyStore.rekey(targets);
      s.audit.record({
        actor: actor(session),
        action: 'hostkey.rekey',
        target: names.join(','),
        detail: {
          removed: result.removed.map((e) => `${e.host}:${e.port} ${e.keyType} ${e.fingerprint}`),
        },
      });
      return {
        removed: result.removed.length,
        stillPinned: result.stillPinned.map((e) => ({ file: e.file, line: e.line })),
      };
    },
  };
}
