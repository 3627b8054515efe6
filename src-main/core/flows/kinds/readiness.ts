// Step kind `readiness`: the MultiOS readiness matrix for the step's hosts (the same rules as the
// Readiness screen). A host is ok when every rule is met (or `allow-missing` lets it pass).
import { z } from 'zod';

import type { HostOsService } from '../../readiness/service';
import type { StepKind } from './kind';

export const ReadinessParams = z
  .object({
    /** Succeed even when rules are missing (report only); default false. */
    'allow-missing': z.boolean().default(false),
  })
  .strict();

export function readinessKind(
  hostOs: Pick<HostOsService, 'readiness'>,
): StepKind<z.output<typeof ReadinessParams>> {
  return {
    name: 'readiness',
    summary: 'MultiOS readiness of the hosts (OS, packages, services rules); per-host counts.',
    params: ReadinessParams,
    needsHosts: true,
    async run(p, ctx) {
      const pattern = ctx.hosts.map((h) => h.name).join(',');
      const perHost: Record<string, unknown> = {};
      const m = await hostOs.readiness(pattern, {
        forks: ctx.forks,
        signal: ctx.signal,
        onEvent: (e) => {
          if (e.type === 'host-started') return ctx.hostStarted?.(e.host);
          const r = e.row;
          const ok =
            r.error === null && (p['allow-missing'] || r.counts.missing + r.counts.error === 0);
          const summary =
            r.error ??
            `${r.os}: ${r.counts.met} met · ${r.counts.missing} missing · ${r.counts.error} errors`;
          for (const res of r.results) {
            if (res.status !== 'met')
              ctx.log(`${res.rule}: ${res.status} — ${res.detail}`, {
                host: r.host,
                stream: 'stdout',
              });
          }
          ctx.log(summary, { host: r.host, stream: 'info' });
          perHost[r.host] = { os: r.os, profile: r.profile, counts: r.counts, error: r.error };
          ctx.hostResult(r.host, { ok, summary });
        },
      });
      const bad = m.hosts.filter(
        (r) => r.error !== null || (!p['allow-missing'] && r.counts.missing + r.counts.error > 0),
      );
      return {
        ok: bad.length === 0 && !m.cancelled,
        summary: `${m.hosts.length - bad.length} ready · ${bad.length} not`,
        outputs: { hosts: perHost, notReady: bad.map((r) => r.host) },
      };
    },
  };
}
