// `stx-lab hosts list|add|remove`: the inventory from scripts, through the same contract.
import { Option, type Command } from 'commander';

import { localClient } from '../../app/local-client';
import { AppError } from '../../shared/errors';
import { DEFAULT_SSH_PORT, HOST_ROLES as ROLES } from '../../shared/models/host-constants';
import type { Host, HostInput, Role } from '../../shared/models/hosts';
import type { CliContext, GlobalOptions } from '../context';

export function hostsTable(hosts: readonly Host[]): string {
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
  const app = await ctx.openApp(opts, 'cli');
  const client = localClient(app.dispatcher);
  try {
    return await fn(client);
  } finally {
    client.dispose();
    app.close();
  }
}

interface AddOptions extends GlobalOptions {
  address?: string;
  port?: string;
  user?: string;
  role?: Role[];
  group?: string[];
  key?: string;
  agent?: boolean;
  bmc?: string;
  bmcType?: 'redfish' | 'ipmi';
}

/** The host as it was, with only the options given on the command line changed. */
export function mergeHostInput(name: string, existing: Host | undefined, o: AddOptions): HostInput {
  const address = o.address ?? existing?.address;
  if (address === undefined) {
    throw AppError.field('invalid_input', 'address', 'a new host needs --address');
  }
  const bmcType = o.bmcType ?? existing?.bmc?.type ?? 'redfish';
  const bmcAddress = o.bmc ?? existing?.bmc?.address;
  const keepAuth = existing?.auth ?? { kind: 'agent' as const };
  return {
    ...(existing ? { id: existing.id, notes: existing.notes } : {}),
    name,
    address,
    port: o.port !== undefined ? Number(o.port) : (existing?.port ?? DEFAULT_SSH_PORT),
    user: o.user ?? existing?.user ?? null,
    roles: o.role ?? [...(existing?.roles ?? [])],
    groups: o.group ?? [...(existing?.groups ?? [])],
    bmc: bmcAddress
      ? { type: bmcType, address: bmcAddress, user: existing?.bmc?.user ?? null }
      : null,
    auth: o.key ? { kind: 'key', keyPath: o.key } : o.agent ? { kind: 'agent' } : keepAuth,
  };
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
      console.log(opts.json ? JSON.stringify(list, null, 2) : hostsTable(list));
    });
  hosts
    .command('add <name>')
    .description('add a host, or change only the given fields of the host with that name')
    .option('--address <addr>', 'host name or IP address (required for a new host)')
    .option('--port <n>', 'SSH port (default 22)')
    .option('--user <user>', 'SSH user')
    .addOption(new Option('--role <role...>', 'roles').choices([...ROLES]))
    .option('--group <group...>', 'groups')
    .option('--key <path>', 'sign in with this private key file')
    .option('--agent', 'sign in with the keys of ssh-agent')
    .option('--bmc <addr>', 'BMC address')
    .addOption(
      new Option('--bmc-type <type>', 'BMC type (default redfish)').choices(['redfish', 'ipmi']),
    )
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals<AddOptions>();
      const host = await withClient(ctx, o, async (c) => {
        const existing = (await c.call('hosts.list', {})).find((h) => h.name === name);
        return c.call('hosts.save', mergeHostInput(name, existing, o));
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
