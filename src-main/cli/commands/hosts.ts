// `stx-lab hosts list|add|remove`: the inventory from scripts, through the same contract.
import { Option, type Command } from 'commander';

import { localClient } from '../../app/local-client';
import { AppError } from '../../shared/errors';
import { ROLES, type Host, type HostInput } from '../../shared/models/hosts';
import type { CliContext, GlobalOptions } from '../context';

function table(hosts: readonly Host[]): string {
  const rows = hosts.map((h) => [
    h.name,
    `${h.user ? `${h.user}@` : ''}${h.address}:${h.port}`,
    h.roles.join(',') || '-',
    h.groups.join(',') || '-',
    h.bmc ? `${h.bmc.type} ${h.bmc.address}` : '-',
    h.auth.kind === 'key' ? `key ${h.auth.keyPath}` : h.auth.kind,
  ]);
  const head = ['NAME', 'TARGET', 'ROLES', 'GROUPS', 'BMC', 'AUTH'];
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

async function withClient<T>(
  ctx: CliContext,
  opts: GlobalOptions,
  fn: (client: ReturnType<typeof localClient>) => Promise<T>,
): Promise<T> {
  const app = ctx.openApp(opts, 'cli');
  const client = localClient(app.dispatcher);
  try {
    return await fn(client);
  } finally {
    client.dispose();
    app.close();
  }
}

interface AddOptions extends GlobalOptions {
  address: string;
  port?: string;
  user?: string;
  role?: string[];
  group?: string[];
  key?: string;
  agent?: boolean;
  bmc?: string;
  bmcType?: 'redfish' | 'ipmi';
}

export function register(program: Command, ctx: CliContext): void {
  const hosts = program.command('hosts').description('list and edit the inventory');
  hosts
    .command('list')
    .description('list hosts')
    .option('--json', 'print JSON')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions & { json?: boolean }>();
      const list = await withClient(ctx, opts, (c) => c.call('hosts.list', {}));
      console.log(opts.json ? JSON.stringify(list, null, 2) : table(list));
    });
  hosts
    .command('add <name>')
    .description('add a host (or update the one with that name)')
    .requiredOption('--address <addr>', 'host name or IP address')
    .option('--port <n>', 'SSH port', '22')
    .option('--user <user>', 'SSH user')
    .addOption(new Option('--role <role...>', 'roles').choices([...ROLES]))
    .option('--group <group...>', 'groups')
    .option('--key <path>', 'sign in with this private key file')
    .option('--bmc <addr>', 'BMC address')
    .addOption(
      new Option('--bmc-type <type>', 'BMC type').choices(['redfish', 'ipmi']).default('redfish'),
    )
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals<AddOptions>();
      const host = await withClient(ctx, o, async (c) => {
        const existing = (await c.call('hosts.list', {})).find((h) => h.name === name);
        const input: HostInput = {
          ...(existing ? { id: existing.id } : {}),
          name,
          address: o.address,
          port: Number(o.port ?? 22),
          user: o.user ?? '',
          roles: (o.role ?? []) as HostInput['roles'],
          groups: o.group ?? [],
          bmc: o.bmc ? { type: o.bmcType ?? 'redfish', address: o.bmc } : null,
          auth: o.key ? { kind: 'key', keyPath: o.key } : { kind: 'agent' },
        };
        return c.call('hosts.save', input);
      });
      console.log(`saved ${host.name} (${host.address}:${host.port})`);
    });
  hosts
    .command('remove <name>')
    .alias('rm')
    .description('delete a host')
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions>();
      await withClient(ctx, o, async (c) => {
        const host = (await c.call('hosts.list', {})).find((h) => h.name === name);
        if (!host) throw new AppError('not_found', `there is no host named "${name}"`);
        await c.call('hosts.delete', { id: host.id });
      });
      console.log(`deleted ${name}`);
    });
}
