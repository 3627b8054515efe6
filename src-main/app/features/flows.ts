// The flows feature: builds its core services once and implements its part of the contract.
// Registers the step kinds of this feature (exec, upload, wait-for-ssh, confirm, note, packages,
// readiness); other features register theirs on the same ctx.kinds.
import { join } from 'node:path';

import { confirmKind } from '../../core/flows/kinds/confirm';
import { execKind } from '../../core/flows/kinds/exec';
import { noteKind } from '../../core/flows/kinds/note';
import { packagesKind } from '../../core/flows/kinds/packages';
import { readinessKind } from '../../core/flows/kinds/readiness';
import { uploadKind } from '../../core/flows/kinds/upload';
import { waitForSshKind } from '../../core/flows/kinds/wait-for-ssh';
import { FlowsService } from '../../core/flows/service';
import { SshFiles } from '../../core/ssh/sftp';
import type { Handlers } from '../../shared/contract-kit';
import type { flowsEvents, flowsRequests } from '../../shared/contract-flows';
import type { Feature, FeatureContext } from './types';

export type FlowsHandlers = Handlers<{
  requests: typeof flowsRequests;
  events: typeof flowsEvents;
}>;

const actor = (s: { face: string; peer: string }): string => `${s.face}:${s.peer}`;

export interface FlowsFeature extends Feature<FlowsHandlers> {
  readonly service: FlowsService;
}

export function createFlowsFeature(ctx: FeatureContext): FlowsFeature {
  const { kinds, services } = ctx;
  kinds.register(execKind);
  kinds.register(uploadKind(new SshFiles(ctx.ssh.pool, ctx.ssh.executor)));
  kinds.register(waitForSshKind);
  kinds.register(confirmKind);
  kinds.register(noteKind);
  kinds.register(packagesKind(services.hostOs));
  kinds.register(readinessKind(services.hostOs));
  const service = new FlowsService({
    db: ctx.db,
    kinds,
    executor: ctx.ssh.executor,
    inventory: { hosts: () => services.hosts.list(), groups: () => services.hosts.listGroups() },
    builtinDir: () => join(ctx.resourcesDir(), 'flows'),
    userDir: join(ctx.dataDir, 'flows'),
    publish: (e) => services.publish('runs.event', e),
  });
  return {
    service,
    dispose: () => service.dispose(),
    handlers: {
      'flows.list': () => service.library.list(),
      'flows.get': ({ file }) => service.library.get(service.library.libraryFile(file)),
      'flows.validate': ({ file, text }) =>
        service.library.validate(
          file !== undefined && text === undefined ? service.library.libraryFile(file) : file,
          text,
        ),
      'runs.start': ({ file, inputs, forks }, { session }) =>
        service.start(
          { file: service.library.libraryFile(file), inputs, forks },
          { actor: actor(session) },
        ),
      'runs.list': (q) => service.list(q),
      'runs.get': ({ id }) => service.get(id),
      'runs.log': ({ id, ...q }) => service.log(id, q),
      'runs.cancel': ({ id }) => service.cancel(id),
      'runs.pause': ({ id }) => service.pause(id),
      'runs.continue': ({ id }) => service.continue(id),
      'runs.resume': ({ id, inputs }, { session }) =>
        service.resume(id, inputs, { actor: actor(session) }),
      'runs.confirm': ({ id, step, accept, evidence }, { session }) =>
        service.confirm(id, step, accept, evidence, actor(session)),
      'runs.report': ({ id, format }) => service.report(id, format),
      'runs.timeline': ({ id, afterSeq, limit }) => service.timeline(id, afterSeq ?? 0, limit),
      'runs.delete': ({ id }) => service.delete(id),
    },
  };
}
