// Readiness rules as data (resources/readiness/*.yaml), taken from the known MultiOS issues.
// A rule names one check; `packages` expands to one rule per package-map dependency.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { RuleDescriptor } from '../../shared/models/readiness';
import { dataError, parseYamlData } from '../os/yaml-data';
import type { PackageMap } from '../packages/package-map';

const Dep = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a package-map dependency name');
const Tool = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9._+-]*$/, 'a command name');
const Unit = z.string().regex(/^[A-Za-z0-9_@.:-]+$/, 'a systemd unit name');

const Check = z.union([
  z.strictObject({
    python: z.union([z.literal(2), z.literal(3)]).describe('interpreter major version'),
  }),
  z.strictObject({
    tools: z.array(Tool).min(1).describe('all must be on PATH for "met"'),
    alternative: z
      .array(Tool)
      .optional()
      .describe('any of these on PATH makes it "alternative" (the OS has its own tooling)'),
  }),
  z.strictObject({ package: Dep.describe('installed, or available from the repositories') }),
  z.strictObject({ packages: z.array(Dep).min(1).describe('one rule per dependency') }),
  z.strictObject({
    service: z.string().min(1).describe('what the units provide (cron, syslog, ntp)'),
    units: z.array(Unit).min(1).describe('systemd unit files that make it "met"'),
    alternative_units: z.array(Unit).optional().describe('units that do the job differently'),
    init_scripts: z
      .array(Tool)
      .optional()
      .describe('/etc/init.d scripts that make it "alternative" when no unit matches'),
  }),
  z.strictObject({
    openstack: z.strictObject({
      expected: z
        .array(z.string())
        .optional()
        .describe('releases StarlingX expects; others count as "alternative"'),
    }),
  }),
]);
export type Check = z.infer<typeof Check>;

const Rule = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  title: z.string().min(1),
  why: z.string().min(1).describe('the MultiOS issue behind the rule'),
  check: Check,
});

export const RuleSetSchema = z.strictObject({
  version: z.literal(1),
  name: z.string().min(1),
  rules: z.array(Rule).min(1),
});
export type RuleSet = z.output<typeof RuleSetSchema>;

/** One rule after expansion: a single check. */
export type ExpandedRule = RuleDescriptor & {
  readonly check: Exclude<Check, { packages: unknown }>;
};

export function parseRuleSet(text: string, file: string): RuleSet {
  const set = parseYamlData(text, file, RuleSetSchema);
  const seen = new Set<string>();
  for (const r of set.rules) {
    if (seen.has(r.id)) throw dataError({ file, line: 1, column: 1 }, `rule id "${r.id}" twice`);
    seen.add(r.id);
  }
  return set;
}

export function loadRuleSet(file: string): RuleSet {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AppError(
      'not_found',
      `readiness rules not readable: ${file} (${(e as Error).message})`,
    );
  }
  return parseRuleSet(text, file);
}

/** Expands `packages` rules (one per dependency; unknown dependencies are a data error). */
export function expandRules(set: RuleSet, map: PackageMap): ExpandedRule[] {
  const out: ExpandedRule[] = [];
  for (const r of set.rules) {
    const deps = 'packages' in r.check ? r.check.packages : undefined;
    if (!deps) {
      out.push({ id: r.id, title: r.title, why: r.why, check: r.check as ExpandedRule['check'] });
      continue;
    }
    for (const dep of deps) {
      const entry = map.packages[dep];
      if (!entry) {
        throw new AppError('invalid_input', `rule "${r.id}": "${dep}" is not in the package map`);
      }
      out.push({
        id: `${r.id}:${dep}`,
        title: `${entry.purpose} (${dep})`,
        why: r.why,
        check: { package: dep },
      });
    }
  }
  return out;
}
