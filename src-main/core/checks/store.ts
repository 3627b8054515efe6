// Check runs, results (with the trend per check) and user suites in SQLite (migration 4).
// Stored: URLs, statuses, latencies, excerpts and the Keystone URL/user — never a password or
// a token (tokens travel in headers, which are not stored).
import type { Db } from '../store/database';
import type {
  CheckDef,
  CheckHistoryEntry,
  CheckResult,
  CheckRunReport,
  CheckRunSummary,
  KeystoneSummary,
} from '../../shared/models/checks';

interface RunRow {
  id: string;
  suite: string;
  started_at: string;
  finished_at: string;
  ok: number;
  passed: number;
  failed: number;
  insecure: number;
  via: string | null;
  keystone_url: string | null;
  keystone: string | null;
}

export interface UserSuiteRow {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly checks: CheckDef[];
}

export class CheckStore {
  constructor(private readonly db: Db) {}

  saveRun(r: CheckRunReport): void {
    const insRun = this.db.prepare(
      `INSERT INTO check_runs (id, suite, started_at, finished_at, ok, passed, failed, insecure, via, keystone_url, keystone)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insRes = this.db.prepare(
      `INSERT INTO check_results (run_id, position, check_id, at, ok, status, latency_ms, cause, message, body)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.db.transaction(() => {
      insRun.run(
        r.runId,
        r.suite,
        r.startedAt,
        r.finishedAt,
        r.ok ? 1 : 0,
        r.passed,
        r.failed,
        r.insecure ? 1 : 0,
        r.via ?? null,
        r.keystone?.url ?? null,
        r.keystone ? JSON.stringify(r.keystone) : null,
      );
      r.results.forEach((x, i) =>
        insRes.run(
          r.runId,
          i,
          x.id,
          r.finishedAt,
          x.ok ? 1 : 0,
          x.status,
          x.latencyMs,
          x.cause ?? null,
          x.message,
          JSON.stringify(x),
        ),
      );
    })();
  }

  runs(limit: number, suite?: string): CheckRunSummary[] {
    const rows = (
      suite
        ? this.db
            .prepare(
              'SELECT * FROM check_runs WHERE suite = ? ORDER BY started_at DESC, rowid DESC LIMIT ?',
            )
            .all(suite, limit)
        : this.db
            .prepare('SELECT * FROM check_runs ORDER BY started_at DESC, rowid DESC LIMIT ?')
            .all(limit)
    ) as RunRow[];
    return rows.map(summaryOf);
  }

  report(runId: string): CheckRunReport | undefined {
    const row = this.db.prepare('SELECT * FROM check_runs WHERE id = ?').get(runId) as
      RunRow | undefined;
    if (!row) return undefined;
    const results = (
      this.db
        .prepare('SELECT body FROM check_results WHERE run_id = ? ORDER BY position')
        .all(runId) as { body: string }[]
    ).map((r) => JSON.parse(r.body) as CheckResult);
    const s = summaryOf(row);
    return {
      runId: s.runId,
      suite: s.suite,
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
      ok: s.ok,
      passed: s.passed,
      failed: s.failed,
      insecure: s.insecure,
      ...(s.via ? { via: s.via } : {}),
      ...(row.keystone ? { keystone: JSON.parse(row.keystone) as KeystoneSummary } : {}),
      results,
    };
  }

  history(o: { check?: string; suite?: string; limit: number }): CheckHistoryEntry[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (o.check) {
      where.push('r.check_id = ?');
      args.push(o.check);
    }
    if (o.suite) {
      where.push('k.suite = ?');
      args.push(o.suite);
    }
    const sql = `SELECT r.run_id, r.at, k.suite, r.check_id, r.ok, r.status, r.latency_ms, r.cause, r.message
      FROM check_results r JOIN check_runs k ON k.id = r.run_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY r.at DESC, r.position LIMIT ?`;
    const rows = this.db.prepare(sql).all(...args, o.limit) as {
      run_id: string;
      at: string;
      suite: string;
      check_id: string;
      ok: number;
      status: number | null;
      latency_ms: number;
      cause: string | null;
      message: string;
    }[];
    return rows.map((r) => ({
      runId: r.run_id,
      at: r.at,
      suite: r.suite,
      id: r.check_id,
      ok: r.ok === 1,
      status: r.status,
      latencyMs: r.latency_ms,
      ...(r.cause ? { cause: r.cause as CheckHistoryEntry['cause'] & string } : {}),
      message: r.message,
    }));
  }

  userSuites(): UserSuiteRow[] {
    return (
      this.db
        .prepare('SELECT name, title, description, checks FROM check_suites ORDER BY name')
        .all() as {
        name: string;
        title: string;
        description: string;
        checks: string;
      }[]
    ).map((r) => ({ ...r, checks: JSON.parse(r.checks) as CheckDef[] }));
  }

  saveSuite(s: UserSuiteRow): void {
    this.db
      .prepare(
        `INSERT INTO check_suites (name, title, description, checks, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET title = excluded.title, description = excluded.description,
           checks = excluded.checks, updated_at = excluded.updated_at`,
      )
      .run(s.name, s.title, s.description, JSON.stringify(s.checks), new Date().toISOString());
  }

  deleteSuite(name: string): boolean {
    return this.db.prepare('DELETE FROM check_suites WHERE name = ?').run(name).changes > 0;
  }
}

function summaryOf(r: RunRow): CheckRunSummary {
  return {
    runId: r.id,
    suite: r.suite,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    ok: r.ok === 1,
    passed: r.passed,
    failed: r.failed,
    insecure: r.insecure === 1,
    ...(r.via ? { via: r.via } : {}),
    ...(r.keystone_url ? { keystoneUrl: r.keystone_url } : {}),
  };
}
