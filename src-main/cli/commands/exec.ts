// `stx-lab exec [-i INV] [--known-hosts FILE] [--accept-new] [-f N] [-t S] [--json] PATTERN -- CMD…`
import { type Command, InvalidArgumentError } from 'commander';

import type { InventorySource } from '../../core/fanout/exec-service';
import type { HostKeyCheck, SshTarget } from '../../core/ssh/types';
import type { CliContext, GlobalOptions } from '../context';
import { formatReport, hostLine, jsonReport } from '../exec-output';
import { ttyPrompter } from '../tty-prompt';

interface ExecOptions extends GlobalOptions {
  inventory?: string;
  knownHosts?: string;
  acceptNew?: boolean;
  forks: number;
  timeout?: number;
  json?: boolean;
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number from 1');
  return n;
}

function seconds(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('a number of seconds above 0');
  return n;
}

function decide(acceptNew: boolean) {
  return async (target: SshTarget, check: HostKeyCheck): Promise<boolean> => {
    const where = `${target.host}${target.port === 22 ? '' : `:${target.port}`}`;
    if (acceptNew) {
      console.error(
        `Warning: permanently added '${where}' (${check.keyType} ${check.fingerprint}) to the known hosts.`,
      );
      return true;
    }
    console.error(
      `Host key for ${target.name} (${where}) is not known: ${check.keyType} ${check.fingerprint}\n` +
        '  Check it with the host owner, then run again with --accept-new to trust it.',
    );
    return false;
  };
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('exec')
    .description('run one command on many hosts; exit 0 all ok, 1 some failed, 2 some unreachable')
    .argument('<pattern>', 'hosts: names, globs, node[01-16], @group, &, !')
    .argument('<command...>', 'the command and its arguments (after --)')
    .option('-i, --inventory <file>', "an Ansible inventory (INI or YAML) instead of the app's")
    .option('--known-hosts <file>', 'known_hosts file instead of ~/.ssh/known_hosts')
    .option('--accept-new', 'trust host keys seen for the first time (never changed ones)')
    .option('-f, --forks <n>', 'hosts at once', positiveInt, 10)
    .option('-t, --timeout <seconds>', 'per-host time limit', seconds)
    .option('--json', 'print one JSON document with a record per host')
    .passThroughOptions()
    .action(async (pattern: string, words: string[], _o: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals<ExecOptions>();
      const argv = words[0] === '--' ? words.slice(1) : words;
      if (argv.length === 0) throw new InvalidArgumentError('no command given after the pattern');
      const app = await ctx.openApp(o, 'cli', {
        ...(o.knownHosts ? { userKnownHosts: o.knownHosts } : {}),
        decideUnknown: decide(o.acceptNew === true),
        prompter: ttyPrompter,
      });
      const controller = new AbortController();
      const onSigint = (): void => controller.abort();
      process.once('SIGINT', onSigint);
      try {
        let exec = app.exec;
        if (o.inventory) {
          const [{ ExecService }, { loadInventoryFile }, { inventoryTargetHost }] =
            await Promise.all([
              import('../../core/fanout/exec-service'),
              import('../../core/inventory/ansible-yaml'),
              import('../../core/inventory/inventory-import'),
            ]);
          const inv = loadInventoryFile(o.inventory);
          const source: InventorySource = {
            hosts: () => inv.hosts.map(inventoryTargetHost),
            groups: () => inv.groups,
          };
          exec = new ExecService(source, app.ssh.executor);
        }
        const report = await exec.run(
          {
            pattern,
            argv,
            forks: o.forks,
            ...(o.timeout !== undefined ? { timeoutSec: o.timeout } : {}),
          },
          {
            signal: controller.signal,
            onEvent: (e) => {
              // Live progress for a person watching; the report on stdout is complete either way.
              if (!o.json && process.stderr.isTTY && e.type === 'host-finished') {
                console.error(hostLine(e.result));
              }
            },
          },
        );
        console.log(o.json ? jsonReport(report) : formatReport(report));
        process.exitCode = report.exitStatus;
      } finally {
        process.off('SIGINT', onSigint);
        await app.ssh.dispose();
        app.close();
      }
    });
}
