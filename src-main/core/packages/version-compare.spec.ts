// The orderings checked against the real tools on this machine: `dpkg --compare-versions` and
// rpm's Lua `rpm.vercmp` (rpmdev-vercmp when installed). Tricky pairs: `~`, `^`, epochs, leading
// zeros, letters vs digits, separators, missing revisions.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  compareDebVersions,
  compareRpmVersions,
  compareVersions,
  parseEvr,
  type Ordering,
} from './version-compare';

const has = (tool: string): boolean =>
  spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).status === 0;

const PAIRS: readonly (readonly [string, string])[] = [
  ['1.0', '1.0'],
  ['1.0', '1.0.0'],
  ['1.0~rc1', '1.0'],
  ['1.0~rc1', '1.0~rc2'],
  ['1.0~~', '1.0~'],
  ['1.0~', '1.0'],
  ['1.0a', '1.0'],
  ['1.0a', '1.0.1'],
  ['1.01', '1.1'],
  ['1.001', '1.0001'],
  ['1.10', '1.9'],
  ['2.0', '10.0'],
  ['1:1.0', '2.0'],
  ['0:1.0', '1.0'],
  ['1.0-1', '1.0-2'],
  ['1.0-1', '1.0'],
  ['1.0-10', '1.0-9'],
  ['8.4p1-5+deb11u3', '8.4p1-5'],
  ['8.4p1-5+deb11u3', '8.4p1-5+deb11u10'],
  ['1:8.4p1-5', '8.9p1-3'],
  ['5.1-2+deb11u1', '5.1-2'],
  ['9.1-1', '9.1-1~bpo11+1'],
  ['1.0+dfsg', '1.0'],
  ['1.0.dfsg', '1.0+dfsg'],
  ['1.2.3', '1.2.3a'],
  ['a', 'b'],
  ['abc', '1'],
  ['1.0a1', '1.0b'],
  ['2.7.5-34.el7', '2.7.5-89.el7_9'],
  ['4.2.46-34.el7', '4.2.46-35.el7'],
  ['3.6.8-18.el7', '3.6.8-19.el7'],
  ['1.0_1', '1.0.1'],
  ['1.0^', '1.0'],
  ['1.0^git1', '1.0'],
  ['1.0^git1', '1.0.1'],
  ['1.0^git1', '1.0^git2'],
  ['1.0^git1', '1.0~rc1'],
  ['1.0~rc1^git1', '1.0~rc1'],
  ['1.0', '1.0^'],
];

function dpkgSays(a: string, b: string): Ordering {
  for (const [op, v] of [
    ['lt', -1],
    ['eq', 0],
  ] as const) {
    if (spawnSync('dpkg', ['--compare-versions', a, op, b]).status === 0) return v;
  }
  return 1;
}

function rpmSays(a: string, b: string): Ordering {
  if (has('rpmdev-vercmp')) {
    const r = spawnSync('rpmdev-vercmp', [a, b], { encoding: 'utf8' });
    return r.status === 0 ? 0 : r.status === 11 ? 1 : -1;
  }
  const lua = `%{lua: print(rpm.vercmp(${JSON.stringify(a)}, ${JSON.stringify(b)}))}`;
  const out = spawnSync('rpm', ['--eval', lua], { encoding: 'utf8' }).stdout.trim();
  return Math.sign(Number(out)) as Ordering;
}

describe('parseEvr', () => {
  it('splits epoch, version and the release after the last hyphen', () => {
    expect(parseEvr('1:8.4p1-5+deb11u3')).toEqual({
      epoch: 1,
      version: '8.4p1',
      release: '5+deb11u3',
    });
    expect(parseEvr('2.0-beta-1')).toEqual({ epoch: 0, version: '2.0-beta', release: '1' });
    expect(parseEvr('3.11.2')).toEqual({ epoch: 0, version: '3.11.2', release: '' });
  });
});

describe.runIf(has('dpkg'))('compareDebVersions against dpkg --compare-versions', () => {
  // `^` is not valid in a Debian version; dpkg warns but still orders it. Skip those pairs.
  for (const [a, b] of PAIRS.filter(([x, y]) => !`${x}${y}`.includes('^'))) {
    it(`${a} vs ${b}`, () => {
      const real = dpkgSays(a, b);
      expect(compareDebVersions(a, b)).toBe(real);
      expect(compareDebVersions(b, a)).toBe(((0 - real) as Ordering) || 0);
    });
  }
});

describe.runIf(has('rpm'))('compareRpmVersions against rpm.vercmp', () => {
  for (const [a, b] of PAIRS) {
    it(`${a} vs ${b}`, () => {
      const real = rpmSays(a, b);
      expect(compareRpmVersions(a, b)).toBe(real);
      expect(compareRpmVersions(b, a)).toBe(((0 - real) as Ordering) || 0);
    });
  }
});

describe('compareVersions', () => {
  it('uses the format of the host', () => {
    expect(compareVersions('deb', '1.0~rc1', '1.0')).toBe(-1);
    expect(compareVersions('rpm', '1.0^git1', '1.0')).toBe(1);
    expect(compareVersions('swupd', '31000', '9990')).toBe(1);
  });
});
