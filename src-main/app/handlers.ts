// The contract, implemented: one line per request, each calling a core service.
import type { Handlers } from '../shared/contract-kit';
import type { AppContract } from '../shared/contract';
import type { AppInfo } from '../shared/models/app';
import type { HostsService } from '../core/inventory/hosts-service';

export interface Services {
  readonly info: () => AppInfo;
  readonly hosts: HostsService;
  readonly publish: (payload: {
    what: 'host' | 'group';
    action: 'saved' | 'deleted';
    name: string;
  }) => void;
}

function actor(session: { face: string; peer: string }): string {
  return `${session.face}:${session.peer}`;
}

export function createHandlers(s: Services): Handlers<AppContract> {
  return {
    'app.info': () => s.info(),
    'hosts.list': () => s.hosts.list(),
    'hosts.save': (input, { session }) => {
      const host = s.hosts.save(input, actor(session));
      s.publish({ what: 'host', action: 'saved', name: host.name });
      return host;
    },
    'hosts.delete': ({ id }, { session }) => {
      const deleted = s.hosts.delete(id, actor(session));
      s.publish({ what: 'host', action: 'deleted', name: deleted });
      return { deleted };
    },
    'groups.list': () => s.hosts.listGroups(),
    'groups.save': (input, { session }) => {
      const group = s.hosts.saveGroup(input, actor(session));
      s.publish({ what: 'group', action: 'saved', name: group.name });
      return group;
    },
    'groups.delete': ({ name }, { session }) => {
      const deleted = s.hosts.deleteGroup(name, actor(session));
      s.publish({ what: 'group', action: 'deleted', name: deleted });
      return { deleted };
    },
  };
}
