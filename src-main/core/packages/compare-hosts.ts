// Compare two hosts: OS facts, installed packages (added / removed / different version) and
// enabled services (`systemctl list-unit-files --state=enabled`). The comparison is pure; the
// snapshot is what is collected from each host.
import type { HostComparison, PackageDifference } from '../../shared/models/readiness';
import type { OsFacts } from '../os/detect';
import type { Executor, SshTarget } from '../ssh/types';
import { fullVersion, type PackageRecord } from './package-manager';

export interface ServiceListing {
  /** Enabled unit files, sorted; null when the host could not list them. */
  readonly units: readonly string[] | null;
  /** Why not, when units is null (the command and what it said). */
  readonly note?: string;
}

export interface HostSnapshot {
  readonly host: string;
  readonly facts: OsFacts;
  readonly profile: string | null;
  readonly packages: readonly PackageRecord[];
  readonly services: ServiceListing;
}

export const ENABLED_UNITS_ARGV = [
  'systemctl',
  'list-unit-files',
  '--state=enabled',
  '--no-legend',
  '--no-pager',
] as const;

export async function enabledServices(
  executor: Executor,
  target: SshTarget,
  signal?: AbortSignal,
): Promise<ServiceListing> {
  const r = await executor.exec(target, {
    argv: ENABLED_UNITS_ARGV,
    env: { LC_ALL: 'C' },
    timeoutMs: 60_000,
    ...(signal ? { signal } : {}),
  });
  if (r.exitCode !== 0) {
    const why = (r.stderr || r.stdout).trim().split('\n')[0] ?? `exit ${r.exitCode}`;
    return { units: null, note: `${target.name}: ${ENABLED_UNITS_ARGV.join(' ')}: ${why}` };
  }
  const units = r.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((u) => u !== '');
  return { units: [...new Set(units)].sort() };
}

function factFields(s: HostSnapshot): Record<string, string> {
  const f = s.facts;
  return {
    'os-release ID': f.osRelease.ID ?? '',
    'os-release VERSION_ID': f.osRelease.VERSION_ID ?? '',
    'os-release PRETTY_NAME': f.osRelease.PRETTY_NAME ?? '',
    'build.info SW_VERSION': f.buildInfo?.SW_VERSION ?? '',
    profile: s.profile ?? '',
    kernel: `${f.kernel.name} ${f.kernel.release}`.trim(),
    arch: f.arch,
    init: f.init.running,
    python3: f.python.python3.version ?? '',
    python2: f.python.python2.version ?? '',
  };
}

const keyOf = (p: PackageRecord): string => `${p.name}\u0000${p.arch ?? ''}`;

function diffPackages(a: readonly PackageRecord[], b: readonly PackageRecord[]) {
  const index = (list: readonly PackageRecord[]) =>
    new Map(list.filter((p) => p.installed).map((p) => [keyOf(p), p]));
  const ma = index(a);
  const mb = index(b);
  const added: PackageDifference[] = [];
  const removed: PackageDifference[] = [];
  const changed: PackageDifference[] = [];
  let same = 0;
  const entry = (p: PackageRecord, va: string | null, vb: string | null): PackageDifference => ({
    name: p.name,
    ...(p.arch ? { arch: p.arch } : {}),
    a: va,
    b: vb,
  });
  for (const [k, pa] of ma) {
    const pb = mb.get(k);
    if (!pb) removed.push(entry(pa, fullVersion(pa), null));
    else if (fullVersion(pa) !== fullVersion(pb)) {
      changed.push(entry(pa, fullVersion(pa), fullVersion(pb)));
    } else same++;
  }
  for (const [k, pb] of mb) if (!ma.has(k)) added.push(entry(pb, null, fullVersion(pb)));
  const byName = (x: PackageDifference, y: PackageDifference): number =>
    x.name < y.name ? -1 : x.name > y.name ? 1 : 0;
  return {
    added: added.sort(byName),
    removed: removed.sort(byName),
    changed: changed.sort(byName),
    same,
  };
}

export function compareSnapshots(a: HostSnapshot, b: HostSnapshot): HostComparison {
  const fa = factFields(a);
  const fb = factFields(b);
  const facts = Object.keys(fa).map((field) => ({
    field,
    a: fa[field] ?? '',
    b: fb[field] ?? '',
    same: fa[field] === fb[field],
  }));
  const packages = diffPackages(a.packages, b.packages);
  const ua = new Set(a.services.units ?? []);
  const ub = new Set(b.services.units ?? []);
  const services = {
    onlyA: [...ua].filter((u) => !ub.has(u)).sort(),
    onlyB: [...ub].filter((u) => !ua.has(u)).sort(),
    both: [...ua].filter((u) => ub.has(u)).sort(),
    notes: [a.services.note, b.services.note].filter((n): n is string => n !== undefined),
  };
  const identical =
    facts.every((f) => f.same) &&
    packages.added.length + packages.removed.length + packages.changed.length === 0 &&
    services.onlyA.length + services.onlyB.length === 0;
  return { a: a.host, b: b.host, facts, packages, services, identical };
}
