import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { expandSuite, loadSuites, parseSuite } from './suites';

const DIR = join(import.meta.dirname, '../../../resources/checks');

describe('built-in suites', () => {
  const suites = loadSuites(DIR);
  const find = (n: string) => suites.find((s) => s.name === n);
  it('load and cover the Flock APIs with read-only calls', () => {
    expect(suites.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        'keystone',
        'sysinv',
        'fm',
        'nfv',
        'sm',
        'usm',
        'dcmanager',
        'flock',
      ]),
    );
    for (const s of suites)
      for (const c of s.checks) expect(c.method, `${s.name}/${c.id}`).toBe('GET');
    expect(find('sysinv')!.checks[0]).toMatchObject({
      endpoint: { type: 'platform', path: '/v1/ihosts' },
      budgetMs: 2000,
    });
  });
  it('expand includes (flock = keystone + sysinv + fm)', () => {
    const ids = expandSuite('flock', find).map((c) => c.id);
    expect(ids).toEqual(
      [...find('keystone')!.checks, ...find('sysinv')!.checks, ...find('fm')!.checks].map(
        (c) => c.id,
      ),
    );
  });
});

describe('suite bad input', () => {
  it('names file:line:column of a bad field', () => {
    const text =
      'name: x\ntitle: X\nchecks:\n  - id: a\n    url: http://h/\n    expect:\n      assertions:\n        - { path: $.a, op: sameAs }\n';
    expect(() => parseSuite(text, 's.yaml')).toThrow(
      /^s\.yaml:8:\d+: checks\.0\.expect\.assertions\.0\.op/,
    );
  });
  it('refuses a check with both url and endpoint, or neither', () => {
    const both =
      'name: x\ntitle: X\nchecks:\n  - id: a\n    url: http://h/\n    endpoint: { type: platform }\n';
    expect(() => parseSuite(both, 's.yaml')).toThrow(
      /^s\.yaml:4:\d+: checks\.0: a check needs exactly one of url or endpoint/,
    );
  });
  it('refuses duplicate ids, unknown keys, include cycles', () => {
    expect(() =>
      parseSuite(
        'name: x\ntitle: X\nchecks:\n  - { id: a, url: "http://h/" }\n  - { id: a, url: "http://h/" }\n',
        's.yaml',
      ),
    ).toThrow(/check id "a" used twice/);
    expect(() => parseSuite('name: x\ntitle: X\nchekcs: []\n', 's.yaml')).toThrow(
      /^s\.yaml:1:1: .*chekcs/,
    );
    const a = { name: 'a', include: ['b'], checks: [] };
    const b = { name: 'b', include: ['a'], checks: [] };
    expect(() => expandSuite('a', (n) => (n === 'a' ? a : n === 'b' ? b : undefined))).toThrow(
      /include each other: a → b → a/,
    );
  });
});
