// The readiness rules file: it loads, every dependency is in the package map, the published JSON
// Schema matches the zod schema (regenerate: UPDATE_SCHEMAS=1 npx vitest run <this file>), and
// a mistake in the data is reported with its file and line.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadPackageMap } from '../packages/package-map';
import { findResourcesDir, resourcePaths } from './resources';
import { expandRules, loadRuleSet, parseRuleSet, RuleSetSchema } from './rules';

const paths = resourcePaths(findResourcesDir(import.meta.dirname));

describe('resources/readiness/multios.yaml', () => {
  it('loads and expands through the package map', () => {
    const rules = expandRules(loadRuleSet(paths.readinessRules), loadPackageMap(paths.packageMap));
    const ids = rules.map((r) => r.id);
    for (const id of ['python2', 'python3', 'puppet', 'rpm-tooling', 'cron-unit', 'syslog-unit']) {
      expect(ids).toContain(id);
    }
    expect(ids).toContain('package:ntp');
    expect(ids).toContain('openstack');
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('matches the published JSON Schema', () => {
    const json = {
      ...(z.toJSONSchema(RuleSetSchema, { io: 'input', target: 'draft-2020-12' }) as object),
      $id: 'https://starlingx.io/lab-console/schemas/readiness.schema.json',
      title: 'StarlingX Lab Console readiness rules',
    };
    const file = join(paths.dir, 'schemas', 'readiness.schema.json');
    if (process.env.UPDATE_SCHEMAS) writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(json);
  });

  it('reports bad data with file and line', () => {
    const text =
      'version: 1\nname: t\nrules:\n  - id: a\n    title: A\n    why: w\n    check: { python: 4 }\n';
    expect(() => parseRuleSet(text, 'r.yaml')).toThrow(/r\.yaml:7/);
    const dup =
      'version: 1\nname: t\nrules:\n' +
      '  - { id: a, title: A, why: w, check: { python: 3 } }\n'.repeat(2);
    expect(() => parseRuleSet(dup, 'r.yaml')).toThrow(/twice/);
    const map = loadPackageMap(paths.packageMap);
    const unknown = parseRuleSet(
      'version: 1\nname: t\nrules:\n  - { id: p, title: P, why: w, check: { packages: [no-such-dep] } }\n',
      'r.yaml',
    );
    expect(() => expandRules(unknown, map)).toThrow(/not in the package map/);
  });
});
