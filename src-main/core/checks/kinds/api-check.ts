// Step kind `api.check`: runs a check suite (or inline checks) against Keystone-catalogued APIs,
// optionally through an SSH tunnel from a host; one log line per check, the run kept in history.
import { z } from 'zod';

import {
  CheckDefSchema,
  KeystoneParamsSchema,
  SuiteNameSchema,
} from '../../../shared/models/checks';
import { HostNameSchema } from '../../../shared/models/hosts';
import type { StepKind } from '../../flows/kinds/kind';
import type { ChecksService } from '../service';

const Params = z
  .object({
    suite: SuiteNameSchema.optional(),
    checks: z.array(CheckDefSchema).min(1).max(1000).optional(),
    keystone: KeystoneParamsSchema.optional(),
    via: HostNameSchema.optional(),
    ca: z.string().min(1).optional(),
    insecure: z.boolean().default(false),
    concurrency: z.number().int().min(1).max(64).default(8),
    budgets: z.enum(['enforce', 'warn']).default('enforce'),
  })
  .strict()
  .refine((p) => (p.suite === undefined) !== (p.checks === undefined), {
    message: 'give either "suite" or "checks"',
  });
type Params = z.output<typeof Params>;

export function apiCheckKind(svc: () => ChecksService): StepKind<Params> {
  return {
    name: 'api.check',
    summary:
      'Run an API check suite (Keystone token, catalog endpoints, JSON assertions), optionally via an SSH tunnel.',
    params: Params,
    needsHosts: false,
    async run(p, ctx) {
      const rep = await svc().run(
        {
          ...(p.suite ? { suite: p.suite } : {}),
          ...(p.checks ? { checks: p.checks } : {}),
          ...(p.keystone ? { keystone: p.keystone } : {}),
          ...(p.via ? { via: p.via } : {}),
          ...(p.ca ? { ca: p.ca } : {}),
          insecure: p.insecure,
          concurrency: p.concurrency,
          budgets: p.budgets,
        },
        {
          signal: ctx.signal,
          onEvent: (e) => {
            if (e.type === 'keystone') {
              ctx.log(`keystone ${e.keystone.url}: ${e.keystone.message}`, {
                stream: e.keystone.ok ? 'info' : 'stderr',
              });
            } else if (e.type === 'tunnel') {
              ctx.log(`tunnel via ${e.via}: ${e.local} → ${e.remote}`, { stream: 'info' });
            } else if (e.type === 'result') {
              const r = e.result;
              ctx.log(
                `${r.ok ? 'PASS' : 'FAIL'} ${r.id} ${r.method} ${r.url} — ${r.message}${r.insecure ? ' [insecure]' : ''}`,
                {
                  stream: r.ok ? 'stdout' : 'stderr',
                },
              );
            }
          },
        },
      );
      return {
        ok: rep.ok,
        summary: `${rep.passed} passed · ${rep.failed} failed${rep.insecure ? ' · insecure TLS' : ''}`,
        outputs: {
          runId: rep.runId,
          passed: rep.passed,
          failed: rep.failed,
          failures: rep.results.filter((r) => !r.ok).map((r) => `${r.id}: ${r.message}`),
        },
      };
    },
  };
}
