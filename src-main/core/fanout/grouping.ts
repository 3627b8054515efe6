// Identical outputs grouped, the majority found, and each other group diffed against it.
//
// Grouped: hosts whose command ran to its end (state ok or failed). Hosts in error, timeout or
// cancelled have no comparable output and are listed in `ungrouped`.
// Key: exit code (or signal) + stdout + stderr, optionally ignoring trailing whitespace.
// Order: more hosts first; at equal size, exit 0 before non-zero, then the group whose first
// host comes first in the target order.
// Majority (the reference the others are compared with): the largest group of hosts that exited
// 0, i.e. the healthy majority; only when no host exited 0, the largest group of all. At equal
// size the tie rule above picks it (earliest host in target order), and `tied` says so.
import { createHash } from 'node:crypto';

import type { FanoutResult, HostResult } from './fanout';
import type { GroupDiff, Grouping, OutputGroup } from '../../shared/models/fanout';
import { type DiffOptions, diffLines } from './line-diff';

export type { GroupDiff, Grouping, OutputGroup };

export interface GroupingOptions {
  /**
   * Compare ignoring trailing spaces, tabs and CR on each line and blank lines at the end
   * (so CRLF output equals LF output). Default false: outputs must match byte for byte.
   */
  readonly ignoreTrailingWhitespace?: boolean;
  /** Context lines and size limits for the diffs. */
  readonly diff?: Omit<DiffOptions, 'ignoreTrailingWhitespace'>;
}

/** Text as compared when ignoring trailing whitespace. */
export function normalizeOutput(text: string): string {
  return text.replace(/[ \t\r]+$/gm, '').replace(/\n+$/, '');
}

function groupKey(h: HostResult, ignore: boolean): string {
  const norm = ignore ? normalizeOutput : (s: string): string => s;
  const status = h.exitCode !== null ? `exit ${h.exitCode}` : `signal ${h.signal ?? '?'}`;
  const hash = createHash('sha256');
  for (const part of [status, norm(h.stdout), norm(h.stderr)]) {
    hash.update(`${Buffer.byteLength(part)}:`).update(part);
  }
  return hash.digest('hex').slice(0, 32);
}

interface Building {
  key: string;
  first: HostResult;
  firstIndex: number;
  hosts: string[];
}

export function groupOutputs(result: FanoutResult, options: GroupingOptions = {}): Grouping {
  const ignore = options.ignoreTrailingWhitespace ?? false;
  const byKey = new Map<string, Building>();
  const ungrouped: string[] = [];
  result.hosts.forEach((h, index) => {
    if (h.state !== 'ok' && h.state !== 'failed') {
      ungrouped.push(h.host);
      return;
    }
    const key = groupKey(h, ignore);
    const g = byKey.get(key);
    if (g) g.hosts.push(h.host);
    else byKey.set(key, { key, first: h, firstIndex: index, hosts: [h.host] });
  });

  const zero = (g: Building): number => (g.first.exitCode === 0 ? 0 : 1);
  const sorted = [...byKey.values()].sort(
    (a, b) => b.hosts.length - a.hosts.length || zero(a) - zero(b) || a.firstIndex - b.firstIndex,
  );
  const healthy = sorted.filter((g) => g.first.exitCode === 0);
  const pool = healthy.length > 0 ? healthy : sorted;
  const chosen = pool[0];
  const tied =
    chosen !== undefined &&
    pool.some((g) => g !== chosen && g.hosts.length === chosen.hosts.length);

  const diffOptions: DiffOptions = { ...options.diff, ignoreTrailingWhitespace: ignore };
  const same = (a: string, b: string): boolean =>
    ignore ? normalizeOutput(a) === normalizeOutput(b) : a === b;
  const groups = sorted.map((g): OutputGroup => {
    const isMajority = g === chosen;
    let diff: GroupDiff | null = null;
    if (!isMajority && chosen) {
      const ref = chosen.first;
      diff = {
        stdout: diffLines(ref.stdout, g.first.stdout, diffOptions),
        stderr: same(ref.stderr, g.first.stderr)
          ? null
          : diffLines(ref.stderr, g.first.stderr, diffOptions),
      };
    }
    return {
      key: g.key,
      hosts: g.hosts,
      exitCode: g.first.exitCode,
      signal: g.first.signal,
      stdout: g.first.stdout,
      stderr: g.first.stderr,
      isMajority,
      diff,
    };
  });

  const hostGroup: Record<string, number> = {};
  groups.forEach((g, i) => g.hosts.forEach((h) => (hostGroup[h] = i)));
  return {
    groups,
    majority: chosen ? sorted.indexOf(chosen) : null,
    tied,
    hostGroup,
    ungrouped,
  };
}
