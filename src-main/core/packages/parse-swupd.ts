// Parsers for swupd (Clear Linux) output. Only recorded outputs are known (reference §5.1, from
// swupd-client's functional tests, v4–v7 era, plus 2018-era wording); matching is loose because
// the wording changed between releases.
import type { AvailablePackage, VerifyIssue } from './package-manager';

export interface BundleRow {
  readonly name: string;
  /** `installed` / `explicitly installed` when `--status` printed one. */
  readonly status?: string;
}

/**
 * `swupd bundle-list [--all] [--status]`: a header (`Installed bundles:` / `All available
 * bundles:`), ` - name[ (status)]` rows, `Total: N`. swupd 3.x printed bare names, one per line.
 */
export function parseBundleList(text: string): BundleRow[] {
  const out: BundleRow[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || /:$/.test(line) || /^Total:/.test(line)) continue;
    const m = /^-\s+(\S+)(?:\s+\(([^)]+)\))?$/.exec(line);
    if (m) {
      out.push({ name: m[1]!, ...(m[2] ? { status: m[2] } : {}) });
    } else if (/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(line)) {
      out.push({ name: line });
    }
  }
  return out;
}

/** `swupd info`: the installed OS version (`Installed version: 10` or `10 (format 1)`). */
export function parseSwupdInfo(text: string): { distribution?: string; version?: string } {
  const dist = /^Distribution:\s*(.+?)\s*$/m.exec(text)?.[1];
  const version = /^Installed version:\s*(\d+)/m.exec(text)?.[1];
  return { ...(dist ? { distribution: dist } : {}), ...(version ? { version } : {}) };
}

/** `swupd check-update`: current and latest server version. */
export function parseCheckUpdate(text: string): {
  current?: string;
  latest?: string;
  available: boolean;
} {
  const current = /Current OS version:\s*(\d+)/.exec(text)?.[1];
  const latest = /Latest server version:\s*(\d+)/.exec(text)?.[1];
  const available =
    /new OS version available/i.test(text) ||
    (!!current && !!latest && Number(latest) > Number(current));
  return { ...(current ? { current } : {}), ...(latest ? { latest } : {}), available };
}

/**
 * `swupd search` (2018/19 docs format: best result, then `Alternative bundle options are`, rows
 * `name - description`) and `swupd search-file` (`Bundle NAME (N MB to install)` + paths).
 */
export function parseSwupdSearch(text: string): AvailablePackage[] {
  const out: AvailablePackage[] = [];
  const seen = new Set<string>();
  const add = (name: string, summary?: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    out.push({ name, ...(summary ? { summary } : {}) });
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    let m = /^Bundle (\S+) \(([^)]*)\)$/.exec(line);
    if (m) {
      add(m[1]!, m[2]);
      continue;
    }
    m = /^([A-Za-z0-9][A-Za-z0-9._+-]*) - (.+)$/.exec(line);
    if (m) add(m[1]!, m[2]);
  }
  return out;
}

export interface DiagnoseResult {
  readonly issues: VerifyIssue[];
  readonly inspected?: number;
  /** Files the tool counted as not matching (2018 `N files did not match`). */
  readonly mismatched: number;
  /** The tool said it completed (`Diagnose successful` / `Verify successful`). */
  readonly completed: boolean;
}

/** `swupd diagnose` (and 2018 `swupd verify`). */
export function parseSwupdDiagnose(text: string): DiagnoseResult {
  const issues: VerifyIssue[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim().replace(/^->\s*/, '');
    let m = /^Hash mismatch for file:\s*(.+)$/i.exec(line);
    if (m) {
      issues.push({
        path: m[1]!.trim(),
        problem: 'changed',
        flags: '',
        changed: ['digest'],
        attr: '',
      });
      continue;
    }
    m = /^Missing file:\s*(.+)$/i.exec(line);
    if (m) {
      issues.push({ path: m[1]!.trim(), problem: 'missing', flags: '', changed: [], attr: '' });
      continue;
    }
    m = /^File that should be deleted:\s*(.+)$/i.exec(line);
    if (m)
      issues.push({ path: m[1]!.trim(), problem: 'extraneous', flags: '', changed: [], attr: '' });
  }
  const inspected = /Inspected (\d+) files?/.exec(text)?.[1];
  const mismatched = Number(/(\d+) files? did not match/.exec(text)?.[1] ?? 0);
  return {
    issues,
    ...(inspected ? { inspected: Number(inspected) } : {}),
    mismatched,
    completed: /(Diagnose|Verify) successful/.test(text),
  };
}
