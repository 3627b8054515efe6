#!/usr/bin/env node
// `npm start`: build, give Electron its better-sqlite3 binary, then run `electron .` with the
// given arguments (`npm start -- --some-flag`) and pass its exit code on.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { constants } from 'node:os';
import { join, resolve } from 'node:path';

import {
  exitCodeOf,
  locateElectron,
  mayDownloadElectron,
  missingElectronAdvice,
} from './electron-binary.mjs';
import { ensureElectronNative, NativeSetupError } from './electron-native.mjs';

const root = resolve(import.meta.dirname, '..');
const electronDir = join(root, 'node_modules', 'electron');
const TAG = 'start:';

function fail(message, code = 1) {
  console.error(message);
  process.exit(code);
}

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  fail(`${TAG} needs Node.js 22.12 or newer (24 LTS recommended); this is ${process.version}.`);
}

// 1. The Electron executable, fetched the way `electron` itself would on first use.
const io = { env: process.env, fs };
let electron = locateElectron(electronDir, io);
if (electron.state === 'not-installed') {
  fail(`${TAG} the electron package is not installed (${electron.reason}). Run \`npm ci\`.`);
}
let triedDownload = false;
if (electron.state === 'missing' && mayDownloadElectron(process.env)) {
  console.log(`${TAG} fetching the Electron ${electron.version} binary (first run)…`);
  triedDownload = true;
  spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit', cwd: root });
  electron = locateElectron(electronDir, io);
}
if (electron.state !== 'ok') {
  const status = /** @type {{ version: string, reason: string }} */ (electron);
  fail(missingElectronAdvice({ version: status.version, reason: status.reason, triedDownload }));
}
if (electron.warning) console.warn(`${TAG} ${electron.warning}`);

// 2. out/main, out/preload, out/renderer.
const build = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
  { stdio: 'inherit', cwd: root },
);
if (build.error) fail(`${TAG} could not run electron-vite: ${build.error.message}`);
if (build.status !== 0) fail(`${TAG} electron-vite build failed.`, build.status ?? 1);

// 3. out/native/better_sqlite3.node.
try {
  console.log((await ensureElectronNative({ root })).line);
} catch (err) {
  fail(err instanceof NativeSetupError ? `electron-native: ${err.message}` : String(err));
}

// 4. electron . [args]
const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE; // set by some editors' terminals; Electron would act as Node
const child = spawn(electron.path, ['.', ...process.argv.slice(2)], {
  cwd: root,
  env,
  stdio: 'inherit',
  windowsHide: false,
});
for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
  process.on(sig, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
  });
}
child.on('error', (err) => fail(`${TAG} could not start ${electron.path}: ${err.message}`));
child.on('exit', (code, signal) => process.exit(exitCodeOf(code, signal, constants.signals)));
