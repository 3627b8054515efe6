import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { parseKeyValueFile } from './key-value';
import { loadProfiles, matchProfile, parseProfile } from './profiles';

// testdata/: os-release and build.info samples copied from shared/reference/starlingx.md §5.2
// and §8.4 (side-by-side columns split; "(same)" cells filled from the other column).
const sample = (name: string): Record<string, string> =>
  parseKeyValueFile(readFileSync(join(import.meta.dirname, 'testdata', name), 'utf8'));
const profiles = loadProfiles(join(import.meta.dirname, '../../../resources/os-profiles'));
const match = (
  osRelease: Record<string, string>,
  buildInfo: Record<string, string> | null = null,
) => matchProfile({ osRelease, buildInfo }, profiles);

describe('os-release parsing', () => {
  it('unquotes double-quoted and bare values', () => {
    expect(sample('centos-7.os-release')).toMatchObject({
      ID: 'centos',
      ID_LIKE: 'rhel fedora',
      VERSION_ID: '7',
    });
    expect(sample('clear-linux.os-release')).toMatchObject({
      ID: 'clear-linux-os',
      VERSION_ID: '31870',
      VERSION: '1',
    });
    expect(parseKeyValueFile(`# c\nA='x y'\nB="a \\"q\\" \\$x"\nnot a line\n`)).toEqual({
      A: 'x y',
      B: 'a "q" $x',
    });
  });
});

describe('the shipped profiles', () => {
  it('cover every OS the issue names, each valid', () => {
    expect(profiles.map((p) => p.id).sort()).toEqual(
      [
        'alma-8',
        'alma-9',
        'centos-7',
        'clear-linux',
        'debian-11',
        'debian-12',
        'debian-13',
        'rocky-8',
        'rocky-9',
        'starlingx-centos',
        'starlingx-debian',
        'ubuntu-18.04',
        'ubuntu-20.04',
        'ubuntu-22.04',
        'ubuntu-24.04',
      ].sort(),
    );
  });

  it('match the recorded os-release samples', () => {
    for (const [file, id] of [
      ['centos-7.os-release', 'centos-7'],
      ['clear-linux.os-release', 'clear-linux'],
      ['ubuntu-18.04.os-release', 'ubuntu-18.04'],
      ['ubuntu-22.04.os-release', 'ubuntu-22.04'],
      ['debian-11.os-release', 'debian-11'],
      ['debian-12.os-release', 'debian-12'],
    ] as const) {
      const m = match(sample(file));
      expect(m?.profile.id, file).toBe(id);
      expect(m?.fallback).toBe(false);
      expect(m?.ties).toEqual([]);
    }
  });

  it('a CentOS host with /etc/build.info is StarlingX (CentOS based)', () => {
    const m = match(sample('centos-7.os-release'), sample('starlingx-centos.build.info'));
    expect(m?.profile.id).toBe('starlingx-centos');
    expect(m?.profile.packages).toMatchObject({ format: 'rpm', manager: 'yum' });
  });

  it('a Debian host whose build.info says OS="debian" is StarlingX (Debian based)', () => {
    // Reference §8.4: Debian builds carry OS="debian" (the other keys as in the CentOS sample).
    const buildInfo = {
      ...sample('starlingx-centos.build.info'),
      OS: 'debian',
      SW_VERSION: '22.12',
    };
    expect(match(sample('debian-11.os-release'), buildInfo)?.profile.id).toBe('starlingx-debian');
  });

  it('EL rebuilds: exact IDs by major version, others through the ID_LIKE fallback', () => {
    expect(
      match({ ID: 'rocky', VERSION_ID: '8.9', ID_LIKE: 'rhel centos fedora' })?.profile.id,
    ).toBe('rocky-8');
    expect(
      match({ ID: 'almalinux', VERSION_ID: '9.3', ID_LIKE: 'rhel centos fedora' })?.profile.id,
    ).toBe('alma-9');
    expect(match({ ID: 'rocky', VERSION_ID: '80' })).toBeNull();
    const other = match({ ID: 'ol', VERSION_ID: '9.2', ID_LIKE: 'fedora rhel' });
    expect(other).toMatchObject({ fallback: true });
    expect(other?.profile.id).toBe('rocky-9');
  });

  it('an unknown OS matches nothing', () => {
    expect(match({ ID: 'arch' })).toBeNull();
    expect(match({})).toBeNull();
  });
});

describe('profile errors name the file and line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stx-profiles-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const good = readFileSync(
    join(import.meta.dirname, '../../../resources/os-profiles/debian-12.yaml'),
    'utf8',
  );

  function err(fn: () => unknown): AppError {
    try {
      fn();
    } catch (e) {
      if (e instanceof AppError) return e;
      throw e;
    }
    throw new Error('no error');
  }

  it('a bad value: the line of that value', () => {
    const text = good.replace('manager: apt', 'manager: pacman');
    const line = text.split('\n').findIndex((l) => l.includes('pacman')) + 1;
    const e = err(() => parseProfile(text, 'x.yaml'));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toMatch(new RegExp(`^x\\.yaml:${line}:\\d+: packages\\.manager: `));
    expect(e.details).toMatchObject({ file: 'x.yaml', line });
  });

  it('broken YAML: the line of the break', () => {
    const e = err(() => parseProfile('id: a\nname: [unclosed\nfamily: rhel\n', 'y.yaml'));
    expect(e.message).toMatch(/^y\.yaml:\d+:\d+: YAML: /);
  });

  it('an unknown key is refused (typos do not pass silently)', () => {
    const e = err(() =>
      parseProfile(good.replace('init: systemd', 'init: systemd\ninit_sytem: x'), 'z.yaml'),
    );
    expect(e.message).toMatch(/^z\.yaml:\d+:\d+: /);
  });

  it('the id must equal the file name', () => {
    writeFileSync(join(dir, 'other.yaml'), good);
    expect(() => loadProfiles(dir)).toThrow(/id "debian-12" must equal the file name "other"/);
  });
});
