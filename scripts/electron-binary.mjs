// Pure helpers for scripts/start-desktop.mjs: where the Electron executable is, found the way
// node_modules/electron/index.js finds it but WITHOUT its side effect (index.js downloads the
// binary when it is missing), and what to tell the user when it is not there.
import { join } from 'node:path';

/**
 * @typedef {{ existsSync(p: string): boolean, readFileSync(p: string, enc: 'utf8'): string }} Fs
 * @typedef {{ state: 'ok', path: string, version: string, warning?: string }
 *   | { state: 'missing', version: string, reason: string }
 *   | { state: 'not-installed', reason: string }} ElectronStatus
 */

/**
 * @param {string} electronDir  node_modules/electron
 * @param {{ env: Record<string, string | undefined>, fs: Fs }} io
 * @returns {ElectronStatus}
 */
export function locateElectron(electronDir, { env, fs }) {
  const pkgFile = join(electronDir, 'package.json');
  if (!fs.existsSync(pkgFile)) {
    return { state: 'not-installed', reason: `${pkgFile} does not exist` };
  }
  const version = String(JSON.parse(fs.readFileSync(pkgFile, 'utf8')).version);
  const pathFile = join(electronDir, 'path.txt');
  const relPath = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : undefined;

  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const exe = join(override, relPath || 'electron');
    return fs.existsSync(exe)
      ? { state: 'ok', path: exe, version }
      : {
          state: 'missing',
          version,
          reason: `ELECTRON_OVERRIDE_DIST_PATH is set, but ${exe} does not exist`,
        };
  }
  if (!relPath) {
    return {
      state: 'missing',
      version,
      reason: `${pathFile} does not exist: the Electron binary was never downloaded`,
    };
  }
  const exe = join(electronDir, 'dist', relPath);
  if (!fs.existsSync(exe)) {
    return { state: 'missing', version, reason: `${exe} does not exist` };
  }
  const versionFile = join(electronDir, 'dist', 'version');
  const distVersion = fs.existsSync(versionFile)
    ? fs.readFileSync(versionFile, 'utf8').trim().replace(/^v/, '')
    : undefined;
  return distVersion && distVersion !== version
    ? {
        state: 'ok',
        path: exe,
        version,
        warning: `node_modules/electron/dist holds Electron ${distVersion}, but the package is ${version}; run \`node node_modules/electron/install.js\` to replace it`,
      }
    : { state: 'ok', path: exe, version };
}

/**
 * Whether start-desktop may fetch the binary itself, as `electron` would on first use.
 * ELECTRON_SKIP_BINARY_DOWNLOAD (set by CI) says no. Electron 45's own install.js no longer
 * reads that variable, so the script honours it on its behalf.
 * @param {Record<string, string | undefined>} env
 */
export function mayDownloadElectron(env) {
  const v = env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  return v === undefined || v === '' || v === '0' || v.toLowerCase() === 'false';
}

/**
 * What to print when there is no Electron binary to launch.
 * @param {{ version: string, reason: string, triedDownload: boolean }} info
 * @returns {string}
 */
export function missingElectronAdvice({ version, reason, triedDownload }) {
  return [
    `Cannot start the desktop app: the Electron ${version} binary is not there`,
    `  (${reason}).`,
    '',
    triedDownload
      ? 'Downloading it failed (see above).'
      : 'ELECTRON_SKIP_BINARY_DOWNLOAD is set, so it was not downloaded.',
    'Electron downloads its binary from github.com on first use, not during `npm install`.',
    'To get it, on a machine that can reach github.com (or with ELECTRON_MIRROR set to a mirror):',
    '',
    '    node node_modules/electron/install.js      # the same as: npx install-electron',
    '',
    'It unpacks into node_modules/electron/dist and keeps the zip in the Electron cache',
    `(e.g. ~/.cache/electron). Or unpack Electron ${version} yourself and set`,
    'ELECTRON_OVERRIDE_DIST_PATH to its folder.',
    '',
    'Without Electron, the same console runs in a browser:  npm run web',
  ].join('\n');
}

/**
 * The exit code to pass on for a child that ended with `code` or was killed by `signal`.
 * @param {number | null} code
 * @param {NodeJS.Signals | null} signal
 * @param {Record<string, number>} signalNumbers  os.constants.signals
 */
export function exitCodeOf(code, signal, signalNumbers) {
  if (code !== null) return code;
  const n = signal ? signalNumbers[signal] : undefined;
  return n ? 128 + n : 1;
}
