// THE package-management seam: one interface over rpm + yum/dnf, swupd bundles and apt + dpkg.
// Adapters build argv (never shell lines), force LC_ALL=C, validate every package name before
// anything runs, and turn failures into AppErrors that carry the OS's own message.
import type {
  AvailablePackage,
  OperationResult,
  PackageProgress,
  PackageRecord,
  VerifyIssue,
  VerifyReport,
} from '../../shared/models/packages';
import type { SshTarget } from '../ssh/types';

export type {
  AvailablePackage,
  OperationResult,
  PackageProgress,
  PackageRecord,
  VerifyIssue,
  VerifyReport,
};

export type PackageFormat = 'rpm' | 'deb' | 'swupd';
export type PackageTool = 'apt' | 'dpkg' | 'rpm' | 'yum' | 'dnf' | 'swupd';

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
