// How a run reads: state labels and icons, durations, host lists, the "run again" pattern.
import type { ExecReport, HostErrorKind, HostState } from '@shared/models/fanout';

import type { Look } from '../ui/look';

export type StateLook = Look;

export function stateLook(state: HostState, errorKind: HostErrorKind | null = null): StateLook {
  switch (state) {
    case 'queued':
      return { label: 'Queued', icon: 'clock', tone: 'muted' };
    case 'running':
      return { label: 'Running', icon: 'play', tone: 'accent' };
    case 'ok':
      return { label: 'OK', icon: 'circle-check', tone: 'ok' };
    case 'failed':
      return { label: 'Failed', icon: 'circle-x', tone: 'danger' };
    case 'timeout':
      return { label: 'Timed out', icon: 'hourglass', tone: 'warning' };
    case 'cancelled':
      return { label: 'Cancelled', icon: 'ban', tone: 'muted' };
    case 'error':
      if (errorKind === 'unreachable')
        return { label: 'Unreachable', icon: 'unplug', tone: 'danger' };
      if (errorKind === 'refused') return { label: 'Refused', icon: 'shield', tone: 'danger' };
      return { label: 'Error', icon: 'alert', tone: 'danger' };
  }
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** "a, b, c and 4 more" */
export function hostList(names: readonly string[], max = 6): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Hosts worth running again: the command failed, timed out, or never ran there. */
export function failedHosts(report: ExecReport): string[] {
  return report.hosts
    .filter((h) => h.state === 'failed' || h.state === 'error' || h.state === 'timeout')
    .map((h) => h.host);
}

/** A pattern that selects exactly these hosts (inventory names need no quoting). */
export function patternOf(hosts: readonly string[]): string {
  return hosts.join(',');
}

/** The summary line split into its parts, each with its bucket for the color. */
export function summaryParts(line: string): { text: string; bucket: string }[] {
  return line.split(' · ').map((text) => ({ text, bucket: text.split(' ')[1] ?? '' }));
}

/** Why a field of the form cannot run, or '' when it can. */
export function parseForks(text: string): number | string {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return 'a whole number from 1 to 500';
  const n = Number(t);
  return n >= 1 && n <= 500 ? n : 'a whole number from 1 to 500';
}

export function parseTimeout(text: string): number | undefined | string {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) && n > 0 && n <= 86_400
    ? n
    : 'seconds, from 0.1 to 86400 (empty: none)';
}

/**
 * A summary line from the rows alone, for a run that ended without a report (cancelled: the
 * server answers a cancelled call with an error). Without outputs to compare, there is no
 * "differ"; hosts stopped by the cancel count as cancelled.
 */
export function rowsSummary(
  rows: readonly { state: HostState; errorKind: HostErrorKind | null }[],
): string {
  const counts = { ok: 0, failed: 0, unreachable: 0, cancelled: 0 };
  for (const r of rows) {
    if (r.state === 'ok') counts.ok++;
    else if (r.state === 'error' && (r.errorKind === 'unreachable' || r.errorKind === 'refused'))
      counts.unreachable++;
    else if (r.state === 'failed' || r.state === 'error' || r.state === 'timeout') counts.failed++;
    else counts.cancelled++;
  }
  return Object.entries(counts)
    .filter(([k, n]) => k === 'ok' || n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(' · ');
}
