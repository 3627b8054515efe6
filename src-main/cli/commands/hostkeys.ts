// `stx-lab hostkeys list [PATTERN]` and `stx-lab hostkeys rekey PATTERN` (reimaged hosts).
import type { Command } from 'commander';

import { localClient } from '../../app/local-client';
import { resolvePattern } from '../../core/inventory/patterns';
import { AppError } from '../../shared/errors';
import type { CliContext, GlobalOptions } from '../context';

async function withNames<T>(
  ctx: CliContext,
  o: GlobalOptions,
  pattern: string,
  fn: (client: ReturnType<typeof localClient>, names: string[]) => Promise<T>,
): Promise<T> {
  const app = await ctx.openApp(o, 'cli');
  const client = localClient(app.dispatcher);
  try {
    const r = resolvePattern(pattern, { hosts: app.hosts.list(), groups: app.hosts.listGroups() });
    if (r.error)
      throw new AppError('invalid_input', `${r.error.message} (column ${r.error.column})`);
    for (const u of r.unknown) console.error(`warning: no host matched "${u}"`);
    return await fn(client, r.hosts);
  } finally {
    client.dispose();
    app.close();
  }
}

export function register(program: Command, ctx: CliContext): void {
  const keys = program.command('hostkeys').description('pinned SSH host keys');
  keys
    .command('list [pattern]')
    .description('show the pinned keys of hosts, as OpenSSH prints their fingerprints')
    .option('--json', 'print JSON')
    .action(async (pattern: string | undefined, _o: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { json?: boolean }>();
      await withNames(ctx, o, pattern ?? 'all', async (client, names) => {
        const wanted = new Set(names);
        const status = (await client.call('hosts.sshStatus', {})).filter((s) => wanted.has(s.name));
        if (o.json) {
          console.log(JSON.stringify(status, null, 2));
          return;
        }
        for (const s of status) {
          if (s.pinned.length === 0) console.log(`${s.name}\t(no key pinned)`);
          for (const k of s.pinned)
            console.log(`${s.name}\t${k.keyType} ${k.fingerprint}\t${k.file}:${k.line}`);
        }
      });
    });
  keys
    .command('rekey <pattern>')
    .description("forget the app's pinned keys of reimaged hosts (recorded in the audit log)")
    .action(async (pattern: string, _o: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions>();
      await withNames(ctx, o, pattern, async (client, names) => {
        if (names.length === 0) throw new AppError('invalid_input', `"${pattern}" matches no host`);
        const r = await client.call('hostkeys.rekey', { hosts: names });
        console.log(
          `forgot ${r.removed} pinned key${r.removed === 1 ? '' : 's'} of ${names.join(', ')}`,
        );
        for (const p of r.stillPinned) {
          console.error(
            `still pinned in ${p.file}:${p.line} (not ours to edit: ssh-keygen -R there)`,
          );
        }
      });
    });
}
