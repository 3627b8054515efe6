// Imports the concrete Host entries of an ssh_config file (Include, tokens and ProxyJump
// resolved as `ssh -G` would) into the app's inventory.
import { homedir, userInfo } from 'node:os';

import type { ImportReport } from '../../shared/models/exec';
import { HostInputSchema, type HostInputParsed } from '../../shared/models/hosts';
import type { HostsService } from './hosts-service';
import { loadSshConfig } from './ssh-config';

export function importSshConfig(file: string, hosts: HostsService, actor: string): ImportReport {
  const config = loadSshConfig(file, { home: homedir(), user: userInfo().username });
  const warnings = config.warnings.map((w) => `${w.file}:${w.line}: ${w.message}`);
  const inputs: HostInputParsed[] = [];
  for (const alias of config.listHosts()) {
    const r = config.resolve(alias);
    if (r.proxyCommand) warnings.push(`${alias}: ProxyCommand is not run; use ProxyJump`);
    const existing = hosts.findByName(alias);
    const parsed = HostInputSchema.safeParse({
      ...(existing ? { id: existing.id, notes: existing.notes } : {}),
      name: alias,
      address: r.host,
      port: r.port,
      user: r.user,
      roles: existing ? [...existing.roles] : [],
      groups: existing ? [...existing.groups] : [],
      bmc: existing?.bmc ?? null,
      auth: r.identityFiles[0] ? { kind: 'key', keyPath: r.identityFiles[0] } : { kind: 'agent' },
      jump: r.proxyJump,
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      warnings.push(
        `${alias}: skipped: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
      );
      continue;
    }
    inputs.push(parsed.data);
  }
  const added: string[] = [];
  const updated: string[] = [];
  for (const input of inputs) {
    (input.id === undefined ? added : updated).push(input.name);
    hosts.save(input, actor);
  }
  return { file, added, updated, groups: [], warnings };
}
