// THE package-management seam: one interface over rpm + yum/dnf, swupd bundles and apt + dpkg.
// Adapters build argv (never shell lines), force LC_ALL=C, validate every package name before
// anything runs, and turn failures into AppErrors that carry the OS's own message.
import type { SshTarget } from '../ssh/types';

export type PackageFormat = 'rpm' | 'deb' | 'swupd';
export type PackageTool = 'apt' | 'dpkg' | 'rpm' | 'yum' | 'dnf' | 'swupd';

/** One package (a bundle, for swupd) as the OS knows it. */
export interface PackageRecord {
  readonly name: string;
  /** Epoch, when the package has one (`1` of `1:8.4p1-5`). */
  readonly epoch?: string;
  /** Upstream version (deb: without epoch and revision; swupd: the OS version). */
  readonly version: string;
  /** rpm Release / Debian revision (`21.el7`, `5+deb11u3`); absent for native debs and bundles. */
  readonly release?: string;
  readonly arch?: string;
  /** Where it came from, when the tool says: yum/dnf `@repo`, apt origin. */
  readonly source?: string;
  /** Tool-specific state, e.g. dpkg's `ii ` / `rc `, swupd's `explicitly installed`. */
  readonly status?: string;
  readonly installed: boolean;
}

/** A package the repositories offer (search results, candidates). */
export interface AvailablePackage {
  readonly name: string;
  readonly version?: string;
  readonly arch?: string;
  readonly repo?: string;
  readonly summary?: string;
}

/** What the repositories offer for one name (apt-cache policy, yum list, bundle-list --all). */
export interface PackageCandidate {
  readonly name: string;
  /** Installed version, or null. */
  readonly installed: string | null;
  /** The version an install would bring, or null when none is available. */
  readonly candidate: string | null;
  readonly versions: readonly { readonly version: string; readonly sources: readonly string[] }[];
}

export interface PackageUpdate {
  readonly name: string;
  readonly arch?: string;
  /** Installed version when the tool shows it. */
  readonly from?: string;
  readonly to: string;
  readonly repo?: string;
}

/** One file reported by rpm -V / dpkg --verify / swupd diagnose. */
export interface VerifyIssue {
  readonly path: string;
  readonly problem: 'changed' | 'missing' | 'extraneous';
  /** rpm/dpkg attribute flags: `S.5....T.` (empty for missing files and swupd). */
  readonly flags: string;
  /** Decoded flags: size, mode, digest, device, link, user, group, mtime, capabilities. */
  readonly changed: readonly string[];
  /** rpm/dpkg file attribute marker: c (config), d (doc), g, l, r, or ''. */
  readonly attr: string;
  /** Free text the tool added (e.g. rpm's `(Permission denied)`). */
  readonly note?: string;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly issues: readonly VerifyIssue[];
  /** The command's output, as evidence. */
  readonly output: string;
  /** swupd: files inspected, when it says. */
  readonly inspected?: number;
}

export interface OperationResult {
  readonly argv: readonly string[];
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

export interface PackageProgress {
  readonly phase: 'start' | 'output' | 'done';
  readonly argv: readonly string[];
  readonly stream?: 'stdout' | 'stderr';
  /** One output line (without the newline), for phase 'output'. */
  readonly line?: string;
}

export interface PmOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

/** Options of long operations: progress is streamed line by line. */
export interface PmLongOptions extends PmOptions {
  readonly onProgress?: (event: PackageProgress) => void;
}

export interface InstallRequest {
  /** Package (bundle) names from the repositories. */
  readonly names?: readonly string[];
  /** Package files already on the target host (absolute paths, .deb / .rpm). */
  readonly files?: readonly string[];
}

export interface RemoveOptions extends PmLongOptions {
  /** Also remove what depends on it (apt-get remove / yum remove) instead of refusing (dpkg -r / rpm -e). */
  readonly withDependents?: boolean;
  /** deb: remove configuration files too. */
  readonly purge?: boolean;
}

export interface PackageManager {
  readonly format: PackageFormat;
  /** The front end in use (apt, yum, dnf, swupd; `rpm` when there is none). */
  readonly tool: PackageTool;
  listInstalled(target: SshTarget, options?: PmLongOptions): Promise<PackageRecord[]>;
  /** One package; null when the package database does not know the name at all. */
  query(target: SshTarget, name: string, options?: PmOptions): Promise<PackageRecord | null>;
  /** Searches the OS's repositories by name (and summary where the tool does). */
  search(target: SshTarget, term: string, options?: PmLongOptions): Promise<AvailablePackage[]>;
  /** What an install of `name` would bring; null when no repository knows the name. */
  candidate(target: SshTarget, name: string, options?: PmOptions): Promise<PackageCandidate | null>;
  install(
    target: SshTarget,
    request: InstallRequest,
    options?: PmLongOptions,
  ): Promise<OperationResult>;
  remove(
    target: SshTarget,
    names: readonly string[],
    options?: RemoveOptions,
  ): Promise<OperationResult>;
  /** Verifies one package, or the whole system when name is omitted. */
  verify(target: SshTarget, name?: string, options?: PmLongOptions): Promise<VerifyReport>;
  /** Updates available from the repositories as last refreshed. */
  updates(target: SshTarget, options?: PmLongOptions): Promise<PackageUpdate[]>;
  /** Refreshes repository metadata (apt-get update, yum makecache); network needed. */
  refresh(target: SshTarget, options?: PmLongOptions): Promise<OperationResult>;
}

/** `[epoch:]version[-release]`, the way people write a full version. */
export function fullVersion(p: Pick<PackageRecord, 'epoch' | 'version' | 'release'>): string {
  const e = p.epoch && p.epoch !== '0' ? `${p.epoch}:` : '';
  return `${e}${p.version}${p.release ? `-${p.release}` : ''}`;
}
