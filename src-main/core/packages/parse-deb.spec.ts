import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseAptCachePolicy,
  parseAptCacheSearch,
  parseAptGetSimulate,
  parseDpkgQuery,
  splitDebVersion,
} from './parse-deb';

// reference/: copied verbatim from shared/reference/starlingx.md §8.2.
// debian12/: recorded with LC_ALL=C on the Debian 12 build machine.
const data = (...p: string[]): string =>
  readFileSync(join(import.meta.dirname, 'testdata', ...p), 'utf8');

describe('splitDebVersion', () => {
  it('splits epoch, upstream version and revision (revision after the last hyphen)', () => {
    expect(splitDebVersion('1:8.4p1-5+deb11u3')).toEqual({
      epoch: '1',
      version: '8.4p1',
      release: '5+deb11u3',
    });
    expect(splitDebVersion('5.1-2+deb11u1')).toEqual({ version: '5.1', release: '2+deb11u1' });
    expect(splitDebVersion('1:2.38.1-5+deb12u3')).toEqual({
      epoch: '1',
      version: '2.38.1',
      release: '5+deb12u3',
    });
    expect(splitDebVersion('3.0.2.1')).toEqual({ version: '3.0.2.1' });
  });
});

describe('parseDpkgQuery', () => {
  it('reads the reference sample (Debian 11)', () => {
    expect(parseDpkgQuery(data('reference', 'dpkg-query-W.txt'))).toEqual([
      {
        name: 'bash',
        version: '5.1',
        release: '2+deb11u1',
        arch: 'amd64',
        status: 'ii ',
        installed: true,
      },
      {
        name: 'openssh-server',
        epoch: '1',
        version: '8.4p1',
        release: '5+deb11u3',
        arch: 'amd64',
        status: 'ii ',
        installed: true,
      },
    ]);
  });

  it('reads a recorded Debian 12 listing, epochs included', () => {
    const text = data('debian12', 'dpkg-query-W.txt');
    const rows = parseDpkgQuery(text);
    expect(rows).toHaveLength(text.trim().split('\n').length);
    expect(rows.find((r) => r.name === 'bsdutils')).toMatchObject({
      epoch: '1',
      version: '2.38.1',
      release: '5+deb12u3',
    });
    expect(rows.every((r) => r.installed && r.arch)).toBe(true);
  });

  it('tells installed from removed-with-config by the status letters', () => {
    const rows = parseDpkgQuery('a\t1.0-1\tamd64\tii \nb\t2.0-1\tamd64\trc \n');
    expect(rows.map((r) => [r.name, r.installed])).toEqual([
      ['a', true],
      ['b', false],
    ]);
  });
});

describe('parseAptCachePolicy', () => {
  it('reads installed, candidate and the version table for several packages', () => {
    const [coreutils, debsums, ...rest] = parseAptCachePolicy(
      data('debian12', 'apt-cache-policy.txt'),
    );
    expect(rest).toEqual([]);
    expect(coreutils).toEqual({
      name: 'coreutils',
      installed: '9.1-1',
      candidate: '9.1-1',
      versions: [
        {
          version: '9.1-1',
          sources: [
            'http://deb.debian.org/debian bookworm/main amd64 Packages',
            '/var/lib/dpkg/status',
          ],
        },
      ],
    });
    expect(debsums).toMatchObject({ name: 'debsums', installed: null, candidate: '3.0.2.1' });
  });

  it('reads an upgradable package (installed row not first)', () => {
    const [bash] = parseAptCachePolicy(data('debian12', 'apt-cache-policy-bash.txt'));
    expect(bash).toMatchObject({ installed: '5.2.15-2+b8', candidate: '5.2.15-2+b13' });
    expect(bash!.versions.map((v) => v.version)).toEqual(['5.2.15-2+b13', '5.2.15-2+b8']);
  });
});

describe('parseAptCacheSearch', () => {
  it('reads name - summary lines', () => {
    const rows = parseAptCacheSearch(data('debian12', 'apt-cache-search-coreutils.txt'));
    expect(rows[0]).toEqual({ name: 'coreutils', summary: 'GNU core utilities' });
    expect(rows.find((r) => r.name === 'policycoreutils-dbus')?.summary).toBe(
      'SELinux core policy utilities (D-Bus daemon)',
    );
  });
});

describe('parseAptGetSimulate', () => {
  it('reads Inst lines of apt-get -s upgrade, with one or several origins', () => {
    const text = data('debian12', 'apt-get-s-upgrade.txt');
    const rows = parseAptGetSimulate(text);
    expect(rows).toHaveLength(text.split('\n').filter((l) => l.startsWith('Inst ')).length);
    expect(rows[0]).toEqual({
      name: 'base-files',
      from: '12.4+deb12u11',
      to: '12.4+deb12u15',
      repo: 'Debian:12.15/oldstable',
      arch: 'amd64',
    });
    expect(rows.find((r) => r.name === 'libgcrypt20-dev')).toMatchObject({
      from: '1.10.1-3',
      to: '1.10.1-3+deb12u1',
      repo: 'Debian:12.15/oldstable, Debian-Security:12/oldstable-security',
    });
  });
});
