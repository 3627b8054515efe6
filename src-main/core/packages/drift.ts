// Version manifests and drift. A manifest (YAML) pins versions the way StarlingX pins its RPMs;
// each entry has a float policy. Keys are package-map dependencies (resolved for the host's OS)
// or, when the map does not know the key, a package name used as it is. The report is pure: it
// takes the host's installed packages, so one `listInstalled` serves the whole manifest.
//
//   version: 1
//   name: stx-example
//   packages:
//     openssh-server: { version: { deb: '1:9.2p1-2+deb12u3', rpm: '7.4p1-21.el7' }, policy: exact }
//     python3: { version: '3.11', policy: same-minor }
//     git: { version: '2.0', policy: any }
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type {
  DriftPolicy,
  DriftReport,
  DriftRow,
  DriftVerdict,
} from '../../shared/models/readiness';
import type { OsProfile } from '../os/profiles';
import { parseYamlData } from '../os/yaml-data';
import { resolveDependency, type PackageMap } from './package-map';
import { fullVersion, type PackageRecord } from './package-manager';
import { compareVersions, parseEvr } from './version-compare';

const Version = z.union([
  z.string().min(1),
  z
    .record(z.string().regex(/^[a-z0-9][a-z0-9.-]*$/), z.string().min(1))
    .describe('by OS profile id or by package format (rpm, deb, swupd); the profile id wins'),
]);

export const ManifestSchema = z.strictObject({
  version: z.literal(1),
  name: z.string().min(1),
  description: z.string().optional(),
  packages: z.record(
    z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9._+-]*$/),
    z.strictObject({
      version: Version,
      policy: z.enum(['exact', 'same-minor', 'any']).default('exact'),
      note: z.string().optional(),
    }),
  ),
});
export type Manifest = z.output<typeof ManifestSchema>;

export function parseManifest(text: string, file: string): Manifest {
  return parseYamlData(text, file, ManifestSchema);
}

export function loadManifest(file: string): Manifest {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AppError('not_found', `manifest not readable: ${file} (${(e as Error).message})`);
  }
  return parseManifest(text, file);
}

/** `major.minor` of an upstream version (digits only), or the whole version when it has no dot. */
function minorOf(version: string): string {
  const m = /^(\d+)(?:\.(\d+))?/.exec(version);
  return m ? `${m[1]}.${m[2] ?? '0'}` : version;
}

/** Does the installed version satisfy the pinned one under the policy? */
export function satisfies(
  format: OsProfile['packages']['format'],
  pinned: string,
  installed: string,
  policy: DriftPolicy,
): boolean {
  if (policy === 'any') return true;
  const p = parseEvr(pinned);
  const i = parseEvr(installed);
  if (policy === 'same-minor') {
    return p.epoch === i.epoch && minorOf(p.version) === minorOf(i.version);
  }
  // exact: a pin without a release/revision pins the upstream version only.
  const have =
    p.release === '' ? `${i.epoch}:${i.version}` : `${i.epoch}:${i.version}-${i.release}`;
  const want = `${p.epoch}:${p.version}${p.release === '' ? '' : `-${p.release}`}`;
  return compareVersions(format, have, want) === 0;
}

function pinFor(
  version: Manifest['packages'][string]['version'],
  profile: Pick<OsProfile, 'id' | 'packages'>,
): string | undefined {
  if (typeof version === 'string') return version;
  return version[profile.id] ?? version[profile.packages.format];
}

function counts(rows: readonly DriftRow[]): Record<DriftVerdict, number> {
  const c: Record<DriftVerdict, number> = { ok: 0, drift: 0, missing: 0, 'not-applicable': 0 };
  for (const r of rows) c[r.verdict]++;
  return c;
}

export interface DriftInput {
  readonly host: string;
  readonly manifest: Manifest;
  readonly map: PackageMap;
  readonly profile: Pick<OsProfile, 'id' | 'packages'>;
  /** The host's packages (listInstalled). */
  readonly installed: readonly PackageRecord[];
}

export function driftReport(input: DriftInput): DriftReport {
  const { manifest, map, profile } = input;
  const byName = new Map<string, PackageRecord>();
  for (const p of input.installed) if (p.installed && !byName.has(p.name)) byName.set(p.name, p);
  const rows: DriftRow[] = [];
  for (const [dependency, entry] of Object.entries(manifest.packages)) {
    const pinned = pinFor(entry.version, profile);
    const base = { dependency, policy: entry.policy, pinned: pinned ?? '' };
    if (pinned === undefined) {
      rows.push({
        ...base,
        packages: [],
        installed: null,
        verdict: 'not-applicable',
        note: `no version pinned for ${profile.id} (${profile.packages.format})`,
      });
      continue;
    }
    let names: readonly string[] = [dependency];
    let note = entry.note;
    if (map.packages[dependency]) {
      const r = resolveDependency(map, dependency, profile);
      if (r.kind === 'none' || r.kind === 'unknown') {
        rows.push({
          ...base,
          packages: [],
          installed: null,
          verdict: 'not-applicable',
          note: `the package map says ${r.kind} for ${profile.id}${r.note ? `: ${r.note}` : ''}`,
        });
        continue;
      }
      names = r.names;
      if (r.kind === 'alternative') note = `alternative: ${r.note}`;
    }
    for (const name of names) {
      const rec = byName.get(name);
      const installed = rec ? fullVersion(rec) : null;
      const verdict: DriftVerdict =
        installed === null
          ? 'missing'
          : satisfies(profile.packages.format, pinned, installed, entry.policy)
            ? 'ok'
            : 'drift';
      rows.push({ ...base, packages: [name], installed, verdict, ...(note ? { note } : {}) });
    }
  }
  return {
    host: input.host,
    osId: profile.id,
    manifest: manifest.name,
    rows,
    counts: counts(rows),
  };
}
