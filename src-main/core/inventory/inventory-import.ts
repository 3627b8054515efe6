// Imports an Ansible inventory file into the app's inventory (SQLite): hosts are added or
// updated by name, groups created; passwords are never part of an inventory.
import { AppError } from '../../shared/errors';
import type { ImportReport } from '../../shared/models/exec';
import { HostInputSchema, type HostInput } from '../../shared/models/hosts';
import { loadInventoryFile } from './ansible-yaml';
import type { HostsService } from './hosts-service';
import type { TargetHost } from '../fanout/targets';
import type { InventoryHost } from './inventory';

function toInput(h: InventoryHost, id: number | undefined, notes: string): HostInput {
  return {
    ...(id === undefined ? {} : { id }),
    name: h.name,
    address: h.address,
    port: h.port,
    user: h.user,
    roles: [...h.roles],
    groups: [...h.groups],
    bmc: h.bmc ? { ...h.bmc } : null,
    auth: h.auth.kind === 'key' ? { kind: 'key', keyPath: h.auth.keyPath } : { kind: 'agent' },
    jump: [...h.jump],
    notes,
  };
}

/** An inventory host as a target host (for running on a file's hosts without importing them). */
export function inventoryTargetHost(h: InventoryHost): TargetHost {
  return {
    name: h.name,
    address: h.address,
    port: h.port,
    user: h.user,
    auth: h.auth,
    jump: h.jump,
    groups: h.groups,
    connection: h.vars.ansible_connection === 'local' ? 'local' : 'ssh',
  };
}

export function importInventory(file: string, hosts: HostsService, actor: string): ImportReport {
  const inventory = loadInventoryFile(file);
  const added: string[] = [];
  const updated: string[] = [];
  // Validate everything first: one bad host must not leave half an import behind.
  const inputs = inventory.hosts.map((h) => {
    const existing = hosts.findByName(h.name);
    const parsed = HostInputSchema.safeParse(toInput(h, existing?.id, existing?.notes ?? ''));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') ?? '';
      throw new AppError(
        'invalid_input',
        `${h.source.file}:${h.source.line}: host "${h.name}": ${field ? `${field}: ` : ''}${issue?.message ?? 'invalid'}`,
        { file: h.source.file, line: h.source.line, host: h.name, field },
      );
    }
    return { data: parsed.data, existed: existing !== undefined };
  });
  for (const { data, existed } of inputs) {
    hosts.save(data, actor);
    (existed ? updated : added).push(data.name);
  }
  return {
    file,
    added,
    updated,
    groups: inventory.groups.map((g) => g.name).filter((g) => g !== 'all' && g !== 'ungrouped'),
    warnings: inventory.warnings.map((w) => `${w.file}:${w.line}:${w.column}: ${w.message}`),
  };
}
