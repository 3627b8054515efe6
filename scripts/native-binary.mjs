// Pure helpers for scripts/electron-native.mjs: which better-sqlite3 binary to give Electron,
// whether it is an N-API module, and whether a copy is current. No file-system writes here.
import { createHash } from 'node:crypto';
import { join } from 'node:path';

export const BINARY_NAME = 'better_sqlite3.node';

/** Platforms and architectures better-sqlite3 13 ships prebuilds for (see its lib/binding.js). */
export const PREBUILD_PLATFORMS = ['linux', 'darwin', 'win32'];
export const PREBUILD_ARCHS = ['x64', 'arm64'];

/** electron-builder's `Arch` enum (builder-util), as numbers → names. */
const BUILDER_ARCHS = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

/**
 * Whether this Linux process runs on musl, from the text of /proc/self/maps (the same test
 * better-sqlite3's lib/binding.js makes). `undefined` when the maps text does not say.
 * @param {string} maps
 * @returns {boolean | undefined}
 */
export function muslFromMaps(maps) {
  if (/\/ld-musl-[^/\s]*\.so/.test(maps)) return true;
  if (/\/(?:ld-linux[^/\s]*|libc)\.so\.\d/.test(maps)) return false;
  return undefined;
}

/**
 * The prebuild file name better-sqlite3 would pick for a platform/arch/libc, or null when the
 * package ships none for it.
 * @param {{ platform: string, arch: string, musl?: boolean }} target
 * @returns {string | null}
 */
export function prebuildName({ platform, arch, musl = false }) {
  if (!PREBUILD_PLATFORMS.includes(platform) || !PREBUILD_ARCHS.includes(arch)) return null;
  const os = platform === 'linux' && musl ? 'linuxmusl' : platform;
  return `${os}-${arch}.node`;
}

/**
 * The binaries to try for Electron, best first, as paths relative to the better-sqlite3
 * package folder. Mirrors lib/binding.js for the host (build/Debug, build/Release, then the
 * prebuild), with two differences that matter for Electron:
 * - Electron's own binaries are glibc programs, so on Linux the glibc prebuild is used even
 *   when this Node runs on musl;
 * - a build/ compiled here only serves this machine's platform and arch, so it is skipped
 *   when packaging for another target.
 * @param {{ platform: string, arch: string, hostPlatform: string, hostArch: string }} target
 * @returns {{ file: string, kind: 'compiled' | 'prebuild' }[]}
 */
export function candidateBinaries({ platform, arch, hostPlatform, hostArch }) {
  /** @type {{ file: string, kind: 'compiled' | 'prebuild' }[]} */
  const out = [];
  if (platform === hostPlatform && arch === hostArch) {
    out.push({ file: join('build', 'Debug', BINARY_NAME), kind: 'compiled' });
    out.push({ file: join('build', 'Release', BINARY_NAME), kind: 'compiled' });
  }
  const prebuild = prebuildName({ platform, arch, musl: false });
  if (prebuild) out.push({ file: join('prebuilds', prebuild), kind: 'prebuild' });
  return out;
}

/**
 * An N-API module exports `napi_register_module_v1` (ELF/Mach-O symbol table, PE export
 * table); a module built against one Node/Electron ABI exports `node_register_module_v<ABI>`
 * or registers itself through `node_module_register` instead.
 * @param {Uint8Array} binary
 */
export function isNapiBinary(binary) {
  return Buffer.from(binary.buffer, binary.byteOffset, binary.byteLength).includes(
    'napi_register_module_v1',
  );
}

/**
 * The NODE_MODULE_VERSION a non-N-API module was built for, when its symbol says so.
 * @param {Uint8Array} binary
 * @returns {number | undefined}
 */
export function moduleAbiOf(binary) {
  const text = Buffer.from(binary.buffer, binary.byteOffset, binary.byteLength).toString('latin1');
  const m = /node_register_module_v(\d+)/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/**
 * Whether a binding.gyp asks for an N-API build (`NAPI_VERSION=<n>` among its defines).
 * @param {string} gyp
 */
export function gypDefinesNapi(gyp) {
  return /['"]NAPI_VERSION=\d+['"]/.test(gyp);
}

/** @param {Uint8Array} data */
export function sha256(data) {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Maps an electron-builder pack context to a Node-style platform/arch, or null for the
 * `universal` mac pass (the x64 and arm64 passes have already placed their binaries).
 * @param {{ electronPlatformName: string, arch: number }} context
 * @returns {{ platform: string, arch: string } | null}
 */
export function targetOfPackContext({ electronPlatformName, arch }) {
  const name = BUILDER_ARCHS[arch];
  if (name === undefined) throw new Error(`electron-builder gave an unknown arch: ${arch}`);
  if (name === 'universal') return null;
  const platform = electronPlatformName === 'mas' ? 'darwin' : electronPlatformName;
  return { platform, arch: name };
}

/**
 * Parses electron-native's command line: `[--platform P] [--arch A] [--force-rebuild]`.
 * @param {string[]} argv
 * @returns {{ platform?: string, arch?: string, forceRebuild: boolean, help: boolean }}
 */
export function parseNativeArgs(argv) {
  /** @type {{ platform?: string, arch?: string, forceRebuild: boolean, help: boolean }} */
  const opts = { forceRebuild: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = /** @type {string} */ (argv[i]);
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? a.split(/=(.*)/s, 2) : [a];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--platform') opts.platform = value();
    else if (flag === '--arch') opts.arch = value();
    else if (flag === '--force-rebuild') opts.forceRebuild = true;
    else if (flag === '--help' || flag === '-h') opts.help = true;
    else throw new Error(`unknown argument: ${a}`);
  }
  return opts;
}
