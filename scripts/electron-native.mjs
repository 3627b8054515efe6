#!/usr/bin/env node
// Gives Electron its own copy of better-sqlite3's binary at out/native/better_sqlite3.node,
// which src-main/electron/main.ts passes to better-sqlite3 as `nativeBinding`.
//
// better-sqlite3 13 is an N-API addon: the binary Node loads also loads in Electron, so it is
// copied as it is. Were it not N-API (an older better-sqlite3), a COPY of the package is
// rebuilt for Electron's ABI in .native/ with @electron/rebuild. node_modules/better-sqlite3,
// which the tests load under Node, is never rebuilt or replaced in place.
//
//   node scripts/electron-native.mjs [--platform P --arch A] [--force-rebuild]
//
// --force-rebuild takes the rebuild-a-copy path even for an N-API binary (a fresh build).
// ELECTRON_REBUILD_DIST_URL overrides where Electron's headers come from;
// npm_config_build_from_source=true skips @electron/rebuild's prebuilt-binary download.
//
// Also electron-builder's `beforePack` hook (see electron-builder.yml): each packaged
// platform/arch gets the prebuild made for it.
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import {
  BINARY_NAME,
  candidateBinaries,
  gypDefinesNapi,
  isNapiBinary,
  moduleAbiOf,
  muslFromMaps,
  parseNativeArgs,
  sha256,
  targetOfPackContext,
} from './native-binary.mjs';

const PROJECT_ROOT = resolve(import.meta.dirname, '..');
const TAG = 'electron-native:';

/** An error whose message is meant for the person at the terminal, printed without a stack. */
export class NativeSetupError extends Error {}

/**
 * @typedef {object} NativeResult
 * @property {'copied' | 'unchanged'} action
 * @property {string} target    absolute path of out/native/better_sqlite3.node
 * @property {string} source    absolute path of the binary it was taken from
 * @property {string} line      one line saying what happened
 */

/**
 * Makes sure out/native/better_sqlite3.node is the right binary for Electron on the given
 * platform/arch (default: this machine).
 * @param {{ root?: string, platform?: string, arch?: string, forceRebuild?: boolean }} [opts]
 * @returns {Promise<NativeResult>}
 */
export async function ensureElectronNative(opts = {}) {
  const root = opts.root ?? PROJECT_ROOT;
  const platform = opts.platform ?? process.platform;
  const arch = opts.arch ?? process.arch;
  const host = platform === process.platform && arch === process.arch;
  const pkgDir = findPackageDir(root, 'better-sqlite3');
  if (!pkgDir) {
    throw new NativeSetupError(
      `better-sqlite3 is not installed under ${join(root, 'node_modules')}. Run \`npm ci\` first.`,
    );
  }
  const pkg = readJson(join(pkgDir, 'package.json'));
  const label = `better-sqlite3 ${pkg.version}`;
  const notes = [];
  const musl = host && platform === 'linux' && isMuslHost();

  let found;
  for (const c of candidateBinaries({
    platform,
    arch,
    hostPlatform: process.platform,
    hostArch: process.arch,
  })) {
    const file = join(pkgDir, c.file);
    if (existsSync(file)) {
      found = { ...c, file };
      break;
    }
  }

  if (musl) {
    notes.push(
      found?.kind === 'compiled'
        ? 'this Node runs on musl and build/ was compiled here, but Electron is a glibc program: it may not load this binary'
        : 'this Node runs on musl, but Electron is a glibc program: using the glibc prebuild',
    );
  }

  let source;
  let how;
  if (found && !opts.forceRebuild && isNapiBinary(readFileSync(found.file))) {
    source = found.file;
    how = `N-API binary ${relative(pkgDir, found.file)}`;
  } else {
    if (!host) {
      throw new NativeSetupError(
        found
          ? `${label}'s ${relative(pkgDir, found.file)} is not an N-API module, and an Electron build for ${platform}-${arch} can only be compiled on a ${platform}-${arch} machine.`
          : `${label} ships no binary for ${platform}-${arch}, and one can only be compiled on a ${platform}-${arch} machine.`,
      );
    }
    const why = opts.forceRebuild
      ? 'rebuild forced'
      : found
        ? `${relative(pkgDir, found.file)} is not N-API${abiNote(found.file)}`
        : `no binary for ${platform}-${arch} in the package${
            gypDefinesNapi(readText(join(pkgDir, 'binding.gyp')))
              ? ' (its binding.gyp is N-API)'
              : ''
          }`;
    const rebuilt = await rebuildCopyForElectron({
      root,
      pkgDir,
      pkg,
      platform,
      arch,
      fresh: opts.forceRebuild === true,
    });
    source = rebuilt.file;
    how = `${rebuilt.reused ? 'earlier ' : ''}Electron ${rebuilt.electronVersion} build in ${relative(root, rebuilt.file)} (${why})`;
  }

  const target = join(root, 'out', 'native', BINARY_NAME);
  const data = readFileSync(source);
  const current = existsSync(target) && sha256(readFileSync(target)) === sha256(data);
  if (!current) writeAtomically(target, data);
  const where = relative(root, target);
  const suffix = notes.length ? ` [${notes.join('; ')}]` : '';
  const line = current
    ? `${TAG} ${where} is up to date (${label}, ${how}, ${platform}-${arch})${suffix}`
    : `${TAG} copied ${label} ${how} → ${where} (${platform}-${arch}, ${mb(data.length)})${suffix}`;
  return { action: current ? 'unchanged' : 'copied', source, target, line };
}

