// `stx-lab run FLOW.yaml [-i INV] [--input k=v]… [--forks N] [--junit FILE] [--json] [--yes]`
// Runs a flow to its end with live progress (stderr), then prints the outcome. Exit 0 only when
// the run succeeded. Also the follow/confirm logic `runs resume` shares.
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

import { type Command, InvalidArgumentError } from 'commander';

import type { App } from '../../app/create-app';
import type { InventorySource } from '../../core/fanout/exec-service';
import type { HostKeyCheck, SshTarget } from '../../core/ssh/types';
import type { RunDetail, RunEvent } from '../../shared/models/flows';
import type { CliContext, GlobalOptions } from '../context';
import { askHidden, ttyPrompter } from '../tty-prompt';

export interface FlowCliOptions extends GlobalOptions {
  inventory?: string;
  knownHosts?: string;
  acceptNew?: boolean;
  input: string[];
  forks?: number;
  junit?: string;
  json?: boolean;
  yes?: boolean;
}

export function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number from 1');
  return n;
}

export function collect(v: string, prev: string[]): string[] {
  if (!/^[A-Za-z_][A-Za-z0-9_-]*=/.test(v)) throw new InvalidArgumentError('NAME=VALUE');
  return [...prev, v];
}

export function parseInputs(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    out[p.slice(0, i)] = p.slice(i + 1);
  }
  return out;
}

function decide(acceptNew: boolean) {
  return (target: SshTarget, check: HostKeyCheck): Promise<boolean> => {
    const where = `${target.host}${target.port === 22 ? '' : `:${target.port}`}`;
    console.error(
      acceptNew
        ? `Warning: permanently added '${where}' (${check.keyType} ${check.fingerprint}) to the known hosts.`
        : `Host key for ${target.name} (${where}) is not known: ${check.keyType} ${check.fingerprint}\n` +
            '  Check it with the host owner, then run again with --accept-new to trust it.',
    );
    return Promise.resolve(acceptNew);
  };
}

export async function openFlowApp(
  ctx: CliContext,
  o: FlowCliOptions,
): Promise<{ app: App; inventory?: InventorySource }> {
  const app = await ctx.openApp(o, 'cli', {
    ...(o.knownHosts ? { userKnownHosts: o.knownHosts } : {}),
    decideUnknown: decide(o.acceptNew === true),
    prompter: ttyPrompter,
  });
  if (!o.inventory) return { app };
  const [{ loadInventoryFile }, { inventoryTargetHost }] = await Promise.all([
    import('../../core/inventory/ansible-yaml'),
    import('../../core/inventory/inventory-import'),
  ]);
  const inv = loadInventoryFile(o.inventory);
  return {
    app,
    inventory: { hosts: () => inv.hosts.map(inventoryTargetHost), groups: () => inv.groups },
  };
}

function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  return new Promise((resolve) =>
    rl.question(question, (a) => {
      rl.close();
      resolve(a);
    }),
  );
}

const ICON: Record<string, string> = {
  running: '▶',
  succeeded: '✔',
  failed: '✖',
  skipped: '↷',
  cancelled: '■',
  waiting: '?',
  ok: '  ✔',
};

function progressLine(e: RunEvent, tty: boolean): string | null {
  if (e.type === 'step') {
    const what = `${e.step}${e.attempt > 1 ? ` (try ${e.attempt})` : ''}`;
    const tail = e.error ? `: ${e.error}` : e.summary ? ` — ${e.summary}` : '';
    return tty ? `${ICON[e.status] ?? '·'} ${what}${tail}` : `step ${what} ${e.status}${tail}`;
  }
  if (e.type === 'host' && e.status !== 'running') {
    const tail = e.summary ? ` — ${e.summary}` : '';
    return tty
      ? `    ${e.status === 'ok' ? '✔' : '✖'} ${e.host}${tail}`
      : `host ${e.host} ${e.step} ${e.status}${tail}`;
  }
  if (e.type === 'run') return `run ${e.runId} ${e.status}${e.error ? `: ${e.error}` : ''}`;
  return null;
}

