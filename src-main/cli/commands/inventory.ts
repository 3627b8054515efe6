// `stx-lab inventory import FILE` and `stx-lab inventory list [--json] [PATTERN]`.
import type { Command } from 'commander';

import { localClient } from '../../app/local-client';
import { resolvePattern } from '../../core/inventory/patterns';
import { AppError } from '../../shared/errors';
import type { CliContext, GlobalOptions } from '../context';
import { hostsTable } from './hosts';

interface ListOptions extends GlobalOptions {
  json?: boolean;
  inventory?: string;
}

export function register(program: Command, ctx: CliContext): void {
  const inv = program.command('inventory').description('import and list inventories');
  inv
    .command('import <file>')
    .description('import an Ansible inventory (INI or YAML), or with --ssh-config an ssh_config')
    .option('--ssh-config', 'the file is an OpenSSH client config (e.g. ~/.ssh/config)')
    .action(async (file: string, _o: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { sshConfig?: boolean }>();
      const app = await ctx.openApp(o, 'cli');
      const client = localClient(app.dispatcher);
      try {
        const r = await client.call('inventory.import', {
          path: file,
          format: o.sshConfig ? 'ssh-config' : 'ansible',
        });
        console.log(
          `imported ${r.file}: ${r.added.length} added, ${r.updated.length} updated, ` +
            `${r.groups.length} groups`,
        );
        for (const w of r.warnings) console.error(`warning: ${w}`);
      } finally {
        client.dispose();
        app.close();
      }
    });
  inv
    .command('list [pattern]')
    .description("list the app's hosts (or a file's, with -i) that a pattern selects")
    .option('-i, --inventory <file>', "an Ansible inventory file instead of the app's")
    .option('--json', 'print JSON')
    .action(async (pattern: string | undefined, _o: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals<ListOptions>();
      let hosts: { name: string; groups: readonly string[] }[];
      let groups: { name: string }[];
      let print: (names: Set<string>) => string;
      if (o.inventory) {
        const { loadInventoryFile } = await import('../../core/inventory/ansible-yaml');
        const file = loadInventoryFile(o.inventory);
        hosts = file.hosts;
        groups = file.groups;
        print = (names) =>
          o.json
            ? JSON.stringify(
                file.hosts.filter((h) => names.has(h.name)),
                null,
                2,
              )
            : file.hosts
                .filter((h) => names.has(h.name))
                .map(
                  (h) =>
                    `${h.name}\t${h.user ? `${h.user}@` : ''}${h.address}:${h.port}\t${h.groups.join(',')}`,
                )
                .join('\n');
      } else {
        const app = await ctx.openApp(o, 'cli');
        try {
          const list = app.hosts.list();
          hosts = list;
          groups = app.hosts.listGroups();
          print = (names) => {
            const chosen = list.filter((h) => names.has(h.name));
            return o.json ? JSON.stringify(chosen, null, 2) : hostsTable(chosen);
          };
        } finally {
          app.close();
        }
      }
      const r = resolvePattern(pattern ?? 'all', { hosts, groups });
      if (r.error) {
        throw new AppError('invalid_input', `${r.error.message} (column ${r.error.column})`);
      }
      for (const u of r.unknown) console.error(`warning: no host matched "${u}"`);
      console.log(print(new Set(r.hosts)));
    });
}
