// Hosts and groups of the inventory, persisted in SQLite. Passwords go to the secret store only.
import { AppError } from '../../shared/errors';
import type {
  AuthRef,
  Bmc,
  Group,
  GroupInput,
  Host,
  HostInputParsed,
  Role,
} from '../../shared/models/hosts';
import { GroupInputSchema } from '../../shared/models/hosts';
import { hostPasswordRef, type SecretStore } from '../secrets/secret-store';
import type { AuditLog } from '../store/audit';
import type { Db } from '../store/database';

interface HostRow {
  id: number;
  name: string;
  address: string;
  port: number;
  user: string | null;
  roles: string;
  bmc_type: 'redfish' | 'ipmi' | null;
  bmc_address: string | null;
  bmc_user: string | null;
  auth_kind: AuthRef['kind'];
  key_path: string | null;
  notes: string;
  proxy_jump: string;
  connection: 'ssh' | 'local';
  created_at: string;
  updated_at: string;
  groups: string | null;
}

const HOST_SELECT = `
  SELECT h.*, (SELECT json_group_array(group_name) FROM
    (SELECT group_name FROM host_groups WHERE host_id = h.id ORDER BY group_name)) AS groups
  FROM hosts h`;

export class HostsService {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretStore,
    private readonly audit: AuditLog,
  ) {}

  #toHost(row: HostRow): Host {
    const bmc: Bmc | null =
      row.bmc_type && row.bmc_address
        ? { type: row.bmc_type, address: row.bmc_address, user: row.bmc_user }
        : null;
    const auth: AuthRef =
      row.auth_kind === 'key'
        ? { kind: 'key', keyPath: row.key_path ?? '' }
        : { kind: row.auth_kind };
    return {
      id: row.id,
      name: row.name,
      address: row.address,
      port: row.port,
      user: row.user,
      roles: JSON.parse(row.roles) as Role[],
      groups: row.groups ? (JSON.parse(row.groups) as string[]) : [],
      bmc,
      auth,
      jump: JSON.parse(row.proxy_jump) as string[],
      connection: row.connection,
      hasPassword: row.auth_kind === 'password' && this.secrets.has(hostPasswordRef(row.id)),
      notes: row.notes,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  list(): Host[] {
    const rows = this.db
      .prepare(`${HOST_SELECT} ORDER BY h.name COLLATE NOCASE`)
      .all() as HostRow[];
    return rows.map((r) => this.#toHost(r));
  }

  get(id: number): Host {
    const row = this.db.prepare(`${HOST_SELECT} WHERE h.id = ?`).get(id) as HostRow | undefined;
    if (!row) throw new AppError('not_found', `there is no host with id ${id}`);
    return this.#toHost(row);
  }

  findByName(name: string): Host | undefined {
    const row = this.db.prepare(`${HOST_SELECT} WHERE h.name = ?`).get(name) as HostRow | undefined;
    return row ? this.#toHost(row) : undefined;
  }

  save(input: HostInputParsed, actor: string): Host {
    const clash = this.db
      .prepare('SELECT id FROM hosts WHERE name = ? AND id IS NOT ?')
      .get(input.name, input.id ?? null) as { id: number } | undefined;
    if (clash)
      throw AppError.field('conflict', 'name', `a host named "${input.name}" already exists`);
    if (input.password !== undefined && input.auth.kind !== 'password') {
      throw AppError.field(
        'invalid_input',
        'password',
        'a password goes with the "password" sign-in',
      );
    }
    const now = new Date().toISOString();
    const values = {
      name: input.name,
      address: input.address,
      port: input.port,
      user: input.user,
      roles: JSON.stringify(input.roles),
      bmc_type: input.bmc?.type ?? null,
      bmc_address: input.bmc?.address ?? null,
      bmc_user: input.bmc?.user ?? null,
      auth_kind: input.auth.kind,
      key_path: input.auth.kind === 'key' ? input.auth.keyPath : null,
      notes: input.notes,
      proxy_jump: JSON.stringify(input.jump),
      connection: input.connection,
      now,
    };
    const id = this.db.transaction(() => {
      let hostId: number;
      if (input.id === undefined) {
        const r = this.db
          .prepare(
            `INSERT INTO hosts (name, address, port, user, roles, bmc_type, bmc_address, bmc_user,
               auth_kind, key_path, notes, proxy_jump, connection, created_at, updated_at)
             VALUES (@name, @address, @port, @user, @roles, @bmc_type, @bmc_address, @bmc_user,
               @auth_kind, @key_path, @notes, @proxy_jump, @connection, @now, @now)`,
          )
          .run(values);
        hostId = Number(r.lastInsertRowid);
      } else {
        const r = this.db
          .prepare(
            `UPDATE hosts SET name=@name, address=@address, port=@port, user=@user, roles=@roles,
               bmc_type=@bmc_type, bmc_address=@bmc_address, bmc_user=@bmc_user,
               auth_kind=@auth_kind, key_path=@key_path, notes=@notes, proxy_jump=@proxy_jump,
               connection=@connection, updated_at=@now
             WHERE id=@id`,
          )
          .run({ ...values, id: input.id });
        if (r.changes === 0)
          throw new AppError('not_found', `there is no host with id ${input.id}`);
        hostId = input.id;
      }
      this.#setGroups(hostId, input.groups);
      return hostId;
    })();
    const ref = hostPasswordRef(id);
    if (input.auth.kind !== 'password') this.secrets.delete(ref);
    else if (input.password !== undefined) this.secrets.set(ref, input.password);
    this.audit.record({
      actor,
      action: input.id === undefined ? 'host.create' : 'host.update',
      target: input.name,
      detail: { address: input.address, port: input.port, auth: input.auth.kind },
    });
    return this.get(id);
  }

  #setGroups(hostId: number, groups: readonly string[]): void {
    this.db.prepare('DELETE FROM host_groups WHERE host_id = ?').run(hostId);
    const ensure = this.db.prepare('INSERT OR IGNORE INTO groups (name) VALUES (?)');
    const link = this.db.prepare(
      'INSERT INTO host_groups (host_id, group_name) SELECT ?, name FROM groups WHERE name = ?',
    );
    for (const g of groups) {
      ensure.run(g);
      link.run(hostId, g);
    }
  }

  delete(id: number, actor: string): string {
    const host = this.get(id);
    this.db.prepare('DELETE FROM hosts WHERE id = ?').run(id);
    this.secrets.delete(hostPasswordRef(id));
    this.audit.record({ actor, action: 'host.delete', target: host.name });
    return host.name;
  }

  listGroups(): Group[] {
    return this.db
      .prepare(
        `SELECT g.name, g.description, COUNT(hg.host_id) AS hostCount
         FROM groups g LEFT JOIN host_groups hg ON hg.group_name = g.name
         GROUP BY g.name ORDER BY g.name COLLATE NOCASE`,
      )
      .all() as Group[];
  }

  #group(name: string): Group {
    const g = this.listGroups().find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (!g) throw new AppError('not_found', `there is no group named "${name}"`);
    return g;
  }

  saveGroup(raw: GroupInput, actor: string): Group {
    const input = GroupInputSchema.parse(raw);
    const existing = this.db.prepare('SELECT name FROM groups WHERE name = ?');
    if (input.previousName === undefined) {
      if (existing.get(input.name)) {
        throw AppError.field('conflict', 'name', `a group named "${input.name}" already exists`);
      }
      this.db
        .prepare('INSERT INTO groups (name, description) VALUES (?, ?)')
        .run(input.name, input.description);
    } else {
      if (!existing.get(input.previousName)) {
        throw new AppError('not_found', `there is no group named "${input.previousName}"`);
      }
      const renaming = input.previousName.toLowerCase() !== input.name.toLowerCase();
      if (renaming && existing.get(input.name)) {
        throw AppError.field('conflict', 'name', `a group named "${input.name}" already exists`);
      }
      this.db
        .prepare('UPDATE groups SET name = ?, description = ? WHERE name = ?')
        .run(input.name, input.description, input.previousName);
    }
    this.audit.record({ actor, action: 'group.save', target: input.name });
    return this.#group(input.name);
  }

  deleteGroup(name: string, actor: string): string {
    const g = this.#group(name);
    this.db.prepare('DELETE FROM groups WHERE name = ?').run(g.name);
    this.audit.record({ actor, action: 'group.delete', target: g.name });
    return g.name;
  }
}