/** Follows a run of this process to its end: progress, confirmations, Ctrl-C = cancel. */
export async function follow(
  app: App,
  launch: () => { runId: string },
  o: FlowCliOptions,
): Promise<RunDetail> {
  const tty = process.stderr.isTTY === true;
  const interactive = tty && process.stdin.isTTY === true;
  let asking = Promise.resolve();
  // Subscribed before the run starts: its first events come while it is being launched.
  let runId = '';
  const off = app.flows.subscribe((e) => {
    if (runId === '') runId = e.runId;
    if (e.runId !== runId) return;
    if (!o.json || tty) {
      const line = progressLine(e, tty);
      if (line) console.error(line);
    }
    if (e.type !== 'confirm') return;
    asking = asking.then(async () => {
      if (o.yes) {
        console.error(`  confirmed by --yes: ${e.prompt}`);
        app.flows.confirm(runId, e.step, true, 'confirmed with --yes on the command line', 'cli');
      } else if (interactive) {
        const a = (await ask(`${e.prompt} [y/N] `)).trim().toLowerCase();
        const evidence = await ask('Evidence (what you saw): ');
        app.flows.confirm(runId, e.step, a === 'y' || a === 'yes', evidence, 'cli:tty');
      } else {
        console.error(
          `stx-lab: step "${e.step}" needs a person to confirm ("${e.prompt}"); ` +
            'run it on a terminal, or pass --yes to confirm every step',
        );
        app.flows.cancel(runId);
      }
    });
  });
  const onSigint = (): void => {
    console.error('cancelling…');
    if (runId) app.flows.cancel(runId);
  };
  process.once('SIGINT', onSigint);
  try {
    runId = launch().runId;
    await app.flows.done(runId);
    await asking;
  } finally {
    off();
    process.off('SIGINT', onSigint);
  }
  return app.flows.get(runId);
}

/** Prints the outcome, writes the JUnit file, sets the exit code. */
export function finish(app: App, run: RunDetail, o: FlowCliOptions): void {
  if (o.junit) writeFileSync(o.junit, app.flows.report(run.id, 'junit').text);
  if (o.json) console.log(JSON.stringify(run, null, 2));
  else {
    const c = run.counts;
    console.log(
      `${run.flowTitle}: ${run.status} — ${c.succeeded} succeeded · ${c.failed} failed · ${c.skipped} skipped` +
        ` (run ${run.id}${run.error ? `; ${run.error}` : ''})`,
    );
  }
  process.exitCode = run.status === 'succeeded' ? 0 : 1;
}

/** Secret inputs not given on the command line: asked at the terminal (never echoed). */
export async function askSecrets(
  names: readonly { name: string; title: string }[],
  given: Record<string, string>,
): Promise<void> {
  for (const s of names) {
    if (given[s.name] !== undefined) continue;
    const v = await askHidden(`${s.title}: `);
    if (v !== undefined) given[s.name] = v;
  }
}

export function flowOptions(cmd: Command): Command {
  return cmd
    .option('-i, --inventory <file>', "an Ansible inventory (INI or YAML) instead of the app's")
    .option('--known-hosts <file>', 'known_hosts file instead of ~/.ssh/known_hosts')
    .option('--accept-new', 'trust host keys seen for the first time (never changed ones)')
    .option('--input <name=value>', 'an input of the flow (repeat for more)', collect, [])
    .option('--junit <file>', 'write a JUnit XML report (one case per step × host)')
    .option('--json', 'print the run (steps, hosts, outputs) as JSON')
    .option('--yes', 'confirm every confirm step (evidence: "--yes")');
}

export function register(program: Command, ctx: CliContext): void {
  flowOptions(
    program
      .command('run')
      .description('run a flow (YAML runbook); exit 0 only when every step succeeded')
      .argument('<flow>', 'the flow file (.yaml)')
      .option('-f, --forks <n>', 'hosts at once per step', positiveInt),
  ).action(async (file: string, _o: unknown, cmd: Command) => {
    const o = cmd.optsWithGlobals<FlowCliOptions>();
    const { app, inventory } = await openFlowApp(ctx, o);
    try {
      const flow = app.flows.library.load(file);
      const inputs = parseInputs(o.input);
      await askSecrets(
        flow.inputs.filter((i) => i.type === 'secret'),
        inputs,
      );
      const launch = (): { runId: string } =>
        app.flows.start(
          { file, inputs, forks: o.forks },
          { actor: 'cli:run', ...(inventory ? { inventory } : {}) },
        );
      finish(app, await follow(app, launch, o), o);
    } finally {
      await app.ssh.dispose();
      app.close();
    }
  });
}
