// The audit log: who did what to which target. Details never carry secrets.
import type { Db } from './database';

export interface AuditEntry {
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly detail?: Record<string, unknown>;
}

export interface AuditRow extends Required<AuditEntry> {
  readonly id: number;
  readonly at: string;
}

export class AuditLog {
  constructor(private readonly db: Db) {}

  record(entry: AuditEntry): void {
    this.db
      .prepare('INSERT INTO audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)')
      .run(
        new Date().toISOString(),
        entry.actor,
        entry.action,
        entry.target,
        JSON.stringify(entry.detail ?? {}),
      );
  }

  recent(limit = 100): AuditRow[] {
    const rows = this.db
      .prepare('SELECT id, at, actor, action, target, detail FROM audit ORDER BY id DESC LIMIT ?')
      .all(limit) as (Omit<AuditRow, 'detail'> & { detail: string })[];
    return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }
}