/**
 * electron-builder `beforePack` hook: puts the prebuild for the platform/arch being packed
 * into out/native before electron-builder copies out/** into the app.
 * @param {{ electronPlatformName: string, arch: number }} context
 */
export async function beforePack(context) {
  const target = targetOfPackContext(context);
  if (!target) {
    console.log(`${TAG} universal pass: the x64 and arm64 passes placed their binaries`);
    return;
  }
  const result = await ensureElectronNative(target);
  console.log(result.line);
}

// ---------------------------------------------------------------------------------------------

/**
 * Builds better-sqlite3 for Electron's ABI in a copy of the package under .native/, reusing
 * an earlier build made for the same package version, Electron version and target unless
 * `fresh`.
 * @param {{ root: string, pkgDir: string, pkg: any, platform: string, arch: string, fresh: boolean }} args
 */
async function rebuildCopyForElectron({ root, pkgDir, pkg, platform, arch, fresh }) {
  const electronPkg = join(root, 'node_modules', 'electron', 'package.json');
  if (!existsSync(electronPkg)) {
    throw new NativeSetupError(
      'Cannot build better-sqlite3 for Electron: the `electron` package is not installed (it is a devDependency; run `npm ci`).',
    );
  }
  const electronVersion = readJson(electronPkg).version;
  const nativeDir = join(root, '.native');
  const modDir = join(nativeDir, 'node_modules', 'better-sqlite3');
  const built = join(modDir, 'build', 'Release', BINARY_NAME);
  const stampFile = join(nativeDir, 'stamp.json');
  const stamp = { betterSqlite3: pkg.version, electron: electronVersion, platform, arch };
  const previous = existsSync(stampFile) ? readText(stampFile) : '';
  if (!fresh && previous === JSON.stringify(stamp) && existsSync(built)) {
    return { file: built, electronVersion, reused: true };
  }

  // A self-contained project: .native/package.json + node_modules/better-sqlite3 (a real copy,
  // without any build/ or prebuilds/) + links to its dependencies. @electron/rebuild is told
  // that .native is the project root, so it cannot wander into the real node_modules.
  rmSync(stampFile, { force: true });
  rmSync(join(nativeDir, 'node_modules'), { recursive: true, force: true });
  mkdirSync(dirname(modDir), { recursive: true });
  cpSync(pkgDir, modDir, {
    recursive: true,
    dereference: true,
    filter: (src) => {
      const rel = relative(pkgDir, src).split(/[\\/]/)[0];
      return rel !== 'build' && rel !== 'prebuilds';
    },
  });
  writeFileSync(
    join(nativeDir, 'package.json'),
    `${JSON.stringify({ name: 'stx-lab-electron-native', private: true, dependencies: { 'better-sqlite3': pkg.version } }, null, 2)}\n`,
  );
  const deps = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies });
  for (const dep of deps) {
    if (existsSync(join(modDir, 'node_modules', dep))) continue; // copied with the package
    const depDir = findPackageDir(pkgDir, dep);
    if (!depDir) {
      if (pkg.optionalDependencies?.[dep]) continue;
      throw new NativeSetupError(
        `better-sqlite3 needs ${dep}, which is not installed. Run \`npm ci\`.`,
      );
    }
    const link = join(nativeDir, 'node_modules', dep);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(depDir, link, 'junction');
  }

  let rebuild;
  try {
    ({ rebuild } = await import('@electron/rebuild'));
  } catch (err) {
    throw new NativeSetupError(
      `Cannot build better-sqlite3 for Electron: @electron/rebuild is not installed (a devDependency; run \`npm ci\`): ${String(err)}`,
    );
  }
  console.log(
    `${TAG} building ${relative(root, modDir)} (better-sqlite3 ${pkg.version}) for Electron ${electronVersion} ${platform}-${arch}…`,
  );
  // npm passes its `nodedir` setting to scripts as npm_config_nodedir, and node-gyp would then
  // compile against that Node's headers instead of Electron's: hide it while building.
  const hidden = Object.keys(process.env).filter((k) => k.toLowerCase() === 'npm_config_nodedir');
  const saved = hidden.map((k) => [k, process.env[k]]);
  for (const k of hidden) delete process.env[k];
  try {
    await rebuild({
      buildPath: nativeDir,
      projectRootPath: nativeDir,
      electronVersion,
      platform: /** @type {NodeJS.Platform} */ (platform),
      arch,
      onlyModules: ['better-sqlite3'],
      force: true,
      mode: 'sequential',
      buildFromSource: process.env.npm_config_build_from_source === 'true',
      ...(process.env.ELECTRON_REBUILD_DIST_URL
        ? { headerURL: process.env.ELECTRON_REBUILD_DIST_URL }
        : {}),
    });
  } catch (err) {
    throw new NativeSetupError(
      `Building better-sqlite3 ${pkg.version} for Electron ${electronVersion} failed (it needs Electron's headers from electronjs.org, or ELECTRON_REBUILD_DIST_URL, plus python3 and a C++ compiler): ${err instanceof Error ? err.message : String(err)}`,
    );
  } finally {
    for (const [k, v] of saved) if (k !== undefined) process.env[k] = v;
  }
  if (!existsSync(built)) {
    throw new NativeSetupError(
      `@electron/rebuild finished but ${relative(root, built)} is missing; run with DEBUG=electron-rebuild to see why.`,
    );
  }
  writeFileSync(stampFile, JSON.stringify(stamp));
  return { file: built, electronVersion, reused: false };
}

