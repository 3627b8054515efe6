// How a check result reads: its status as icon + word, latency against its budget, a trend line.
import type { Look } from '../ui/look';

export type CheckStatus = 'pending' | 'running' | 'pass' | 'fail' | 'error' | 'skipped' | 'slow';

export type CheckLook = Look;

/** Backends say ok/passed/pass, failed/fail, error; all read the same way here. */
export function normaliseStatus(status: string): CheckStatus {
  switch (status) {
    case 'ok':
    case 'pass':
    case 'passed':
    case 'green':
      return 'pass';
    case 'fail':
    case 'failed':
      return 'fail';
    case 'error':
    case 'unreachable':
    case 'timeout':
      return 'error';
    case 'slow':
    case 'over-budget':
      return 'slow';
    case 'running':
    case 'started':
      return 'running';
    case 'skipped':
    case 'cancelled':
      return 'skipped';
    default:
      return 'pending';
  }
}

export function checkLook(status: CheckStatus): CheckLook {
  switch (status) {
    case 'pending':
      return { label: 'Waiting', icon: 'clock', tone: 'muted' };
    case 'running':
      return { label: 'Running', icon: 'play', tone: 'accent' };
    case 'pass':
      return { label: 'Passed', icon: 'circle-check', tone: 'ok' };
    case 'slow':
      return { label: 'Slow', icon: 'hourglass', tone: 'warning' };
    case 'fail':
      return { label: 'Failed', icon: 'circle-x', tone: 'danger' };
    case 'error':
      return { label: 'Error', icon: 'alert', tone: 'danger' };
    case 'skipped':
      return { label: 'Skipped', icon: 'ban', tone: 'muted' };
  }
}

export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** "42 ms of 500 ms" and whether it went over. */
export function latencyVsBudget(
  ms: number | null | undefined,
  budgetMs: number | null | undefined,
): { text: string; over: boolean; ratio: number | null } {
  const text = formatLatency(ms);
  if (ms === null || ms === undefined || !budgetMs) return { text, over: false, ratio: null };
  return {
    text: `${text} of ${formatLatency(budgetMs)}`,
    over: ms > budgetMs,
    ratio: Math.min(1, ms / budgetMs),
  };
}

export interface TrendPoint {
  readonly latencyMs: number | null;
  readonly ok: boolean;
}

export interface SparkDot {
  readonly x: number;
  readonly y: number;
  readonly ok: boolean;
}

/**
 * Points of a latency sparkline in a width × height box (y grows downwards; the slowest run
 * touches the top). Runs without a latency (unreachable) sit on the baseline as failures.
 */
export function sparkline(
  points: readonly TrendPoint[],
  width: number,
  height: number,
  pad = 2,
): SparkDot[] {
  if (points.length === 0) return [];
  const max = Math.max(1, ...points.map((p) => p.latencyMs ?? 0));
  const step = points.length === 1 ? 0 : (width - 2 * pad) / (points.length - 1);
  return points.map((p, i) => ({
    x: round(points.length === 1 ? width / 2 : pad + i * step),
    y: round(height - pad - ((p.latencyMs ?? 0) / max) * (height - 2 * pad)),
    ok: p.ok,
  }));
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

export function trendSummary(points: readonly TrendPoint[]): string {
  if (points.length === 0) return 'no runs yet';
  const passed = points.filter((p) => p.ok).length;
  const lat = points.map((p) => p.latencyMs).filter((v): v is number => v !== null);
  const median = lat.length ? [...lat].sort((a, b) => a - b)[Math.floor(lat.length / 2)] : null;
  return `${passed} of ${points.length} runs passed, median ${formatLatency(median)}`;
}

/** Causes where the request itself did not get an HTTP answer (an error, not a failed check). */
const NO_ANSWER = new Set(['dns', 'refused', 'timeout', 'tls', 'network', 'tunnel', 'config']);

/**
 * A check's outcome. Over its latency budget it fails (cause `budget`) when budgets are
 * enforced, or passes marked `overBudget` when they only warn: that one reads "Slow".
 */
export function resultStatus(r: {
  readonly ok: boolean;
  readonly cause?: string | undefined;
  readonly overBudget?: boolean | undefined;
}): CheckStatus {
  if (r.ok) return r.overBudget ? 'slow' : 'pass';
  if (r.cause && NO_ANSWER.has(r.cause)) return 'error';
  return 'fail';
}

const CAUSES: Record<string, string> = {
  dns: 'Name not resolved',
  refused: 'Connection refused',
  timeout: 'Timed out',
  tls: 'TLS error',
  network: 'Network error',
  auth: 'Not authorised',
  endpoint: 'No such endpoint in the catalog',
  status: 'Unexpected status',
  'invalid-json': 'Not valid JSON',
  assertion: 'Assertion failed',
  body: 'Body does not match',
  budget: 'Over the latency budget',
  tunnel: 'SSH tunnel failed',
  config: 'Configuration error',
};

export function causeLabel(cause: string | undefined): string {
  if (!cause) return '';
  return CAUSES[cause] ?? cause;
}
