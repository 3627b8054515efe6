import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  candidateBinaries,
  gypDefinesNapi,
  isNapiBinary,
  moduleAbiOf,
  muslFromMaps,
  parseNativeArgs,
  prebuildName,
  targetOfPackContext,
} from './native-binary.mjs';

const pkgDir = dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json'));

describe('muslFromMaps', () => {
  it('recognises the musl and glibc loaders, and says nothing otherwise', () => {
    expect(muslFromMaps('7f00-7f01 r-xp 0 08:01 1 /lib/ld-musl-x86_64.so.1\n')).toBe(true);
    expect(muslFromMaps('7f00-7f01 r-xp 0 08:01 1 /usr/lib/x86_64-linux-gnu/libc.so.6\n')).toBe(
      false,
    );
    expect(muslFromMaps('7f00 r-xp /lib64/ld-linux-x86-64.so.2\n')).toBe(false);
    expect(muslFromMaps('7f00 r-xp [vdso]\n')).toBeUndefined();
  });
});

describe('prebuildName', () => {
  it('names the files better-sqlite3 ships', () => {
    expect(prebuildName({ platform: 'linux', arch: 'x64' })).toBe('linux-x64.node');
    expect(prebuildName({ platform: 'linux', arch: 'arm64', musl: true })).toBe(
      'linuxmusl-arm64.node',
    );
    expect(prebuildName({ platform: 'darwin', arch: 'arm64', musl: true })).toBe(
      'darwin-arm64.node',
    );
    expect(prebuildName({ platform: 'win32', arch: 'ia32' })).toBeNull();
    expect(prebuildName({ platform: 'freebsd', arch: 'x64' })).toBeNull();
  });
});

describe('candidateBinaries', () => {
  it('tries a local build before the prebuild on the host, like lib/binding.js', () => {
    const host = { hostPlatform: 'linux', hostArch: 'x64' };
    expect(candidateBinaries({ platform: 'linux', arch: 'x64', ...host })).toEqual([
      { file: join('build', 'Debug', 'better_sqlite3.node'), kind: 'compiled' },
      { file: join('build', 'Release', 'better_sqlite3.node'), kind: 'compiled' },
      { file: join('prebuilds', 'linux-x64.node'), kind: 'prebuild' },
    ]);
  });

  it('uses only the prebuild for another target, and the glibc one on Linux', () => {
    const host = { hostPlatform: 'linux', hostArch: 'x64' };
    expect(candidateBinaries({ platform: 'darwin', arch: 'arm64', ...host })).toEqual([
      { file: join('prebuilds', 'darwin-arm64.node'), kind: 'prebuild' },
    ]);
    expect(candidateBinaries({ platform: 'linux', arch: 'arm64', ...host })).toEqual([
      { file: join('prebuilds', 'linux-arm64.node'), kind: 'prebuild' },
    ]);
    expect(candidateBinaries({ platform: 'freebsd', arch: 'x64', ...host })).toEqual([]);
  });
});

describe('isNapiBinary / moduleAbiOf', () => {
  it('accepts every prebuild better-sqlite3 ships (ELF, Mach-O, PE)', () => {
    for (const name of ['linux-x64', 'linuxmusl-arm64', 'darwin-arm64', 'win32-x64']) {
      const bin = readFileSync(join(pkgDir, 'prebuilds', `${name}.node`));
      expect(isNapiBinary(bin), name).toBe(true);
    }
  });

  it('rejects a module registered for one Node ABI and reads that ABI', () => {
    const bin = new TextEncoder().encode('\x7fELF....node_register_module_v137\0....');
    expect(isNapiBinary(bin)).toBe(false);
    expect(moduleAbiOf(bin)).toBe(137);
    expect(moduleAbiOf(new Uint8Array(16))).toBeUndefined();
  });
});

describe('gypDefinesNapi', () => {
  it('reads NAPI_VERSION among binding.gyp defines', () => {
    expect(gypDefinesNapi(readFileSync(join(pkgDir, 'binding.gyp'), 'utf8'))).toBe(true);
    expect(gypDefinesNapi("'defines': ['SQLITE_DQS=0']")).toBe(false);
  });
});

describe('targetOfPackContext', () => {
  it("maps electron-builder's platform and Arch enum", () => {
    expect(targetOfPackContext({ electronPlatformName: 'linux', arch: 1 })).toEqual({
      platform: 'linux',
      arch: 'x64',
    });
    expect(targetOfPackContext({ electronPlatformName: 'mas', arch: 3 })).toEqual({
      platform: 'darwin',
      arch: 'arm64',
    });
    expect(targetOfPackContext({ electronPlatformName: 'darwin', arch: 4 })).toBeNull();
    expect(() => targetOfPackContext({ electronPlatformName: 'linux', arch: 9 })).toThrow(
      /unknown arch/,
    );
  });
});

describe('parseNativeArgs', () => {
  it('reads flags in both spellings and refuses unknown ones', () => {
    expect(parseNativeArgs([])).toEqual({ forceRebuild: false, help: false });
    expect(parseNativeArgs(['--platform', 'win32', '--arch=arm64', '--force-rebuild'])).toEqual({
      platform: 'win32',
      arch: 'arm64',
      forceRebuild: true,
      help: false,
    });
    expect(() => parseNativeArgs(['--arch'])).toThrow(/needs a value/);
    expect(() => parseNativeArgs(['--bogus'])).toThrow(/unknown argument/);
  });
});