/**
 * The folder of `name` as Node would resolve it from `fromDir` (node_modules up the tree),
 * without going through the package's `exports` map.
 * @param {string} fromDir
 * @param {string} name
 */
function findPackageDir(fromDir, name) {
  try {
    const req = createRequire(join(fromDir, 'noop.js'));
    const paths = req.resolve.paths(name) ?? [];
    for (const p of paths) {
      if (existsSync(join(p, name, 'package.json'))) return join(p, name);
    }
  } catch {
    /* fall through */
  }
  return undefined;
}

function isMuslHost() {
  try {
    return muslFromMaps(readFileSync('/proc/self/maps', 'latin1')) === true;
  } catch {
    return false;
  }
}

/** @param {string} file */
function abiNote(file) {
  const abi = moduleAbiOf(readFileSync(file));
  return abi === undefined ? '' : `, built for NODE_MODULE_VERSION ${abi}`;
}

/** @param {string} file @param {Buffer} data */
function writeAtomically(file, data) {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** @param {string} file */
function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** @param {string} file */
function readText(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** @param {number} n */
function mb(n) {
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

async function main() {
  let opts;
  try {
    opts = parseNativeArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${TAG} ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  if (opts.help) {
    console.log(
      'usage: node scripts/electron-native.mjs [--platform linux|darwin|win32] [--arch x64|arm64] [--force-rebuild]',
    );
    return 0;
  }
  try {
    const result = await ensureElectronNative(opts);
    console.log(result.line);
    return 0;
  } catch (err) {
    if (err instanceof NativeSetupError) console.error(`${TAG} ${err.message}`);
    else console.error(`${TAG} failed:`, err);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main();
}
