// Step kinds `services.start`, `services.stop` and `services.status`: act on / look at Flock
// services of the step's hosts through ServicesService (dependency order, journal lines of a
// failed start in the run's log).
import { z } from 'zod';

import type { ServiceAction, ServiceStatus } from '../../../shared/models/services';
import { ServiceNameSchema } from '../../../shared/models/services';
import type { KindHost, StepKind, StepRunContext } from '../../flows/kinds/kind';
import type { ServicesService } from '../service';

const ActionParams = z
  .object({
    services: z.array(ServiceNameSchema).min(1).max(200),
    /** Also start what they need first (start) / stop what needs them first (stop). */
    'with-dependencies': z.boolean().default(false),
    'timeout-ms': z.number().int().min(1000).max(900_000).default(90_000),
  })
  .strict();
type ActionParams = z.output<typeof ActionParams>;

const StatusParams = z
  .object({
    services: z.array(ServiceNameSchema).min(1).max(200).optional(),
    /** Every listed service must be in this state (default: none failed or missing). */
    expect: z.enum(['active', 'inactive']).optional(),
  })
  .strict();
type StatusParams = z.output<typeof StatusParams>;

async function eachHost(
  ctx: StepRunContext,
  work: (
    h: KindHost,
  ) => Promise<{ ok: boolean; summary: string; outputs: Record<string, unknown> }>,
): Promise<{ ok: boolean; summary: string; outputs: Record<string, unknown> }> {
  const outputs: Record<string, unknown> = {};
  let okCount = 0;
  const queue = [...ctx.hosts];
  const worker = async (): Promise<void> => {
    for (let h = queue.shift(); h; h = queue.shift()) {
      ctx.hostStarted?.(h.name);
      const r = await work(h).catch((e: unknown) => ({
        ok: false,
        summary: (e as Error).message,
        outputs: {},
      }));
      if (r.ok) okCount++;
      outputs[h.name] = r.outputs;
      ctx.hostResult(h.name, { ok: r.ok, summary: r.summary, outputs: r.outputs });
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(ctx.forks, ctx.hosts.length)) }, worker),
  );
  const failed = ctx.hosts.length - okCount;
  return {
    ok: failed === 0,
    summary: `${okCount} ok · ${failed} failed`,
    outputs: { hosts: outputs },
  };
}

function actionKind(svc: () => ServicesService, action: ServiceAction): StepKind<ActionParams> {
  return {
    name: `services.${action}`,
    summary: `${action[0]!.toUpperCase()}${action.slice(1)} Flock services on the hosts, in dependency order.`,
    params: ActionParams,
    needsHosts: true,
    async run(p, ctx) {
      return eachHost(ctx, async (h) => {
        const rep = await svc().action(h.name, p.services, action, {
          withDependencies: p['with-dependencies'],
          timeoutMs: p['timeout-ms'],
          signal: ctx.signal,
          onEvent: (e) => {
            if (e.type === 'plan')
              ctx.log(`order: ${e.order.join(' → ')}`, { host: h.name, stream: 'info' });
            if (e.type !== 'result') return;
            const r = e.result;
            ctx.log(
              `${r.service} (${r.unit}): ${r.ok ? `${action} ok, ${r.status}` : (r.error ?? 'failed')}`,
              {
                host: h.name,
                stream: r.ok ? 'stdout' : 'stderr',
              },
            );
            for (const l of r.journal ?? []) ctx.log(`  ${l}`, { host: h.name, stream: 'stderr' });
          },
        });
        const bad = rep.results.filter((r) => !r.ok);
        return {
          ok: rep.ok,
          summary: rep.ok
            ? `${rep.results.length} ${action}ed`
            : `${bad.length} failed: ${bad.map((r) => r.service).join(', ')}`,
          outputs: Object.fromEntries(rep.results.map((r) => [r.service, r.status])),
        };
      });
    },
  };
}

export function servicesKinds(svc: () => ServicesService): StepKind[] {
  const status: StepKind<StatusParams> = {
    name: 'services.status',
    summary: 'State of Flock services on the hosts (optionally expecting all active or inactive).',
    params: StatusParams,
    needsHosts: true,
    async run(p, ctx) {
      return eachHost(ctx, async (h) => {
        const list = await svc().list(h.name, p.services, ctx.signal);
        const states: Record<string, ServiceStatus> = {};
        const bad: string[] = [];
        for (const r of list.services) {
          states[r.name] = r.status;
          ctx.log(`${r.name} (${r.unit}): ${r.status}${r.error ? ` — ${r.error}` : ''}`, {
            host: h.name,
            stream: 'stdout',
          });
          const good = p.expect
            ? r.status === p.expect
            : r.status !== 'failed' && r.status !== 'not-found' && !r.error;
          if (!good) bad.push(`${r.name}=${r.status}`);
        }
        return {
          ok: bad.length === 0,
          summary: bad.length
            ? bad.join(', ')
            : `${list.services.length} services ${p.expect ?? 'ok'}`,
          outputs: states,
        };
      });
    },
  };
  return [actionKind(svc, 'start'), actionKind(svc, 'stop'), actionKind(svc, 'restart'), status];
}
