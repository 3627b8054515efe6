import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  exitCodeOf,
  locateElectron,
  mayDownloadElectron,
  missingElectronAdvice,
  type Fs,
} from './electron-binary.mjs';

const dir = join('/p', 'node_modules', 'electron');

function fakeFs(files: Record<string, string>): Fs {
  return {
    existsSync: (p) => p in files,
    readFileSync: (p) => {
      const v = files[p];
      if (v === undefined) throw new Error(`ENOENT ${p}`);
      return v;
    },
  };
}

const pkg = { [join(dir, 'package.json')]: JSON.stringify({ version: '45.4.1' }) };

describe('locateElectron', () => {
  it('says when the package itself is absent', () => {
    expect(locateElectron(dir, { env: {}, fs: fakeFs({}) }).state).toBe('not-installed');
  });

  it('reports a binary that was never downloaded (no path.txt) without downloading', () => {
    const s = locateElectron(dir, { env: {}, fs: fakeFs(pkg) });
    expect(s).toMatchObject({ state: 'missing', version: '45.4.1' });
    expect(s.state === 'missing' && s.reason).toMatch(/never downloaded/);
  });

  it('reports path.txt pointing at a missing dist executable', () => {
    const files = { ...pkg, [join(dir, 'path.txt')]: 'electron' };
    expect(locateElectron(dir, { env: {}, fs: fakeFs(files) })).toMatchObject({
      state: 'missing',
      reason: `${join(dir, 'dist', 'electron')} does not exist`,
    });
  });

  it('finds dist/<path.txt> and warns when dist holds another version', () => {
    const files = {
      ...pkg,
      [join(dir, 'path.txt')]: 'Electron.app/Contents/MacOS/Electron',
      [join(dir, 'dist', 'Electron.app/Contents/MacOS/Electron')]: '',
      [join(dir, 'dist', 'version')]: 'v45.4.1',
    };
    expect(locateElectron(dir, { env: {}, fs: fakeFs(files) })).toEqual({
      state: 'ok',
      version: '45.4.1',
      path: join(dir, 'dist', 'Electron.app/Contents/MacOS/Electron'),
    });
    files[join(dir, 'dist', 'version')] = '44.0.0';
    const s = locateElectron(dir, { env: {}, fs: fakeFs(files) });
    expect(s.state === 'ok' && s.warning).toMatch(/Electron 44\.0\.0/);
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH as electron/index.js does', () => {
    const env = { ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' };
    expect(locateElectron(dir, { env, fs: fakeFs(pkg) }).state).toBe('missing');
    const files = { ...pkg, [join('/opt/electron', 'electron')]: '' };
    expect(locateElectron(dir, { env, fs: fakeFs(files) })).toMatchObject({
      state: 'ok',
      path: join('/opt/electron', 'electron'),
    });
  });
});

describe('mayDownloadElectron', () => {
  it('is stopped by ELECTRON_SKIP_BINARY_DOWNLOAD', () => {
    expect(mayDownloadElectron({})).toBe(true);
    expect(mayDownloadElectron({ ELECTRON_SKIP_BINARY_DOWNLOAD: '0' })).toBe(true);
    expect(mayDownloadElectron({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' })).toBe(false);
    expect(mayDownloadElectron({ ELECTRON_SKIP_BINARY_DOWNLOAD: 'true' })).toBe(false);
  });
});

describe('missingElectronAdvice', () => {
  it('names the install command and the browser face', () => {
    const text = missingElectronAdvice({ version: '45.4.1', reason: 'x', triedDownload: false });
    expect(text).toContain('node node_modules/electron/install.js');
    expect(text).toContain('npm run web');
    expect(text).toContain('ELECTRON_SKIP_BINARY_DOWNLOAD is set');
    expect(missingElectronAdvice({ version: '45.4.1', reason: 'x', triedDownload: true })).toMatch(
      /Downloading it failed/,
    );
  });
});

describe('exitCodeOf', () => {
  it('passes codes on and maps signals to 128+n', () => {
    expect(exitCodeOf(0, null, {})).toBe(0);
    expect(exitCodeOf(3, null, {})).toBe(3);
    expect(exitCodeOf(null, 'SIGTERM', { SIGTERM: 15 })).toBe(143);
    expect(exitCodeOf(null, null, {})).toBe(1);
  });
});
