// Step kind `packages`: install, verify or query packages on the hosts through the host-OS
// service (the right package manager per detected OS; names mapped per OS).
import { z } from 'zod';

import type { HostOsService } from '../../readiness/service';
import type { StepKind } from './kind';

export const PackagesParams = z
  .object({
    action: z.enum(['install', 'verify', 'query']),
    names: z.array(z.string().min(1)).min(1),
  })
  .strict();

type Os = Pick<HostOsService, 'install' | 'verify' | 'query'>;

export function packagesKind(hostOs: Os): StepKind<z.output<typeof PackagesParams>> {
  return {
    name: 'packages',
    summary: 'Install, verify or query packages on the hosts (per-OS package manager).',
    params: PackagesParams,
    needsHosts: true,
    async run(p, ctx) {
      const queue = [...ctx.hosts];
      const perHost: Record<string, unknown> = {};
      const failed: string[] = [];
      const one = async (
        host: string,
      ): Promise<{ ok: boolean; summary: string; data: unknown }> => {
        const signal = ctx.signal;
        const onProgress = (e: { phase: string; line?: string; stream?: string }): void => {
          if (e.phase === 'output' && e.line !== undefined)
            ctx.log(e.line, { host, stream: e.stream === 'stderr' ? 'stderr' : 'stdout' });
        };
        if (p.action === 'install') {
          const r = await hostOs.install(host, p.names, { signal, onProgress });
          return {
            ok: r.exitCode === 0,
            summary: `exit ${r.exitCode}`,
            data: { exitCode: r.exitCode },
          };
        }
        if (p.action === 'verify') {
          const reports = [];
          for (const name of p.names)
            reports.push(await hostOs.verify(host, name, { signal, onProgress }));
          const issues = reports.reduce((n, r) => n + r.issues.length, 0);
          return { ok: reports.every((r) => r.ok), summary: `${issues} issues`, data: { issues } };
        }
        const found: Record<string, string | null> = {};
        for (const name of p.names) {
          const r = await hostOs.query(host, name, { signal });
          found[name] = r?.installed ? `${r.version}${r.release ? `-${r.release}` : ''}` : null;
          ctx.log(`${name}: ${found[name] ?? 'not installed'}`, { host, stream: 'stdout' });
        }
        const missing = Object.values(found).filter((v) => v === null).length;
        return {
          ok: missing === 0,
          summary: missing ? `${missing} not installed` : 'all installed',
          data: found,
        };
      };
      const worker = async (): Promise<void> => {
        for (let h = queue.shift(); h && !ctx.signal.aborted; h = queue.shift()) {
          ctx.hostStarted?.(h.name);
          try {
            const r = await one(h.name);
            perHost[h.name] = r.data;
            if (!r.ok) failed.push(h.name);
            ctx.hostResult(h.name, { ok: r.ok, summary: r.summary });
          } catch (e) {
            const m = e instanceof Error ? e.message : String(e);
            ctx.log(m, { host: h.name, stream: 'stderr' });
            ctx.hostResult(h.name, { ok: false, summary: m });
            failed.push(h.name);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(ctx.forks, ctx.hosts.length) }, worker));
      const done = Object.keys(perHost).length;
      return {
        ok: failed.length === 0 && done === ctx.hosts.length,
        summary: `${ctx.hosts.length - failed.length} ok${failed.length ? ` · ${failed.length} failed` : ''}`,
        outputs: { hosts: perHost, failed },
      };
    },
  };
}
