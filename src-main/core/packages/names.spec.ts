import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../shared/errors';
import type { Executor, SshTarget } from '../ssh/types';
import { AptDpkgPackageManager } from './apt-dpkg';
import { checkPackageFile, checkPackageName, checkSearchTerm } from './names';
import type { PackageManager } from './package-manager';
import { RpmPackageManager } from './rpm';
import { SwupdPackageManager } from './swupd';

const target: SshTarget = {
  name: 'h',
  host: 'h',
  port: 22,
  user: 'u',
  auth: { kind: 'agent' },
  jump: [],
};

const BAD = [
  'foo;reboot',
  'foo$(id)',
  'a b',
  '-rf',
  '--force-all',
  'x`id`',
  'a|b',
  'a&&b',
  '',
  'a>b',
  "a'b",
  'a\nb',
];

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof AppError ? e.code : 'not an AppError';
  }
  return undefined;
}

describe('package-name validation', () => {
  it('accepts real names from deb, rpm and Clear Linux', () => {
    for (const n of [
      'openssh-server',
      'libstdc++6',
      'python3.11',
      'g++',
      'Redfishtool',
      'libc6:amd64',
      'bash=5.2.15-2+b8',
      'c-basic',
      'NetworkManager',
    ]) {
      expect(checkPackageName(n)).toBe(n);
    }
  });

  it('refuses metacharacters, spaces and leading dashes with invalid_input', () => {
    for (const n of BAD)
      expect(
        code(() => checkPackageName(n)),
        n,
      ).toBe('invalid_input');
    for (const n of BAD)
      expect(
        code(() => checkSearchTerm(n)),
        n,
      ).toBe('invalid_input');
  });

  it('says why', () => {
    expect(() => checkPackageName('-rf')).toThrow(/starts with "-"/);
    expect(() => checkPackageName('foo;reboot')).toThrow(/contains ";"/);
    expect(() => checkPackageName('a b')).toThrow(/whitespace/);
  });

  it('checks package files: absolute, right extension, no control characters', () => {
    expect(checkPackageFile('/tmp/x y/a.deb', '.deb')).toBe('/tmp/x y/a.deb');
    expect(code(() => checkPackageFile('a.deb', '.deb'))).toBe('invalid_input');
    expect(code(() => checkPackageFile('/tmp/a.rpm', '.deb'))).toBe('invalid_input');
    expect(code(() => checkPackageFile('/tmp/a\n.deb', '.deb'))).toBe('invalid_input');
  });
});

describe('every adapter refuses bad names before running anything', () => {
  const exec = vi.fn<Executor['exec']>();
  const executor: Executor = { exec };
  const adapters: PackageManager[] = [
    new AptDpkgPackageManager(executor),
    new RpmPackageManager(executor, { frontend: 'dnf' }),
    new SwupdPackageManager(executor),
  ];

  for (const pm of adapters) {
    it(`${pm.tool}`, async () => {
      for (const bad of ['foo;reboot', 'x$(id)', 'a b', '-x']) {
        const calls: Promise<unknown>[] = [
          pm.query(target, bad),
          pm.search(target, bad),
          pm.candidate(target, bad),
          pm.install(target, { names: [bad] }),
          pm.install(target, { names: ['ok', bad] }),
          pm.remove(target, [bad]),
          pm.verify(target, bad),
        ];
        for (const call of calls)
          await expect(call).rejects.toMatchObject({ code: 'invalid_input' });
      }
      await expect(pm.remove(target, [])).rejects.toMatchObject({ code: 'invalid_input' });
      expect(exec).not.toHaveBeenCalled();
    });
  }
});
