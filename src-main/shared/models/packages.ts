// Package records and results as every face sees them: the PackageManager adapters in core
// produce exactly these, and the contract carries them unchanged.

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
