// Parsers for dpkg-query, apt-cache and apt-get output (LC_ALL=C). Formats: reference §8.2 and
// outputs recorded on Debian 12 (testdata/deb/).
import type {
  AvailablePackage,
  PackageCandidate,
  PackageRecord,
  PackageUpdate,
} from './package-manager';

/** The dpkg-query format the adapter asks for (reference §8.2). */
export const DPKG_QUERY_FORMAT =
  '${Package}\\t${Version}\\t${Architecture}\\t${db:Status-Abbrev}\\n';

/** `[epoch:]upstream[-revision]` (deb-version(7)): the revision is after the last hyphen. */
export function splitDebVersion(full: string): {
  epoch?: string;
  version: string;
  release?: string;
} {
  let rest = full;
  let epoch: string | undefined;
  const colon = /^(\d+):/.exec(rest);
  if (colon) {
    epoch = colon[1];
    rest = rest.slice(colon[0].length);
  }
  const dash = rest.lastIndexOf('-');
  const version = dash > 0 ? rest.slice(0, dash) : rest;
  const release = dash > 0 ? rest.slice(dash + 1) : undefined;
  return { ...(epoch ? { epoch } : {}), version, ...(release ? { release } : {}) };
}

/** dpkg's current-state letter (2nd of Status-Abbrev): these count as installed. */
const INSTALLED_STATES = new Set(['i', 'W', 't']);

export function parseDpkgQuery(text: string): PackageRecord[] {
  const out: PackageRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const [name, full, arch, status = ''] = line.split('\t');
    if (!name || full === undefined) continue;
    out.push({
      name,
      ...splitDebVersion(full),
      ...(arch ? { arch } : {}),
      status,
      installed: INSTALLED_STATES.has(status.charAt(1)),
    });
  }
  return out;
}

/**
 * `apt-cache policy A B …`: per package, Installed, Candidate and a version table whose rows
 * are ` *** 9.1-1 500` / `     9.0-2 100` followed by indented `500 <source>` lines.
 */
export function parseAptCachePolicy(text: string): PackageCandidate[] {
  const out: PackageCandidate[] = [];
  let cur:
    | {
        name: string;
        installed: string | null;
        candidate: string | null;
        versions: { version: string; sources: string[] }[];
      }
    | undefined;
  let inTable = false;
  const none = (v: string): string | null => (v === '(none)' ? null : v);
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (line === '') continue;
    const head = /^(\S+):$/.exec(line);
    if (head) {
      cur = { name: head[1]!, installed: null, candidate: null, versions: [] };
      out.push(cur);
      inTable = false;
      continue;
    }
    if (!cur) continue;
    let m = /^\s+Installed:\s*(\S+)/.exec(line);
    if (m) {
      cur.installed = none(m[1]!);
      continue;
    }
    m = /^\s+Candidate:\s*(\S+)/.exec(line);
    if (m) {
      cur.candidate = none(m[1]!);
      continue;
    }
    if (/^\s+Version table:/.test(line)) {
      inTable = true;
      continue;
    }
    if (!inTable) continue;
    m = /^\s(?:\*\*\*|\s\s\s)\s(\S+)\s+-?\d+$/.exec(line);
    if (m) {
      cur.versions.push({ version: m[1]!, sources: [] });
      continue;
    }
    m = /^\s+-?\d+\s+(.+)$/.exec(line);
    if (m && cur.versions.length) cur.versions[cur.versions.length - 1]!.sources.push(m[1]!);
  }
  return out;
}

/** `apt-cache search`: `name - summary` per line. */
export function parseAptCacheSearch(text: string): AvailablePackage[] {
  const out: AvailablePackage[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\S+) - (.*)$/.exec(line.trimEnd());
    if (m) out.push({ name: m[1]!, summary: m[2]! });
  }
  return out;
}

/**
 * `apt-get -s upgrade` (simulate): `Inst name [old] (new Origin:rel/suite[, …] [arch])`.
 * Lines without `[old]` are new installs pulled in, reported without `from`.
 */
export function parseAptGetSimulate(text: string): PackageUpdate[] {
  const out: PackageUpdate[] = [];
  for (const line of text.split('\n')) {
    const m = /^Inst (\S+)(?: \[([^\]]+)\])? \((\S+) (.*?) \[([^\]]+)\]\)/.exec(line);
    if (!m) continue;
    out.push({
      name: m[1]!,
      ...(m[2] ? { from: m[2] } : {}),
      to: m[3]!,
      repo: m[4]!,
      arch: m[5]!,
    });
  }
  return out;
}
