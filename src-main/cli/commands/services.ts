// `stx-lab services list|start|stop|restart|logs HOST …`: the Flock services of one host through
// its service manager (systemd, SysV or StarlingX sm). Actions run in dependency order; exit 0
// only when every service did what was asked, 1 otherwise.
import { join } from 'node:path';

import { type Command, InvalidArgumentError } from 'commander';

import type { ServicesService } from '../../core/services/service';
import type {
  ServiceAction,
  ServiceActionReport,
  ServicesList,
} from '../../shared/models/services';
import type { CliContext } from '../context';
import { hostOptions, openHostOs, type HostOsCliOptions } from './readiness';

async function openServices(
  ctx: CliContext,
  o: HostOsCliOptions,
): Promise<{ svc: ServicesService; close: () => Promise<void> }> {
  const { app, hostOs, close } = await openHostOs(ctx, o);
  const { ServicesService } = await import('../../core/services/service');
  const { detectOs } = await import('../../core/os/detect');
  const { matchProfile } = await import('../../core/os/profiles');
  const { findResourcesDir } = await import('../../core/readiness/resources');
  const executor = app.ssh.executor;
  const svc = new ServicesService(
    {
      target: (h) => hostOs.target(h),
      detectFacts: async (h, signal) => {
        const facts = await detectOs(executor, hostOs.target(h), signal ? { signal } : {});
        return { facts, profile: matchProfile(facts, hostOs.data().profiles)?.profile ?? null };
      },
    },
    executor,
    () => join(findResourcesDir(), 'services', 'flock.yaml'),
  );
  return { svc, close };
}

export function servicesTable(l: ServicesList): string {
  const rows = l.services.map((s) => [
    s.name,
    s.unit,
    s.manager,
    s.status,
    s.enabled === null ? '-' : s.enabled ? 'enabled' : 'disabled',
    s.ports.map((p) => `${p.port}/${p.proto}${p.listening ? '' : '(closed)'}`).join(' ') || '-',
    s.error ?? '',
  ]);
  const head = ['SERVICE', 'UNIT', 'MANAGER', 'STATUS', 'ENABLED', 'PORTS', ''];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string =>
    r
      .map((c, i) => c.padEnd(w[i]!))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line), ...l.notes.map((n) => `note: ${n}`)].join('\n');
}

export function actionLines(r: ServiceActionReport): string {
  const out = [`order: ${r.order.join(' → ')}`];
  for (const x of r.results) {
    out.push(
      `${x.ok ? 'ok  ' : 'FAIL'}  ${x.service} (${x.unit}): ${x.ok ? x.status : (x.error ?? x.status)}`,
    );
    for (const j of x.journal ?? []) out.push(`      ${j}`);
  }
  return out.join('\n');
}

function lineCount(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new InvalidArgumentError('1 to 10000');
  return n;
}

export function register(program: Command, ctx: CliContext): void {
  const services = program
    .command('services')
    .description('Flock services of a host: list, start, stop, restart, logs');

  hostOptions(services.command('list').description('services with status, enablement and ports'))
    .argument('<host>', 'inventory host')
    .argument('[service...]', 'catalog services (default: all that apply to the host)')
    .option('--json', 'print JSON')
    .action(async (host: string, names: string[], _o: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals<HostOsCliOptions>();
      const { svc, close } = await openServices(ctx, o);
      try {
        const l = await svc.list(host, names.length ? names : undefined);
        console.log(o.json ? JSON.stringify(l, null, 2) : servicesTable(l));
        process.exitCode = 0;
      } finally {
        await close();
      }
    });

  for (const action of ['start', 'stop', 'restart'] as ServiceAction[]) {
    hostOptions(services.command(action).description(`${action} services in dependency order`))
      .argument('<host>', 'inventory host')
      .argument('<service...>', 'catalog services (or unit names)')
      .option(
        '--with-dependencies',
        action === 'stop' ? 'also stop what needs them, first' : 'also start what they need, first',
      )
      .option('--timeout <s>', 'per service, seconds', (v) => Number(v) * 1000, 90_000)
      .option('--json', 'print JSON')
      .action(async (host: string, names: string[], _o: unknown, cmd: Command) => {
        const o = cmd.optsWithGlobals<
          HostOsCliOptions & { withDependencies?: boolean; timeout: number }
        >();
        const { svc, close } = await openServices(ctx, o);
        try {
          const r = await svc.action(host, names, action, {
            withDependencies: o.withDependencies === true,
            timeoutMs: o.timeout,
          });
          console.log(o.json ? JSON.stringify(r, null, 2) : actionLines(r));
          process.exitCode = r.ok ? 0 : 1;
        } finally {
          await close();
        }
      });
  }

  hostOptions(services.command('logs').description("a service's last journal lines (-f: follow)"))
    .argument('<host>', 'inventory host')
    .argument('<service>', 'catalog service or unit name')
    .option('-n, --lines <n>', 'lines', lineCount, 50)
    .option('-f, --follow', 'keep printing new lines (Ctrl-C ends)')
    .action(async (host: string, name: string, _o: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals<HostOsCliOptions & { lines: number; follow?: boolean }>();
      const { svc, close } = await openServices(ctx, o);
      const show = (l: { at: string | null; ident: string | null; message: string }): void =>
        console.log(l.at ? `${l.at} ${l.ident ? `${l.ident}: ` : ''}${l.message}` : l.message);
      try {
        if (o.follow) {
          const ac = new AbortController();
          const stop = (): void => ac.abort();
          process.once('SIGINT', stop);
          try {
            await svc.follow(host, name, o.lines, ac.signal, show);
          } finally {
            process.off('SIGINT', stop);
          }
        } else {
          const logs = await svc.logs(host, name, o.lines);
          logs.lines.forEach(show);
        }
        process.exitCode = 0;
      } finally {
        await close();
      }
    });
}
