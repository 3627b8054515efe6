// The inventory model both Ansible importers (INI, YAML) produce, and the builder that applies
// Ansible's rules: implicit `all`/`ungrouped`, group-var inheritance (parents first, children
// override, siblings by ansible_group_priority then name; host vars override groups).
import { AppError } from '../../shared/errors';
import { BMC_TYPES, ROLES, type Role } from '../../shared/models/hosts';
import { jumpFromSshArgs } from './ssh-args';

export interface SourcePos {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export type VarValue =
  string | number | boolean | null | readonly VarValue[] | { readonly [k: string]: VarValue };

export interface VarEntry {
  readonly value: VarValue;
  readonly pos: SourcePos;
}

export interface InventoryHost {
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly user: string | null;
  readonly roles: Role[];
  /** Every group the host is in, directly or through children; `all` left out (as group_names). */
  readonly groups: string[];
  readonly bmc: { type: 'redfish' | 'ipmi'; address: string; user: string | null } | null;
  readonly auth: { kind: 'key'; keyPath: string } | { kind: 'agent' };
  /** ProxyJump chain, first hop first (`[user@]host[:port]`). */
  readonly jump: string[];
  /** Effective variables, stringified (lists and maps as JSON). */
  readonly vars: Record<string, string>;
  readonly source: { file: string; line: number };
}

export interface InventoryGroup {
  readonly name: string;
  readonly children: string[];
  readonly hosts: string[];
  readonly vars: Record<string, string>;
}

export interface InventoryWarning extends SourcePos {
  readonly message: string;
}

export interface Inventory {
  readonly hosts: InventoryHost[];
  readonly groups: InventoryGroup[];
  readonly warnings: InventoryWarning[];
}

/** An AppError for a position in an inventory file: message and details name file, line, column. */
export function posError(pos: SourcePos, reason: string): AppError {
  return new AppError('invalid_input', `${pos.file}:${pos.line}:${pos.column}: ${reason}`, {
    file: pos.file,
    line: pos.line,
    column: pos.column,
    reason,
  });
}

export function varToString(v: VarValue): string {
  if (typeof v === 'string') return v;
  if (v === null) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

interface GroupDraft {
  readonly name: string;
  readonly pos: SourcePos;
  readonly children: string[];
  readonly parents: Set<string>;
  readonly hosts: string[];
  readonly vars: Map<string, VarEntry>;
}

interface HostDraft {
  readonly name: string;
  readonly pos: SourcePos;
  readonly vars: Map<string, VarEntry>;
  readonly groups: Set<string>;
}

export class InventoryBuilder {
  private readonly groups = new Map<string, GroupDraft>();
  private readonly hosts = new Map<string, HostDraft>();
  private readonly warnings: InventoryWarning[] = [];

  constructor(readonly file: string) {
    this.group('all', { file, line: 0, column: 0 });
    this.group('ungrouped', { file, line: 0, column: 0 });
    this.addChild('all', 'ungrouped', { file, line: 0, column: 0 });
  }

  warn(pos: SourcePos, message: string): void {
    this.warnings.push({ ...pos, message });
  }

  group(name: string, pos: SourcePos): GroupDraft {
    let g = this.groups.get(name);
    if (!g) {
      if (name === '') throw posError(pos, 'a group needs a name');
      g = { name, pos, children: [], parents: new Set(), hosts: [], vars: new Map() };
      this.groups.set(name, g);
      if (name !== 'all' && name !== 'ungrouped') this.addChild('all', name, pos);
    }
    return g;
  }

  addChild(parent: string, child: string, pos: SourcePos): void {
    const p = this.group(parent, pos);
    const c = this.group(child, pos);
    if (child === 'all') throw posError(pos, `group "all" cannot be a child of "${parent}"`);
    if (parent === child || this.isAncestor(child, parent)) {
      throw posError(pos, `adding group "${child}" to "${parent}" makes a loop`);
    }
    if (!p.children.includes(child)) p.children.push(child);
    c.parents.add(parent);
  }

  private isAncestor(candidate: string, of: string): boolean {
    const seen = new Set<string>();
    const stack = [of];
    while (stack.length) {
      const g = this.groups.get(stack.pop()!);
      if (!g || seen.has(g.name)) continue;
      seen.add(g.name);
      for (const p of g.parents) {
        if (p === candidate) return true;
        stack.push(p);
      }
    }
    return false;
  }

  /** Adds a host to a group (creating the host the first time) and merges its vars. */
  addHost(
    group: string,
    name: string,
    pos: SourcePos,
    vars: ReadonlyMap<string, VarEntry> = new Map(),
  ): void {
    if (name === '') throw posError(pos, 'a host needs a name');
    let h = this.hosts.get(name);
    if (!h) {
      h = { name, pos, vars: new Map(), groups: new Set() };
      this.hosts.set(name, h);
    }
    for (const [k, v] of vars) h.vars.set(k, v);
    const g = this.group(group, pos);
    if (!g.hosts.includes(name)) g.hosts.push(name);
    h.groups.add(group);
  }

  setGroupVar(group: string, key: string, entry: VarEntry): void {
    this.group(group, entry.pos).vars.set(key, entry);
  }

  private depth(name: string, memo = new Map<string, number>()): number {
    const known = memo.get(name);
    if (known !== undefined) return known;
    const g = this.groups.get(name);
    const d =
      !g || g.parents.size === 0
        ? 0
        : 1 + Math.max(...[...g.parents].map((p) => this.depth(p, memo)));
    memo.set(name, d);
    return d;
  }

  private ancestors(groups: Iterable<string>): Set<string> {
    const out = new Set<string>();
    const stack = [...groups];
    while (stack.length) {
      const name = stack.pop()!;
      if (out.has(name)) continue;
      out.add(name);
      for (const p of this.groups.get(name)?.parents ?? []) stack.push(p);
    }
    return out;
  }

  private effectiveVars(h: HostDraft): Map<string, VarEntry> {
    const memo = new Map<string, number>();
    const priority = (g: GroupDraft) => {
      const v = g.vars.get('ansible_group_priority')?.value;
      return typeof v === 'number' ? v : Number(v ?? 1) || 1;
    };
    const groups = [...this.ancestors(h.groups)]
      .map((n) => this.groups.get(n)!)
      .sort(
        (a, b) =>
          this.depth(a.name, memo) - this.depth(b.name, memo) ||
          priority(a) - priority(b) ||
          (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
      );
    const out = new Map<string, VarEntry>();
    for (const g of groups) for (const [k, v] of g.vars) out.set(k, v);
    for (const [k, v] of h.vars) out.set(k, v);
    return out;
  }

  build(): Inventory {
    // Ansible: hosts in no group but `all` belong to `ungrouped`.
    const ungrouped = this.groups.get('ungrouped')!;
    for (const h of this.hosts.values()) {
      h.groups.delete('all');
      if (h.groups.size === 0) {
        h.groups.add('ungrouped');
        ungrouped.hosts.push(h.name);
      }
    }
    const all = this.groups.get('all')!;
    all.hosts.splice(0, all.hosts.length);
    const hosts = [...this.hosts.values()].map((h) => this.buildHost(h));
    const groups: InventoryGroup[] = [...this.groups.values()].map((g) => ({
      name: g.name,
      children: [...g.children],
      hosts: [...g.hosts],
      vars: Object.fromEntries([...g.vars].map(([k, v]) => [k, varToString(v.value)])),
    }));
    return { hosts, groups, warnings: [...this.warnings] };
  }

  private buildHost(h: HostDraft): InventoryHost {
    const vars = this.effectiveVars(h);
    const str = (...keys: string[]): { value: string; pos: SourcePos } | undefined => {
      for (const k of keys) {
        const e = vars.get(k);
        if (e && e.value !== null && varToString(e.value) !== '')
          return { value: varToString(e.value).trim(), pos: e.pos };
      }
      return undefined;
    };
    const portVar = str('ansible_port', 'ansible_ssh_port');
    let port = 22;
    if (portVar) {
      if (
        !/^\d+$/.test(portVar.value) ||
        Number(portVar.value) < 1 ||
        Number(portVar.value) > 65535
      ) {
        throw posError(
          portVar.pos,
          `ansible_port "${portVar.value}" of host ${h.name} is not a port (1-65535)`,
        );
      }
      port = Number(portVar.value);
    }
    const key = str('ansible_ssh_private_key_file', 'ansible_private_key_file');
    const jump: string[] = [];
    const sshArgs = [vars.get('ansible_ssh_common_args'), vars.get('ansible_ssh_extra_args')];
    for (const entry of sshArgs) {
      if (!entry || entry.value === null) continue;
      const r = jumpFromSshArgs(varToString(entry.value));
      if (r.error) throw posError(entry.pos, `host ${h.name}: ${r.error}`);
      if (r.warning) this.warn(entry.pos, `host ${h.name}: ${r.warning}`);
      if (r.jump) jump.splice(0, jump.length, ...r.jump);
    }
    return {
      name: h.name,
      address: str('ansible_host', 'ansible_ssh_host')?.value ?? h.name,
      port,
      user: str('ansible_user', 'ansible_ssh_user')?.value ?? null,
      roles: this.roles(h.name, vars.get('stx_roles')),
      groups: [...this.ancestors(h.groups)].filter((g) => g !== 'all').sort(),
      bmc: this.bmc(h.name, str('bmc_address'), str('bmc_type'), str('bmc_user')),
      auth: key ? { kind: 'key', keyPath: key.value } : { kind: 'agent' },
      jump,
      vars: Object.fromEntries([...vars].map(([k, v]) => [k, varToString(v.value)])),
      source: { file: h.pos.file, line: h.pos.line },
    };
  }

  private roles(host: string, entry: VarEntry | undefined): Role[] {
    if (!entry || entry.value === null) return [];
    const v = entry.value;
    const items = Array.isArray(v)
      ? (v as readonly VarValue[]).map((x) => varToString(x))
      : varToString(v).split(',');
    const roles: Role[] = [];
    for (const raw of items.map((s) => s.trim()).filter((s) => s !== '')) {
      if (!(ROLES as readonly string[]).includes(raw)) {
        throw posError(
          entry.pos,
          `host ${host}: stx_roles "${raw}" is not one of ${ROLES.join(', ')}`,
        );
      }
      if (!roles.includes(raw as Role)) roles.push(raw as Role);
    }
    return roles;
  }

  private bmc(
    host: string,
    address: { value: string; pos: SourcePos } | undefined,
    type: { value: string; pos: SourcePos } | undefined,
    user: { value: string; pos: SourcePos } | undefined,
  ): InventoryHost['bmc'] {
    if (type && !(BMC_TYPES as readonly string[]).includes(type.value)) {
      throw posError(type.pos, `host ${host}: bmc_type "${type.value}" is not redfish or ipmi`);
    }
    if (!address) {
      if (type) this.warn(type.pos, `host ${host}: bmc_type without bmc_address is ignored`);
      return null;
    }
    if (!type) this.warn(address.pos, `host ${host}: no bmc_type; assuming redfish`);
    return {
      type: (type?.value ?? 'redfish') as 'redfish' | 'ipmi',
      address: address.value,
      user: user?.value ?? null,
    };
  }
}
