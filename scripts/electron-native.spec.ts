import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ensureElectronNative, NativeSetupError } from './electron-native.mjs';

const realPkgDir = dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json'));
const host = { platform: 'linux', arch: 'x64' } as const;

/** A project folder with a fake better-sqlite3 whose binaries are the given bytes. */
function project(files: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(join(tmpdir(), 'stx-native-'));
  const pkg = join(root, 'node_modules', 'better-sqlite3');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({ name: 'better-sqlite3', version: '99.0.0', dependencies: {} }),
  );
  for (const [rel, data] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), data);
  }
  return root;
}

const NAPI = 'ELF napi_register_module_v1 ';
const ABI = 'ELF node_register_module_v140 ';

describe.runIf(process.platform === 'linux' && process.arch === 'x64')(
  'ensureElectronNative',
  () => {
    it('copies an N-API prebuild once, then leaves it alone', async () => {
      const root = project({ 'node_modules/better-sqlite3/prebuilds/linux-x64.node': NAPI });
      const first = await ensureElectronNative({ root, ...host });
      expect(first.action).toBe('copied');
      expect(first.line).toMatch(/^electron-native: copied better-sqlite3 99\.0\.0 N-API binary/);
      expect(readFileSync(join(root, 'out/native/better_sqlite3.node'), 'utf8')).toBe(NAPI);
      const mtime = statSync(first.target).mtimeMs;
      const second = await ensureElectronNative({ root, ...host });
      expect(second.action).toBe('unchanged');
      expect(second.line).toMatch(/is up to date/);
      expect(statSync(second.target).mtimeMs).toBe(mtime);
    });

    it('prefers a local build/Release, and picks the prebuild of another target', async () => {
      const root = project({
        'node_modules/better-sqlite3/build/Release/better_sqlite3.node': `${NAPI}local`,
        'node_modules/better-sqlite3/prebuilds/linux-x64.node': NAPI,
        'node_modules/better-sqlite3/prebuilds/win32-arm64.node': `${NAPI}win`,
      });
      await ensureElectronNative({ root, ...host });
      expect(readFileSync(join(root, 'out/native/better_sqlite3.node'), 'utf8')).toBe(
        `${NAPI}local`,
      );
      const win = await ensureElectronNative({ root, platform: 'win32', arch: 'arm64' });
      expect(win.action).toBe('copied');
      expect(readFileSync(win.target, 'utf8')).toBe(`${NAPI}win`);
    });

    it('never touches the package it reads from', async () => {
      const root = project({ 'node_modules/better-sqlite3/prebuilds/linux-x64.node': NAPI });
      const src = join(root, 'node_modules/better-sqlite3/prebuilds/linux-x64.node');
      const before = statSync(src).mtimeMs;
      await ensureElectronNative({ root, ...host });
      expect(statSync(src).mtimeMs).toBe(before);
      expect(readFileSync(src, 'utf8')).toBe(NAPI);
    });

    it('reuses an earlier Electron build of a non-N-API package', async () => {
      const stamp = { betterSqlite3: '99.0.0', electron: '45.4.1', platform: 'linux', arch: 'x64' };
      const root = project({
        'node_modules/better-sqlite3/build/Release/better_sqlite3.node': ABI,
        'node_modules/electron/package.json': JSON.stringify({ version: '45.4.1' }),
        '.native/stamp.json': JSON.stringify(stamp),
        '.native/node_modules/better-sqlite3/build/Release/better_sqlite3.node': 'ELECTRON BUILD',
      });
      const r = await ensureElectronNative({ root, ...host });
      expect(r.line).toMatch(
        /earlier Electron 45\.4\.1 build .* is not N-API, built for NODE_MODULE_VERSION 140/,
      );
      expect(readFileSync(r.target, 'utf8')).toBe('ELECTRON BUILD');
    });

    it('explains what is missing', async () => {
      const nonNapi = project({
        'node_modules/better-sqlite3/build/Release/better_sqlite3.node': ABI,
      });
      await expect(ensureElectronNative({ root: nonNapi, ...host })).rejects.toThrow(
        /`electron` package is not installed/,
      );
      await expect(
        ensureElectronNative({ root: nonNapi, platform: 'darwin', arch: 'arm64' }),
      ).rejects.toThrow(/ships no binary for darwin-arm64/);
      const none = mkdtempSync(join(tmpdir(), 'stx-native-'));
      await expect(ensureElectronNative({ root: none })).rejects.toBeInstanceOf(NativeSetupError);
    });

    it('copies the real better-sqlite3 prebuild', async () => {
      const root = mkdtempSync(join(tmpdir(), 'stx-native-'));
      mkdirSync(join(root, 'node_modules'));
      symlinkSync(realPkgDir, join(root, 'node_modules', 'better-sqlite3'));
      const r = await ensureElectronNative({ root, ...host });
      expect(r.line).toMatch(/N-API binary (prebuilds\/linux-x64\.node|build\/Release)/);
    });
  },
);
