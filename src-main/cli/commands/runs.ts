// `stx-lab runs list|show|resume|report`: the run history of the data folder.
import { writeFileSync } from 'node:fs';

import type { Command } from 'commander';

import { RUN_STATUSES, type RunStatus, type RunSummary } from '../../shared/models/flows';
import type { CliContext, GlobalOptions } from '../context';
import {
  askSecrets,
  finish,
  flowOptions,
  follow,
  openFlowApp,
  parseInputs,
  positiveInt,
  type FlowCliOptions,
} from './run';

function line(r: RunSummary): string {
  const c = r.counts;
  return [
    r.id,
    r.status.padEnd(11),
    r.startedAt.slice(0, 19).replace('T', ' '),
    `${c.succeeded}/${c.total}`.padStart(7),
    `${r.flowTitle}${r.error ? ` — ${r.error}` : ''}`,
  ].join('  ');
}

export function register(program: Command, ctx: CliContext): void {
  const runs = program.command('runs').description('flow runs: history, logs, resume, reports');

  runs
    .command('list')
    .description('runs, newest first')
    .option('--status <status>', `only runs in this state (${RUN_STATUSES.join(', ')})`)
    .option('--flow <id>', 'only runs of this flow')
    .option('--search <words>', 'flow, run id, error or log text')
    .option('-n, --limit <n>', 'at most this many', positiveInt, 50)
    .option('--json', 'JSON')
    .action(async (_o: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals<
        GlobalOptions & {
          status?: string;
          flow?: string;
          search?: string;
          limit: number;
          json?: boolean;
        }
      >();
      const app = await ctx.openApp(o, 'cli');
      try {
        if (o.status && !RUN_STATUSES.includes(o.status as RunStatus)) {
          throw new Error(`--status must be one of ${RUN_STATUSES.join(', ')}`);
        }
        const r = app.flows.list({
          limit: o.limit,
          inLog: o.search !== undefined,
          query: o.search,
          status: o.status as RunStatus | undefined,
          flow: o.flow,
        });
        if (o.json) console.log(JSON.stringify(r.runs, null, 2));
        else if (r.runs.length === 0) console.log('no runs');
        else for (const run of r.runs) console.log(line(run));
      } finally {
        app.close();
      }
    });

  runs
    .command('show')
    .description('one run: steps, hosts, outputs (--log: its whole log)')
    .argument('<id>', 'the run id')
    .option('--log', 'print the log lines too')
    .option('--json', 'JSON')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { log?: boolean; json?: boolean }>();
      const app = await ctx.openApp(o, 'cli');
      try {
        const run = app.flows.get(id);
        if (o.json && !o.log) {
          console.log(JSON.stringify(run, null, 2));
          return;
        }
        if (!o.json) {
          console.log(line(run));
          for (const s of run.steps) {
            console.log(
              `  ${s.status.padEnd(11)} ${s.id}${s.attempts > 1 ? ` (${s.attempts} tries)` : ''}${s.error ? `: ${s.error}` : s.summary ? ` — ${s.summary}` : ''}`,
            );
            for (const h of s.hosts)
              console.log(
                `      ${h.status.padEnd(9)} ${h.host}${h.summary ? ` — ${h.summary}` : ''}`,
              );
          }
        }
        if (!o.log) return;
        const all = [];
        let after = 0;
        for (;;) {
          const page = app.flows.log(id, { afterSeq: after, limit: 10_000, tail: false });
          for (const l of page.lines) {
            if (o.json) all.push(l);
            else
              console.log(
                `${l.step ?? '-'}${l.host ? `@${l.host}` : ''} ${l.stream === 'stdout' ? '' : `[${l.stream}] `}${l.text}`,
              );
          }
          after = page.lastSeq;
          if (!page.more) break;
        }
        if (o.json) console.log(JSON.stringify({ ...run, log: all }, null, 2));
      } finally {
        app.close();
      }
    });

  flowOptions(
    runs
      .command('resume')
      .description('continue an interrupted or failed run from its unfinished steps')
      .argument('<id>', 'the run id'),
  ).action(async (id: string, _o: unknown, cmd: Command) => {
    const o = cmd.optsWithGlobals<FlowCliOptions>();
    const { app, inventory } = await openFlowApp(ctx, o);
    try {
      const before = app.flows.get(id);
      const inputs = parseInputs(o.input);
      await askSecrets(
        before.secretInputs.map((n) => ({ name: n, title: n })),
        inputs,
      );
      if (!o.json) console.error(`resuming run ${id}: ${before.flowTitle}`);
      const launch = (): { runId: string } =>
        app.flows.resume(id, inputs, { actor: 'cli:resume', ...(inventory ? { inventory } : {}) });
      finish(app, await follow(app, launch, o), o);
    } finally {
      await app.ssh.dispose();
      app.close();
    }
  });

  runs
    .command('report')
    .description('a run as Markdown, HTML or JUnit XML')
    .argument('<id>', 'the run id')
    .option('--format <format>', 'markdown, html or junit', 'markdown')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { format: string; output?: string }>();
      if (!['markdown', 'html', 'junit'].includes(o.format)) {
        throw new Error('--format must be markdown, html or junit');
      }
      const app = await ctx.openApp(o, 'cli');
      try {
        const r = app.flows.report(id, o.format as 'markdown' | 'html' | 'junit');
        if (o.output) writeFileSync(o.output, r.text);
        else process.stdout.write(r.text);
      } finally {
        app.close();
      }
    });
}
