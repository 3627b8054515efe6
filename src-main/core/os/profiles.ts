// OS profiles: one YAML file per OS in resources/os-profiles/, validated here, and the rule that
// picks the profile for a detected host. Adding an OS is adding a file.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { OsFacts } from './detect';
import { dataError, parseYamlData } from './yaml-data';

const Condition = z.union([
  z.string().describe('exact value'),
  z.array(z.string()).min(1).describe('any of these values'),
  z.strictObject({ pattern: z.string().describe('regular expression (JavaScript syntax)') }),
  z.strictObject({ word: z.string().describe('one of the space-separated words (ID_LIKE)') }),
]);
export type Condition = z.infer<typeof Condition>;

const KeyName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/);

const MatchRule = z.strictObject({
  os_release: z.record(KeyName, Condition).describe('conditions on /etc/os-release keys'),
  build_info: z
    .union([z.enum(['absent', 'present']), z.record(KeyName, Condition)])
    .optional()
    .describe('StarlingX /etc/build.info: absent, present, or conditions on its keys'),
  fallback: z
    .boolean()
    .optional()
    .describe('a family-level rule, used only when no exact rule matches'),
});
export type MatchRule = z.infer<typeof MatchRule>;

const PythonStatus = z.enum(['default', 'installed', 'available', 'unavailable']);

export const OsProfileSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
  name: z.string().min(1),
  family: z.enum(['rhel', 'debian', 'clear']),
  status: z.enum(['supported', 'end-of-life', 'experimental']),
  match: z.array(MatchRule).min(1),
  packages: z.strictObject({
    format: z.enum(['rpm', 'deb', 'swupd']),
    manager: z.enum(['yum', 'dnf', 'apt', 'swupd']),
    verify: z.string().describe('the verify command, for people'),
    notes: z.string().optional(),
  }),
  init: z.enum(['systemd', 'sysvinit', 'upstart', 'openrc']),
  python: z.strictObject({
    python2: z.strictObject({
      status: PythonStatus,
      version: z.string().optional(),
      note: z.string().optional(),
    }),
    python3: z.strictObject({
      status: PythonStatus,
      version: z.string().optional(),
      note: z.string().optional(),
    }),
    unversioned: z
      .enum(['python2', 'python3', 'none'])
      .describe('what plain `python` runs by default'),
  }),
  openstack: z
    .strictObject({
      releases: z.array(z.string()).describe('OpenStack releases packaged for this OS'),
      notes: z.string().optional(),
    })
    .optional(),
  starlingx: z
    .strictObject({
      releases: z.array(z.string()),
      notes: z.string().optional(),
    })
    .optional(),
  notes: z.array(z.string()).optional(),
});
export type OsProfile = z.infer<typeof OsProfileSchema>;

/** Parses one profile file's text (file is used in messages). */
export function parseProfile(text: string, file: string): OsProfile {
  const profile = parseYamlData(text, file, OsProfileSchema);
  for (const rule of profile.match) {
    for (const cond of [...Object.values(rule.os_release), ...buildInfoConds(rule)]) {
      if (typeof cond === 'object' && 'pattern' in cond) {
        try {
          new RegExp(cond.pattern);
        } catch (e) {
          throw dataError(
            { file, line: 1, column: 1 },
            `bad pattern ${cond.pattern}: ${(e as Error).message}`,
          );
        }
      }
    }
  }
  return profile;
}

function buildInfoConds(rule: MatchRule): Condition[] {
  return typeof rule.build_info === 'object' ? Object.values(rule.build_info) : [];
}

/** Loads and validates every *.yaml in a directory; ids must be unique and match file names. */
export function loadProfiles(dir: string): OsProfile[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.yaml') || n.endsWith('.yml'));
  } catch (e) {
    throw new AppError(
      'not_found',
      `OS profiles folder not readable: ${dir} (${(e as Error).message})`,
    );
  }
  const out: OsProfile[] = [];
  const seen = new Map<string, string>();
  for (const name of names.sort()) {
    const file = join(dir, name);
    const profile = parseProfile(readFileSync(file, 'utf8'), file);
    const stem = name.replace(/\.ya?ml$/, '');
    if (profile.id !== stem) {
      throw dataError(
        { file, line: 1, column: 1 },
        `id "${profile.id}" must equal the file name "${stem}"`,
      );
    }
    const other = seen.get(profile.id);
    if (other)
      throw dataError({ file, line: 1, column: 1 }, `id "${profile.id}" already used by ${other}`);
    seen.set(profile.id, file);
    out.push(profile);
  }
  return out;
}

function test(cond: Condition, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (typeof cond === 'string') return value === cond;
  if (Array.isArray(cond)) return cond.includes(value);
  if ('pattern' in cond) return new RegExp(cond.pattern).test(value);
  return value.split(/\s+/).includes(cond.word);
}

/** How specific a rule is (conditions it checks), or -1 when it does not apply. */
function score(rule: MatchRule, facts: Pick<OsFacts, 'osRelease' | 'buildInfo'>): number {
  let n = 0;
  for (const [key, cond] of Object.entries(rule.os_release)) {
    if (!test(cond, facts.osRelease[key])) return -1;
    n++;
  }
  const bi = rule.build_info;
  if (bi === 'absent') {
    if (facts.buildInfo) return -1;
    n++;
  } else if (bi === 'present') {
    if (!facts.buildInfo) return -1;
    n++;
  } else if (bi) {
    if (!facts.buildInfo) return -1;
    for (const [key, cond] of Object.entries(bi)) {
      if (!test(cond, facts.buildInfo[key])) return -1;
      n++;
    }
    n++;
  }
  return n;
}

export interface ProfileMatch {
  readonly profile: OsProfile;
  /** true when only a family-level (fallback) rule matched: the OS is like, not exactly, this one. */
  readonly fallback: boolean;
  /** Other profiles that matched equally well (a data bug worth showing). */
  readonly ties: readonly string[];
}

/** Picks the most specific matching profile; exact rules beat fallback rules. null: no profile. */
export function matchProfile(
  facts: Pick<OsFacts, 'osRelease' | 'buildInfo'>,
  profiles: readonly OsProfile[],
): ProfileMatch | null {
  let best: { profile: OsProfile; rank: number; fallback: boolean } | undefined;
  let ties: string[] = [];
  for (const profile of profiles) {
    for (const rule of profile.match) {
      const s = score(rule, facts);
      if (s < 0) continue;
      const rank = rule.fallback ? s : s + 1000;
      if (!best || rank > best.rank) {
        best = { profile, rank, fallback: rule.fallback === true };
        ties = [];
      } else if (
        rank === best.rank &&
        profile.id !== best.profile.id &&
        !ties.includes(profile.id)
      ) {
        ties.push(profile.id);
      }
    }
  }
  return best ? { profile: best.profile, fallback: best.fallback, ties } : null;
}
