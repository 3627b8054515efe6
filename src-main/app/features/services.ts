// The services feature: builds its core services once and implements its part of the contract.
// Services (C9): ServicesService over the host's service manager. API checks (C10):
// ChecksService (Keystone, suites, tunnels, history). Registers the step kinds services.start|
// stop|restart|status, api.check and wait-for-port.
import { join } from 'node:path';

import { apiCheckKind } from '../../core/checks/kinds/api-check';
import { waitForPortKind } from '../../core/checks/kinds/wait-for-port';
import { ChecksService } from '../../core/checks/service';
import { CheckStore } from '../../core/checks/store';
import { detectOs } from '../../core/os/detect';
import { matchProfile } from '../../core/os/profiles';
import { catalogDto } from '../../core/services/catalog';
import { servicesKinds } from '../../core/services/kinds/services';
import { ServicesService } from '../../core/services/service';
import type { Handlers } from '../../shared/contract-kit';
import type { servicesEvents, servicesRequests } from '../../shared/contract-services';
import { AppError } from '../../shared/errors';
import type { Feature, FeatureContext } from './types';

export type ServicesHandlers = Handlers<{
  requests: typeof servicesRequests;
  events: typeof servicesEvents;
}>;

export interface ServicesFeature extends Feature<ServicesHandlers> {
  readonly services: ServicesService;
  readonly checks: ChecksService;
}

const actor = (s: { face: string; peer: string }): string => `${s.face}:${s.peer}`;

export function createServicesFeature(ctx: FeatureContext): ServicesFeature {
  const { hostOs, broker, audit, publish } = ctx.services;
  const executor = ctx.ssh.executor;
  const services = new ServicesService(
    {
      target: (host) => hostOs.target(host),
      detectFacts: async (host, signal) => {
        const facts = await detectOs(executor, hostOs.target(host), signal ? { signal } : {});
        const m = matchProfile(facts, hostOs.data().profiles);
        return { facts, profile: m?.profile ?? null };
      },
    },
    executor,
    () => join(ctx.resourcesDir(), 'services', 'flock.yaml'),
  );
  const checks = new ChecksService({
    store: new CheckStore(ctx.db),
    suitesDir: () => join(ctx.resourcesDir(), 'checks'),
    pool: ctx.ssh.pool,
    target: (host) => hostOs.target(host),
    askPassword: async (p, signal) =>
      (
        await broker.credentials(
          {
            host: p.url,
            kind: 'password',
            prompts: [
              { prompt: `Keystone password for ${p.user} (project ${p.project})`, echo: false },
            ],
          },
          signal,
        )
      )?.[0],
  });
  for (const k of servicesKinds(() => services)) ctx.kinds.register(k);
  ctx.kinds.register(apiCheckKind(() => checks));
  ctx.kinds.register(
    waitForPortKind(() => ({ pool: ctx.ssh.pool, target: (h) => hostOs.target(h) })),
  );

  const handlers: ServicesHandlers = {
    'services.catalog': () => catalogDto(services.catalog()),
    'services.list': ({ host, services: only }, { signal }) => services.list(host, only, signal),
    'services.action': async (
      { host, services: names, action, withDependencies, timeoutMs },
      ctx,
    ) => {
      const { signal, session } = ctx;
      const report = await services.action(host, names, action, {
        withDependencies,
        timeoutMs,
        signal,
        onEvent: (e) => ctx.emit(e),
      });
      audit.record({
        actor: actor(session),
        action: `services.${action}`,
        target: host,
        detail: {
          order: report.order,
          ok: report.ok,
          failed: report.results.filter((r) => !r.ok).map((r) => r.service),
        },
      });
      publish('services.changed', { host, services: [...report.order] });
      return report;
    },
    'services.logs': ({ host, service, lines }, { signal }) =>
      services.logs(host, service, lines, signal),
    'services.follow': async ({ host, service, lines }, ctx) => ({
      lines: await services.follow(host, service, lines, ctx.signal, (l) => ctx.emit(l)),
    }),
    'checks.suites': () => checks.suites(),
    'checks.run': async (input, ctx) => {
      const report = await checks.run(input, { signal: ctx.signal, onEvent: (e) => ctx.emit(e) });
      publish('checks.finished', {
        runId: report.runId,
        suite: report.suite,
        ok: report.ok,
        passed: report.passed,
        failed: report.failed,
      });
      return report;
    },
    'checks.history': (q) => checks.history(q),
    'checks.runs': ({ suite, limit }) => checks.runs(limit, suite),
    'checks.report': ({ runId }) => {
      const r = checks.report(runId);
      if (!r) throw new AppError('not_found', `no check run ${runId}`);
      return r;
    },
    'checks.save': (s) => checks.save(s),
    'checks.delete': ({ name }) => checks.delete(name),
  };
  return { services, checks, handlers };
}
