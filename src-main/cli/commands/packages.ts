// `stx-lab packages list|query|search|install|remove|verify|drift HOST …` through the host's
// PackageManager (picked from its detected OS profile). `--json` everywhere. install/remove
// change the host: they need --yes, and stream the tool's output to stderr.
import { type Command } from 'commander';

import type { PackageProgress, PackageRecord } from '../../core/packages/package-manager';
import { fullVersion } from '../../core/packages/package-manager';
import { AppError } from '../../shared/errors';
import type { CliContext } from '../context';
import { hostOptions, openHostOs, type HostOsCliOptions } from './readiness';

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  return [head, ...rows]
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function packagesTable(list: readonly PackageRecord[]): string {
  return table(
    ['NAME', 'VERSION', 'ARCH', 'STATUS'],
    list.map((p) => [p.name, fullVersion(p), p.arch ?? '-', p.status?.trim() || '-']),
  );
}

const progress =
  (json: boolean | undefined) =>
  (e: PackageProgress): void => {
    if (json) return;
    if (e.phase === 'start') console.error(`$ ${e.argv.join(' ')}`);
    else if (e.phase === 'output' && e.line !== undefined) console.error(e.line);
  };

type Action = (
  hostOs: Awaited<ReturnType<typeof openHostOs>>['hostOs'],
  o: HostOsCliOptions,
  signal: AbortSignal,
) => Promise<void>;

function run(ctx: CliContext, cmd: Command, action: Action): Promise<void> {
  const o = cmd.optsWithGlobals<HostOsCliOptions>();
  return (async () => {
    const { hostOs, close } = await openHostOs(ctx, o);
    const controller = new AbortController();
    const onSigint = (): void => controller.abort();
    process.once('SIGINT', onSigint);
    try {
      await action(hostOs, o, controller.signal);
    } finally {
      process.off('SIGINT', onSigint);
      await close();
    }
  })();
}

const out = (o: HostOsCliOptions, value: unknown, text: () => string): void => {
  console.log(o.json ? JSON.stringify(value, null, 2) : text());
};

export function register(program: Command, ctx: CliContext): void {
  const pk = program
    .command('packages')
    .description(
      "a host's packages through its OS's package manager (rpm/yum/dnf, apt/dpkg, swupd)",
    );
  const sub = (name: string, description: string): Command =>
    hostOptions(pk.command(name).description(description)).option('--json', 'print JSON');

  sub('list', 'installed packages')
    .argument('<host>')
    .option('--filter <text>', 'only names containing this text')
    .action(async (host: string, _o: unknown, cmd: Command) =>
      run(ctx, cmd, async (h, o, signal) => {
        const filter = cmd.opts<{ filter?: string }>().filter;
        let list = await h.listPackages(host, { signal });
        if (filter) list = list.filter((p) => p.name.includes(filter));
        out(o, list, () => packagesTable(list));
      }),
    );

  sub('query', 'one package (exit 1 when not installed)')
    .argument('<host>')
    .argument('<name>')
    .action(async (host: string, name: string, _o: unknown, cmd: Command) =>
      run(ctx, cmd, async (h, o, signal) => {
        const p = await h.query(host, name, { signal });
        out(o, p, () => (p ? packagesTable([p]) : `${name}: not known to the package database`));
        if (!p?.installed) process.exitCode = 1;
      }),
    );

  sub('search', "search the OS's repositories")
    .argument('<host>')
    .argument('<term>')
    .action(async (host: string, term: string, _o: unknown, cmd: Command) =>
      run(ctx, cmd, async (h, o, signal) => {
        const found = await h.search(host, term, { signal });
        out(o, found, () =>
          table(
            ['NAME', 'VERSION', 'REPO', 'SUMMARY'],
            found.map((p) => [p.name, p.version ?? '-', p.repo ?? '-', p.summary ?? '']),
          ),
        );
      }),
    );

  sub('verify', 'verify a package (or every package) against the package database')
    .argument('<host>')
    .argument('[name]')
    .action(async (host: string, name: string | undefined, _o: unknown, cmd: Command) =>
      run(ctx, cmd, async (h, o, signal) => {
        const r = await h.verify(host, name, { signal });
        out(o, r, () =>
          r.ok
            ? 'verified: no problems'
            : r.issues
                .map((i) => `${i.problem.padEnd(9)} ${i.flags} ${i.attr} ${i.path}`)
                .join('\n'),
        );
        if (!r.ok) process.exitCode = 1;
      }),
    );

  for (const [verb, what] of [
    ['install', 'install packages from the repositories'],
    ['remove', 'remove packages'],
  ] as const) {
    sub(verb, `${what} (needs --yes)`)
      .argument('<host>')
      .argument('<names...>')
      .option('-y, --yes', `confirm: really ${verb} on the host`)
      .action(async (host: string, names: string[], _o: unknown, cmd: Command) => {
        if (!cmd.opts<{ yes?: boolean }>().yes) {
          throw new AppError(
            'invalid_input',
            `${verb} changes ${host}: run again with --yes to confirm (${names.join(' ')})`,
          );
        }
        return run(ctx, cmd, async (h, o, signal) => {
          const fn = verb === 'install' ? h.install.bind(h) : h.remove.bind(h);
          const r = await fn(host, names, { signal, onProgress: progress(o.json) });
          out(o, r, () => `${verb}: exit ${r.exitCode} in ${r.durationMs} ms`);
          if (r.exitCode !== 0) process.exitCode = 1;
        });
      });
  }

  sub('drift', 'installed versions against a pinned-version manifest (exit 1 on drift/missing)')
    .argument('<host>')
    .argument('<manifest>', 'manifest YAML (see resources/manifests/)')
    .action(async (host: string, manifest: string, _o: unknown, cmd: Command) =>
      run(ctx, cmd, async (h, o, signal) => {
        const r = await h.drift(host, manifest, { signal });
        out(o, r, () =>
          table(
            ['DEPENDENCY', 'PACKAGE', 'PINNED', 'INSTALLED', 'POLICY', 'VERDICT'],
            r.rows.map((x) => [
              x.dependency,
              x.packages.join(',') || '-',
              x.pinned || '-',
              x.installed ?? '(missing)',
              x.policy,
              x.verdict,
            ]),
          ),
        );
        if (r.counts.drift + r.counts.missing > 0) process.exitCode = 1;
      }),
    );
}
