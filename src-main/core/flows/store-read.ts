// Reading a run back from SQLite: its steps with per-host results, its summary line, log rows.
import type {
  HostStepStatus,
  RunConfirmation,
  RunHostResult,
  RunLogLine,
  RunLogStream,
  RunStep,
  RunSummary,
  StepStatus,
} from '../../shared/models/flows';
import type { Db } from '../store/database';
import type { RunRow } from './store';

const SHIFT = 2 ** 32;

interface StepRow {
  step_id: string;
  title: string;
  kind: string;
  say: string | null;
  needs: string;
  status: StepStatus;
  attempts: number;
  started_at: string | null;
  ended_at: string | null;
  summary: string | null;
  error: string | null;
  outputs: string;
  confirm: string | null;
}

export interface LogRowOut {
  readonly id: number;
  readonly at: number;
  readonly step: string | null;
  readonly host: string | null;
  readonly stream: string;
  readonly text: string;
}

export function readSteps(db: Db, n: number): RunStep[] {
  const rows = db
    .prepare('SELECT * FROM flow_run_steps WHERE run_n = ? ORDER BY position')
    .all(n) as StepRow[];
  const hosts = db
    .prepare('SELECT * FROM flow_run_hosts WHERE run_n = ? ORDER BY step_id, position')
    .all(n) as {
    step_id: string;
    host: string;
    status: HostStepStatus;
    summary: string | null;
    started_at: string | null;
    ended_at: string | null;
  }[];
  const byStep = new Map<string, RunHostResult[]>();
  for (const h of hosts) {
    const list = byStep.get(h.step_id) ?? [];
    list.push({
      host: h.host,
      status: h.status,
      summary: h.summary,
      startedAt: h.started_at,
      endedAt: h.ended_at,
    });
    byStep.set(h.step_id, list);
  }
  return rows.map((r) => ({
    id: r.step_id,
    title: r.title,
    kind: r.kind,
    say: r.say,
    needs: JSON.parse(r.needs) as string[],
    status: r.status,
    attempts: r.attempts,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    summary: r.summary,
    error: r.error,
    outputs: JSON.parse(r.outputs) as Record<string, unknown>,
    hosts: byStep.get(r.step_id) ?? [],
    confirm: r.confirm ? (JSON.parse(r.confirm) as RunConfirmation) : null,
  }));
}

export function runSummary(db: Db, row: RunRow): RunSummary {
  const counts = db
    .prepare(
      `SELECT count(*) AS total,
         sum(status = 'succeeded') AS succeeded, sum(status = 'failed') AS failed,
         sum(status = 'skipped') AS skipped, sum(status IN ('running', 'waiting')) AS running
       FROM flow_run_steps WHERE run_n = ?`,
    )
    .get(row.n) as Record<string, number | null>;
  const end = row.ended_at ? Date.parse(row.ended_at) : null;
  return {
    id: row.id,
    flowId: row.flow_id,
    flowTitle: row.flow_title,
    file: row.file,
    status: row.status,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    durationMs: end !== null ? end - Date.parse(row.started_at) : null,
    counts: {
      total: counts.total ?? 0,
      succeeded: counts.succeeded ?? 0,
      failed: counts.failed ?? 0,
      skipped: counts.skipped ?? 0,
      running: counts.running ?? 0,
    },
    error: row.error,
    actor: row.actor,
    logLines: row.log_lines,
  };
}

export function logLine(r: LogRowOut): RunLogLine {
  return {
    seq: r.id % SHIFT,
    at: r.at,
    step: r.step,
    host: r.host,
    stream: r.stream as RunLogStream,
    text: r.text,
  };
}
