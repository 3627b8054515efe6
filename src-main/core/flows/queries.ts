// Reading runs back: history with search and filters, log pages (follow, tail, search), and the
// timeline for replay (events and log lines merged by seq).
import type {
  RunEvent,
  RunEventBody,
  RunLogLine,
  RunLogPage,
  RunStatus,
  RunSummary,
  RunTimelinePage,
} from '../../shared/models/flows';
import { logKey, type RunRow, type RunStore } from './store';

interface LogRow {
  id: number;
  at: number;
  step: string | null;
  host: string | null;
  stream: string;
  text: string;
}

/** Words of a search as an FTS5 query that is always valid: each word quoted, all required. */
export function ftsQuery(search: string): string | null {
  const words = search
    .split(/\s+/)
    .map((w) => w.replace(/"/g, '""'))
    .filter((w) => w.length > 0);
  return words.length ? words.map((w) => `"${w}"`).join(' ') : null;
}

export interface ListQuery {
  readonly query?: string | undefined;
  readonly inLog: boolean;
  readonly status?: RunStatus | undefined;
  readonly flow?: string | undefined;
  readonly limit: number;
  readonly before?: string | undefined;
}

export function listRuns(store: RunStore, q: ListQuery): { runs: RunSummary[]; more: boolean } {
  const where: string[] = [];
  const vals: unknown[] = [];
  if (q.status) {
    where.push('status = ?');
    vals.push(q.status);
  }
  if (q.flow) {
    where.push('flow_id = ?');
    vals.push(q.flow);
  }
  if (q.before) {
    where.push('started_at < ?');
    vals.push(q.before);
  }
  const text = q.query?.trim();
  if (text) {
    const like = `%${text.toLowerCase()}%`;
    const parts = [
      'lower(flow_id) LIKE ?',
      'lower(flow_title) LIKE ?',
      'lower(id) LIKE ?',
      "lower(coalesce(error, '')) LIKE ?",
    ];
    vals.push(like, like, like, like);
    const fts = q.inLog ? ftsQuery(text) : null;
    if (fts) {
      parts.push(
        `n IN (SELECT DISTINCT rowid / 4294967296 FROM flow_log_fts WHERE flow_log_fts MATCH ? LIMIT 10000)`,
      );
      vals.push(fts);
      // Lines not indexed yet (a running step, or indexing still under way): by substring.
      parts.push(
        `n IN (SELECT r.n FROM flow_runs r WHERE r.fts_seq < r.last_seq AND EXISTS (
           SELECT 1 FROM flow_run_logs WHERE id > r.n * 4294967296 + r.fts_seq
             AND id <= r.n * 4294967296 + r.last_seq AND instr(lower(text), ?) > 0))`,
      );
      vals.push(text.toLowerCase());
    }
    where.push(`(${parts.join(' OR ')})`);
  }
  const sql = `SELECT * FROM flow_runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY started_at DESC, n DESC LIMIT ?`;
  const rows = store.db.prepare(sql).all(...vals, q.limit + 1) as RunRow[];
  return { runs: rows.slice(0, q.limit).map((r) => store.summary(r)), more: rows.length > q.limit };
}

export interface LogQuery {
  readonly step?: string | undefined;
  readonly host?: string | undefined;
  readonly afterSeq?: number | undefined;
  readonly limit: number;
  readonly search?: string | undefined;
  readonly tail: boolean;
}

export function logPage(store: RunStore, run: RunRow, q: LogQuery): RunLogPage {
  const lo = logKey(run.n, q.afterSeq ?? 0);
  const hi = logKey(run.n + 1, 0);
  const filters: string[] = [];
  const vals: unknown[] = [];
  if (q.step !== undefined) {
    filters.push('step = ?');
    vals.push(q.step);
  }
  if (q.host !== undefined) {
    filters.push('host = ?');
    vals.push(q.host);
  }
  const extra = filters.length ? ` AND ${filters.join(' AND ')}` : '';
  const order = q.tail ? 'DESC' : 'ASC';
  let rows: LogRow[];
  const fts = q.search ? ftsQuery(q.search) : null;
  if (fts && q.search) {
    // Indexed lines through FTS5; lines not yet indexed (a running step) by substring.
    const indexedHi = logKey(run.n, run.fts_seq);
    const words = q.search
      .toLowerCase()
      .split(/\s+/)
      .filter((w) => w);
    const ftsRows = store.db
      .prepare(
        `SELECT l.* FROM flow_log_fts f JOIN flow_run_logs l ON l.id = f.rowid
         WHERE flow_log_fts MATCH ? AND f.rowid > ? AND f.rowid <= ?${extra.replace(/(step|host) =/g, 'l.$1 =')}
         ORDER BY f.rowid ${order} LIMIT ?`,
      )
      .all(fts, lo, indexedHi, ...vals, q.limit + 1) as LogRow[];
    const likeRows = store.db
      .prepare(
        `SELECT * FROM flow_run_logs WHERE id > ? AND id < ?${extra}
         ${words.map(() => 'AND instr(lower(text), ?) > 0').join(' ')} ORDER BY id ${order} LIMIT ?`,
      )
      .all(Math.max(lo, indexedHi), hi, ...vals, ...words, q.limit + 1) as LogRow[];
    rows = (q.tail ? [...likeRows, ...ftsRows] : [...ftsRows, ...likeRows]).slice(0, q.limit + 1);
  } else {
    rows = store.db
      .prepare(
        `SELECT * FROM flow_run_logs WHERE id > ? AND id < ?${extra} ORDER BY id ${order} LIMIT ?`,
      )
      .all(lo, hi, ...vals, q.limit + 1) as LogRow[];
  }
  const more = rows.length > q.limit;
  const page = rows.slice(0, q.limit);
  if (q.tail) page.reverse();
  const lines: RunLogLine[] = page.map((r) => store.toLine(r));
  const last = lines.at(-1);
  const lastSeq = last ? last.seq : q.tail ? run.last_seq : (q.afterSeq ?? 0);
  return { lines, lastSeq, more };
}

export function timeline(
  store: RunStore,
  run: RunRow,
  afterSeq: number,
  limit: number,
): RunTimelinePage {
  const events = store.db
    .prepare(
      'SELECT seq, at, body FROM flow_run_events WHERE run_n = ? AND seq > ? ORDER BY seq LIMIT ?',
    )
    .all(run.n, afterSeq, limit + 1) as { seq: number; at: number; body: string }[];
  const logs = store.db
    .prepare('SELECT * FROM flow_run_logs WHERE id > ? AND id < ? ORDER BY id LIMIT ?')
    .all(logKey(run.n, afterSeq), logKey(run.n + 1, 0), limit + 1) as LogRow[];
  const out: RunEvent[] = [];
  let ei = 0;
  let li = 0;
  let count = 0;
  let batch: RunLogLine[] = [];
  const flush = (): void => {
    if (batch.length === 0) return;
    const last = batch.at(-1) as RunLogLine;
    out.push({ runId: run.id, seq: last.seq, at: last.at, type: 'log', lines: batch });
    batch = [];
  };
  while (count < limit && (ei < events.length || li < logs.length)) {
    const e = events[ei];
    const l = logs[li] ? store.toLine(logs[li] as LogRow) : undefined;
    if (e && (!l || e.seq < l.seq)) {
      flush();
      out.push({ ...(JSON.parse(e.body) as RunEventBody), runId: run.id, seq: e.seq, at: e.at });
      ei++;
    } else if (l) {
      // One batch per 100 ms of recorded time, so a replay keeps the rhythm of the output.
      if (batch.length && l.at - (batch[0] as RunLogLine).at > 100) flush();
      batch.push(l);
      li++;
    }
    count++;
  }
  flush();
  const lastSeq = out.length ? (out.at(-1) as RunEvent).seq : afterSeq;
  const more = ei < events.length || li < logs.length;
  return { events: out, lastSeq, more };
}
