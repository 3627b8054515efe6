// The package-name map (resources/package-map.yaml): a StarlingX dependency name → the package
// (or Clear Linux bundle) to install on a given OS, or "none", or an alternative to use instead.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { OsProfile } from '../os/profiles';
import { parseYamlData } from '../os/yaml-data';
import type { PackageFormat } from './package-manager';

const PkgName = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9._+-]*$/, 'not a valid package name');
const Names = z.array(PkgName).min(1);
const Confidence = z.enum(['V', 'I']).describe('V = confirmed in a source, I = inferred');

const EntryInput = z.union([
  z.literal('none'),
  PkgName,
  Names,
  z.strictObject({ names: Names, note: z.string().optional(), confidence: Confidence.optional() }),
  z.strictObject({
    none: z.string().describe('why the OS lacks it'),
    confidence: Confidence.optional(),
  }),
  z.strictObject({
    alternative: z.strictObject({ name: z.union([PkgName, Names]), note: z.string().min(1) }),
    confidence: Confidence.optional(),
  }),
  z.strictObject({ unknown: z.string().describe('why it is not settled') }),
]);

export type MapEntry =
  | {
      readonly kind: 'names';
      readonly names: readonly string[];
      readonly note?: string;
      readonly confidence: 'V' | 'I';
    }
  | {
      readonly kind: 'none';
      readonly names: readonly [];
      readonly note?: string;
      readonly confidence: 'V' | 'I';
    }
  | {
      readonly kind: 'alternative';
      readonly names: readonly string[];
      readonly note: string;
      readonly confidence: 'V' | 'I';
    }
  | {
      readonly kind: 'unknown';
      readonly names: readonly [];
      readonly note: string;
      readonly confidence: 'I';
    };

function normalise(e: z.infer<typeof EntryInput>): MapEntry {
  if (e === 'none') return { kind: 'none', names: [], confidence: 'V' };
  if (typeof e === 'string') return { kind: 'names', names: [e], confidence: 'V' };
  if (Array.isArray(e)) return { kind: 'names', names: e, confidence: 'V' };
  if ('names' in e)
    return {
      kind: 'names',
      names: e.names,
      confidence: e.confidence ?? 'V',
      ...(e.note ? { note: e.note } : {}),
    };
  if ('none' in e)
    return { kind: 'none', names: [], note: e.none, confidence: e.confidence ?? 'V' };
  if ('alternative' in e) {
    const n = e.alternative.name;
    return {
      kind: 'alternative',
      names: Array.isArray(n) ? n : [n],
      note: e.alternative.note,
      confidence: e.confidence ?? 'V',
    };
  }
  return { kind: 'unknown', names: [], note: e.unknown, confidence: 'I' };
}

const Entry = EntryInput.transform(normalise);

const Dependency = z.strictObject({
  purpose: z.string().min(1),
  rpm: Entry,
  deb: Entry,
  clear: Entry,
  overrides: z
    .record(z.string().regex(/^[a-z0-9][a-z0-9.-]*$/), Entry)
    .optional()
    .describe('by OS profile id'),
});

export const PackageMapSchema = z.strictObject({
  version: z.literal(1),
  packages: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/), Dependency),
});
export type PackageMap = z.output<typeof PackageMapSchema>;

export function parsePackageMap(text: string, file: string): PackageMap {
  return parseYamlData(text, file, PackageMapSchema);
}

export function loadPackageMap(file: string): PackageMap {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AppError('not_found', `package map not readable: ${file} (${(e as Error).message})`);
  }
  return parsePackageMap(text, file);
}

const COLUMN: Record<PackageFormat, 'rpm' | 'deb' | 'clear'> = {
  rpm: 'rpm',
  deb: 'deb',
  swupd: 'clear',
};

export type Resolution = MapEntry & {
  readonly dependency: string;
  readonly purpose: string;
  readonly osId: string;
  /** true when an OS-specific override decided, not the format's column. */
  readonly overridden: boolean;
};

/** The name(s) to install for one StarlingX dependency on one OS. */
export function resolveDependency(
  map: PackageMap,
  dependency: string,
  profile: Pick<OsProfile, 'id' | 'packages'>,
): Resolution {
  const dep = map.packages[dependency];
  if (!dep) {
    throw new AppError('not_found', `"${dependency}" is not in the package map`, {
      fields: [{ path: 'dependency', message: 'unknown dependency' }],
    });
  }
  const override = dep.overrides?.[profile.id];
  const entry = override ?? dep[COLUMN[profile.packages.format]];
  return {
    ...entry,
    dependency,
    purpose: dep.purpose,
    osId: profile.id,
    overridden: override !== undefined,
  };
}

/** Every dependency in the map, resolved for one OS, in map order. */
export function resolveAll(
  map: PackageMap,
  profile: Pick<OsProfile, 'id' | 'packages'>,
): Resolution[] {
  return Object.keys(map.packages).map((d) => resolveDependency(map, d, profile));
}
