// `stx-lab readiness [-i INV] PATTERN [--json|--markdown]`: the MultiOS readiness matrix.
// Exit 0 when every host was checked and nothing is missing, 1 when something is missing or
// errored, 2 when a host could not be checked at all.
import { type Command, InvalidArgumentError } from 'commander';

import type { App } from '../../app/create-app';
import type { HostOsService } from '../../core/readiness/service';
import type { HostKeyCheck, SshTarget } from '../../core/ssh/types';
import type { ReadinessMatrix, RuleStatus } from '../../shared/models/readiness';
import type { CliContext, GlobalOptions } from '../context';
import { ttyPrompter } from '../tty-prompt';

export interface HostOsCliOptions extends GlobalOptions {
  inventory?: string;
  knownHosts?: string;
  acceptNew?: boolean;
  json?: boolean;
}

/** The -i / --known-hosts / --accept-new options shared by readiness, packages and compare. */
export function hostOptions(cmd: Command): Command {
  return cmd
    .option('-i, --inventory <file>', "an Ansible inventory (INI or YAML) instead of the app's")
    .option('--known-hosts <file>', 'known_hosts file instead of ~/.ssh/known_hosts')
    .option('--accept-new', 'trust host keys seen for the first time (never changed ones)');
}

function decide(acceptNew: boolean) {
  return async (target: SshTarget, check: HostKeyCheck): Promise<boolean> => {
    const where = `${target.host}${target.port === 22 ? '' : `:${target.port}`}`;
    if (!acceptNew) {
      console.error(
        `Host key for ${target.name} (${where}) is not known: ${check.keyType} ${check.fingerprint}\n` +
          '  Check it with the host owner, then run again with --accept-new to trust it.',
      );
    }
    return acceptNew;
  };
}

/** Opens the app and the host/OS service (over the -i inventory when given). */
export async function openHostOs(
  ctx: CliContext,
  o: HostOsCliOptions,
): Promise<{ app: App; hostOs: HostOsService; close: () => Promise<void> }> {
  const app = await ctx.openApp(o, 'cli', {
    ...(o.knownHosts ? { userKnownHosts: o.knownHosts } : {}),
    decideUnknown: decide(o.acceptNew === true),
    prompter: ttyPrompter,
  });
  let hostOs = app.hostOs;
  if (o.inventory) {
    // Loaded here, not at start: `--help` and other commands never pay for them.
    const { loadInventoryFile } = await import('../../core/inventory/ansible-yaml');
    const { inventoryTargetHost } = await import('../../core/inventory/inventory-import');
    const { findResourcesDir } = await import('../../core/readiness/resources');
    const { HostOsService } = await import('../../core/readiness/service');
    const inv = loadInventoryFile(o.inventory);
    hostOs = new HostOsService(
      { hosts: () => inv.hosts.map(inventoryTargetHost), groups: () => inv.groups },
      app.ssh.executor,
      () => findResourcesDir(),
    );
  }
  return {
    app,
    hostOs,
    close: async () => {
      await app.ssh.dispose();
      app.close();
    },
  };
}

const SHORT: Record<RuleStatus, string> = {
  met: 'met',
  missing: 'MISSING',
  alternative: 'alt',
  error: 'ERROR',
};

/** A plain-text matrix for a terminal: one line per rule, one column per host. */
export function readinessTable(m: ReadinessMatrix): string {
  const head = ['RULE', ...m.hosts.map((h) => h.host)];
  const rows = [
    ['OS', ...m.hosts.map((h) => (h.error ? 'ERROR' : (h.profile ?? 'no profile')))],
    ...m.rules.map((r) => [
      r.id,
      ...m.hosts.map((h) => {
        const x = h.results.find((y) => y.rule === r.id);
        return x ? SHORT[x.status] : '-';
      }),
    ]),
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const lines = [head, ...rows].map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  for (const h of m.hosts) if (h.error) lines.push(`${h.host}: ${h.error}`);
  return lines.join('\n');
}

export function readinessExit(m: ReadinessMatrix): number {
  if (m.hosts.some((h) => h.error)) return 2;
  return m.hosts.some((h) => h.counts.missing + h.counts.error > 0) ? 1 : 0;
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number from 1');
  return n;
}

export function register(program: Command, ctx: CliContext): void {
  hostOptions(
    program
      .command('readiness')
      .description(
        'MultiOS readiness matrix (hosts × requirements); exit 0 ready, 1 missing, 2 unreachable',
      )
      .argument('<pattern>', 'hosts: names, globs, node[01-16], @group, &, !'),
  )
    .option('-f, --forks <n>', 'hosts at once', positiveInt, 10)
    .option('--json', 'print the matrix as JSON')
    .option('--markdown', 'print the matrix and its evidence as Markdown')
    .action(async (pattern: string, _o: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals<HostOsCliOptions & { forks: number; markdown?: boolean }>();
      const { hostOs, close } = await openHostOs(ctx, o);
      const controller = new AbortController();
      const onSigint = (): void => controller.abort();
      process.once('SIGINT', onSigint);
      try {
        const m = await hostOs.readiness(pattern, {
          forks: o.forks,
          signal: controller.signal,
          onEvent: (e) => {
            if (!o.json && !o.markdown && process.stderr.isTTY && e.type === 'host-finished') {
              console.error(`${e.host}: ${e.row.error ?? 'checked'}`);
            }
          },
        });
        const { readinessJson, readinessMarkdown } = await import('../../core/readiness/export');
        if (o.json) process.stdout.write(readinessJson(m));
        else if (o.markdown) process.stdout.write(readinessMarkdown(m));
        else console.log(readinessTable(m));
        process.exitCode = readinessExit(m);
      } finally {
        process.off('SIGINT', onSigint);
        await close();
      }
    });
}
