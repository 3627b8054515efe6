// The one-line summary of a fan-out, the hosts to run again, and the CLI's exit status.
//
// Buckets (every host is in exactly one):
//   ok          exited 0 with the majority's output (see grouping.ts for the majority)
//   differ      exited 0 with some other output
//   failed      the command failed on the host: non-zero exit, killed by a signal, timed out,
//               cancelled, or could not run there (error of kind 'other', e.g. command not found)
//   unreachable no connection, or the host key or authentication was refused
// The line always names `ok` and names the other buckets only when they are not zero:
// `41 ok · 2 differ · 1 failed · 3 unreachable`, `12 ok`, `0 ok · 3 unreachable`.
import type { FanoutSummary, SummaryBucket } from '../../shared/models/fanout';
import type { FanoutResult, HostResult } from './fanout';
import { groupOutputs, type Grouping, type GroupingOptions } from './grouping';

export type { FanoutSummary, SummaryBucket };
export const SUMMARY_BUCKETS: readonly SummaryBucket[] = ['ok', 'differ', 'failed', 'unreachable'];

export function bucketOf(host: HostResult, grouping: Grouping): SummaryBucket {
  switch (host.state) {
    case 'ok': {
      const group = grouping.hostGroup[host.host];
      return group !== undefined && group === grouping.majority ? 'ok' : 'differ';
    }
    case 'error':
      return host.errorKind === 'unreachable' || host.errorKind === 'refused'
        ? 'unreachable'
        : 'failed';
    case 'failed':
    case 'timeout':
    case 'cancelled':
      return 'failed';
  }
}

export function formatSummaryLine(counts: Readonly<Record<SummaryBucket, number>>): string {
  return SUMMARY_BUCKETS.filter((b) => b === 'ok' || counts[b] > 0)
    .map((b) => `${counts[b]} ${b}`)
    .join(' · ');
}

/** Pass the grouping the UI shows so both agree; by default outputs must match exactly. */
export function summarize(
  result: FanoutResult,
  grouping: Grouping | GroupingOptions = {},
): FanoutSummary {
  const g = 'groups' in grouping ? grouping : groupOutputs(result, grouping);
  const counts: Record<SummaryBucket, number> = { ok: 0, differ: 0, failed: 0, unreachable: 0 };
  const buckets: Record<string, SummaryBucket> = {};
  for (const h of result.hosts) {
    const b = bucketOf(h, g);
    buckets[h.host] = b;
    counts[b]++;
  }
  return { counts, buckets, line: formatSummaryLine(counts) };
}

/** Why a host may be run again; `differ` needs a grouping. */
export type RetryReason =
  | 'failed' // non-zero exit or signal
  | 'error' // could not run there (errorKind 'other')
  | 'unreachable'
  | 'refused'
  | 'timeout'
  | 'cancelled'
  | 'differ';

export const DEFAULT_RETRY: readonly RetryReason[] = [
  'failed',
  'error',
  'unreachable',
  'refused',
  'timeout',
];

function retryReason(h: HostResult, grouping: Grouping | undefined): RetryReason | null {
  switch (h.state) {
    case 'ok':
      if (!grouping) return null;
      return bucketOf(h, grouping) === 'differ' ? 'differ' : null;
    case 'error':
      return h.errorKind === 'unreachable' || h.errorKind === 'refused' ? h.errorKind : 'error';
    default:
      return h.state;
  }
}

/**
 * The hosts for "run again on the failed ones", in their original order. By default: failed,
 * error, unreachable, refused and timeout (not cancelled, not differ).
 */
export function failedHosts(
  result: FanoutResult,
  options: { readonly include?: readonly RetryReason[]; readonly grouping?: Grouping } = {},
): string[] {
  const include = new Set(options.include ?? DEFAULT_RETRY);
  const grouping =
    include.has('differ') && !options.grouping ? groupOutputs(result) : options.grouping;
  return result.hosts
    .filter((h) => {
      const reason = retryReason(h, grouping);
      return reason !== null && include.has(reason);
    })
    .map((h) => h.host);
}

/**
 * The CLI's exit status: 2 when some host was unreachable or refused (host key, auth), else 1
 * when the command did not exit 0 everywhere (failed, timeout, cancelled, could not run), else 0.
 * Hosts whose output differs but exited 0 do not change it.
 */
export function exitStatus(result: FanoutResult): 0 | 1 | 2 {
  let status: 0 | 1 | 2 = 0;
  for (const h of result.hosts) {
    if (h.state === 'error' && (h.errorKind === 'unreachable' || h.errorKind === 'refused')) {
      return 2;
    }
    if (h.state !== 'ok') status = 1;
  }
  return status;
}
