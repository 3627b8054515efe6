// `stx-lab check [--suite NAME|FILE] --keystone URL --user U --project P [--password-env VAR]
// [--via HOST] [--ca FILE] [--insecure] [--junit FILE] [--json] [-i INV]`: runs an API check
// suite (Keystone token, catalog endpoints, JSON assertions), optionally through an SSH tunnel
// from an inventory host. Exit 0 only when every check passed; 1 when one failed; 2 on bad input.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { type Command, InvalidArgumentError } from 'commander';

import type { CheckRunReport, KeystoneParams } from '../../shared/models/checks';
import type { CliContext } from '../context';
import { askHidden } from '../tty-prompt';
import { hostOptions, openHostOs, type HostOsCliOptions } from './readiness';

interface CheckOptions extends HostOsCliOptions {
  suite: string;
  keystone?: string;
  user?: string;
  project?: string;
  userDomain: string;
  projectDomain: string;
  region?: string;
  interface: 'public' | 'internal' | 'admin';
  passwordEnv?: string;
  via?: string;
  ca?: string;
  insecure?: boolean;
  only?: string;
  concurrency: number;
  budgets: 'enforce' | 'warn';
  junit?: string;
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new InvalidArgumentError('a whole number from 1 to 64');
  return n;
}

function iface(v: string): 'public' | 'internal' | 'admin' {
  if (v === 'public' || v === 'internal' || v === 'admin') return v;
  throw new InvalidArgumentError('public, internal or admin');
}

/** Human lines: one per check, then a summary. */
export function checkTable(r: CheckRunReport): string {
  const lines: string[] = [];
  if (r.keystone)
    lines.push(
      `keystone ${r.keystone.url} (${r.keystone.user}/${r.keystone.project}): ${r.keystone.ok ? 'ok' : 'FAILED'} — ${r.keystone.message}`,
    );
  for (const c of r.results) {
    const flags = `${c.overBudget && c.ok ? ' [over budget]' : ''}${c.insecure ? ' [insecure TLS]' : ''}${c.via ? ` [via ${c.via}]` : ''}`;
    lines.push(
      `${c.ok ? 'PASS' : 'FAIL'}  ${c.id.padEnd(24)} ${String(c.status ?? '-').padStart(3)} ${`${Math.round(c.latencyMs)} ms`.padStart(8)}  ${c.message}${flags}`,
    );
  }
  lines.push(`${r.passed} passed, ${r.failed} failed (suite ${r.suite}, run ${r.runId})`);
  return lines.join('\n');
}

export function register(program: Command, ctx: CliContext): void {
  hostOptions(
    program
      .command('check')
      .description('Run API checks against Keystone-catalogued APIs; exit 0 only when all pass'),
  )
    .option(
      '-s, --suite <name|file>',
      'a built-in or user suite name, or a suite YAML file',
      'flock',
    )
    .option('--keystone <url>', 'Keystone URL (with or without /v3)')
    .option('--user <name>', 'Keystone user')
    .option('--project <name>', 'project to scope the token to')
    .option('--user-domain <name>', "the user's domain", 'Default')
    .option('--project-domain <name>', "the project's domain", 'Default')
    .option('--region <name>', 'catalog region (default: any)')
    .option('--interface <name>', 'catalog interface: public, internal or admin', iface, 'public')
    .option(
      '--password-env <VAR>',
      'read the password from this environment variable (else asked at the terminal)',
    )
    .option('--via <host>', 'reach the APIs through an SSH tunnel from this inventory host')
    .option('--ca <file>', 'PEM file of the CA(s) to trust')
    .option('--insecure', 'skip TLS verification (recorded in every result)')
    .option('--only <ids>', 'comma-separated check ids of the suite')
    .option('-c, --concurrency <n>', 'checks at once', positiveInt, 8)
    .option(
      '--budgets <mode>',
      'latency budgets: enforce (over budget fails) or warn (noted only)',
      (v: string) => {
        if (v === 'enforce' || v === 'warn') return v;
        throw new InvalidArgumentError('enforce or warn');
      },
      'enforce',
    )
    .option('--junit <file>', 'also write the results as JUnit XML')
    .option('--json', 'print the run report as JSON')
    .action(async (_o: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals<CheckOptions>();
      if (o.keystone && (!o.user || !o.project)) {
        throw new InvalidArgumentError('--keystone needs --user and --project');
      }
      let password: string | undefined;
      if (o.keystone && o.passwordEnv) {
        password = process.env[o.passwordEnv];
        if (!password) {
          console.error(`stx-lab check: environment variable ${o.passwordEnv} is empty or unset`);
          process.exitCode = 2;
          return;
        }
      }
      const { app, hostOs, close } = await openHostOs(ctx, o);
      const { ChecksService } = await import('../../core/checks/service');
      const { CheckStore } = await import('../../core/checks/store');
      const { loadSuiteFile } = await import('../../core/checks/suites');
      const { openStore } = await import('../../core/store/database');
      const { KeystoneParamsSchema, ChecksRunSchema } = await import('../../shared/models/checks');
      const { findResourcesDir } = await import('../../core/readiness/resources');
      const store = openStore(app.info().dataDir);
      const controller = new AbortController();
      const onSigint = (): void => controller.abort();
      process.once('SIGINT', onSigint);
      try {
        const checks = new ChecksService({
          store: new CheckStore(store.db),
          suitesDir: () => join(findResourcesDir(), 'checks'),
          pool: app.ssh.pool,
          target: (h) => hostOs.target(h),
          askPassword: (p: KeystoneParams) =>
            askHidden(`Keystone password for ${p.user} (project ${p.project}): `),
        });
        const isFile = /\.ya?ml$/.test(o.suite) || (o.suite.includes('/') && existsSync(o.suite));
        const file = isFile ? loadSuiteFile(o.suite) : undefined;
        const keystone = o.keystone
          ? KeystoneParamsSchema.parse({
              url: o.keystone,
              user: o.user,
              project: o.project,
              userDomain: o.userDomain,
              projectDomain: o.projectDomain,
              interface: o.interface,
              ...(o.region ? { region: o.region } : {}),
              ...(password ? { password } : {}),
            })
          : undefined;
        const input = ChecksRunSchema.parse({
          ...(file ? { checks: checks.checksOfFile(file) } : { suite: o.suite }),
          ...(o.only
            ? {
                only: o.only
                  .split(',')
                  .map((s) => s.trim())
                  .filter(Boolean),
              }
            : {}),
          ...(keystone ? { keystone } : {}),
          ...(o.via ? { via: o.via } : {}),
          ...(o.ca ? { ca: o.ca } : {}),
          insecure: o.insecure === true,
          concurrency: o.concurrency,
          budgets: o.budgets,
        });
        const report = await checks.run(input, {
          signal: controller.signal,
          ...(file ? { label: file.name } : {}),
          onEvent: (e) => {
            if (!o.json && process.stderr.isTTY && e.type === 'tunnel')
              console.error(`tunnel via ${e.via}: ${e.local} → ${e.remote}`);
          },
        });
        if (o.junit)
          writeFileSync(o.junit, (await import('../../core/checks/junit')).junitXml(report));
        if (o.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else console.log(checkTable(report));
        process.exitCode = report.ok ? 0 : 1;
      } finally {
        process.off('SIGINT', onSigint);
        store.db.close();
        await close();
      }
    });
}
