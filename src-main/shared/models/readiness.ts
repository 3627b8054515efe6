// DTOs of OS detection, packages, drift, readiness and host comparison as they cross the
// contract. Types core produces as they are live in models/os-facts.ts and models/packages.ts.
import { z } from 'zod';

// ── OS detection ──

import type { OsFacts as OsFactsDto } from './os-facts';

export type { OsFactsDto };
export type { PythonFact as PythonFactDto } from './os-facts';

export interface ProfileSummary {
  readonly id: string;
  readonly name: string;
  readonly family: string;
  readonly format: 'rpm' | 'deb' | 'swupd';
  readonly manager: string;
  /** Only a family-level rule matched. */
  readonly fallback: boolean;
  readonly ties: readonly string[];
}

export interface HostDetection {
  readonly host: string;
  readonly facts: OsFactsDto;
  /** null: no profile matches this OS. */
  readonly profile: ProfileSummary | null;
}

// ── packages ──

export type {
  AvailablePackage as AvailablePackageDto,
  OperationResult as OperationResultDto,
  PackageProgress as PackageProgressDto,
  PackageRecord as PackageRecordDto,
  VerifyIssue as VerifyIssueDto,
  VerifyReport as VerifyReportDto,
} from './packages';

const HostName = z.string().trim().min(1, 'a host name is required').max(253);
/** Checked again (strictly) by the adapters before anything runs. */
const PkgNames = z.array(z.string().min(1).max(255)).min(1).max(1000);

export const HostInputSchema = z.object({ host: HostName }).strict();
export const PackageNameInputSchema = z
  .object({ host: HostName, name: z.string().min(1).max(255) })
  .strict();
export const PackageSearchInputSchema = z
  .object({ host: HostName, term: z.string().min(1).max(255) })
  .strict();
export const PackageVerifyInputSchema = z
  .object({ host: HostName, name: z.string().min(1).max(255).optional() })
  .strict();
export const PackageChangeInputSchema = z.object({ host: HostName, names: PkgNames }).strict();
export const CompareInputSchema = z.object({ a: HostName, b: HostName }).strict();
export const ReadinessRunSchema = z
  .object({
    pattern: z.string().trim().min(1, 'a host pattern is required').max(4000),
    /** Hosts checked at once (default 10). */
    forks: z.number().int().min(1).max(200).optional(),
  })
  .strict();

// ── drift ──

export type DriftPolicy = 'exact' | 'same-minor' | 'any';
export type DriftVerdict = 'ok' | 'drift' | 'missing' | 'not-applicable';

export interface DriftRow {
  /** The manifest's key: a package-map dependency (or a plain package name). */
  readonly dependency: string;
  /** The package name(s) on this OS. */
  readonly packages: readonly string[];
  readonly pinned: string;
  /** Installed version, or null when not installed. */
  readonly installed: string | null;
  readonly policy: DriftPolicy;
  readonly verdict: DriftVerdict;
  readonly note?: string;
}

export interface DriftReport {
  readonly host: string;
  readonly osId: string;
  readonly manifest: string;
  readonly rows: readonly DriftRow[];
  readonly counts: Readonly<Record<DriftVerdict, number>>;
}

// ── readiness ──

export type RuleStatus = 'met' | 'missing' | 'alternative' | 'error';

export interface Evidence {
  /** The command as run (argv), or [] when the fact came from the OS profile. */
  readonly argv: readonly string[];
  readonly exitCode: number | null;
  /** Output excerpt (stdout then stderr, cut to a few KiB). */
  readonly output: string;
  /** Where the fact comes from when not a command of its own (e.g. "os probe", "profile"). */
  readonly source?: string;
}

export interface RuleDescriptor {
  readonly id: string;
  readonly title: string;
  readonly why: string;
}

export interface RuleResult {
  readonly rule: string;
  readonly status: RuleStatus;
  /** One line a person reads in the cell's tooltip. */
  readonly detail: string;
  readonly evidence: readonly Evidence[];
}

export interface HostReadiness {
  readonly host: string;
  /** PRETTY_NAME, or '' when detection failed. */
  readonly os: string;
  readonly profile: string | null;
  /** null when the host could be checked; otherwise why not (no row of results then). */
  readonly error: string | null;
  readonly results: readonly RuleResult[];
  readonly counts: Readonly<Record<RuleStatus, number>>;
  readonly durationMs: number;
}

export interface ReadinessMatrix {
  readonly rules: readonly RuleDescriptor[];
  readonly hosts: readonly HostReadiness[];
  readonly unknown: readonly string[];
  readonly durationMs: number;
  readonly cancelled: boolean;
}

export type ReadinessEvent =
  | { readonly type: 'host-started'; readonly host: string }
  | { readonly type: 'host-finished'; readonly host: string; readonly row: HostReadiness };

// ── compare two hosts ──

export interface FactDifference {
  readonly field: string;
  readonly a: string;
  readonly b: string;
}

export interface PackageDifference {
  readonly name: string;
  readonly arch?: string;
  /** Full versions; null when the package is absent on that side. */
  readonly a: string | null;
  readonly b: string | null;
}

export interface HostComparison {
  readonly a: string;
  readonly b: string;
  /** OS facts side by side (every compared field, `same` tells whether they agree). */
  readonly facts: readonly (FactDifference & { readonly same: boolean })[];
  readonly packages: {
    /** Only on b (added going from a to b). */
    readonly added: readonly PackageDifference[];
    /** Only on a. */
    readonly removed: readonly PackageDifference[];
    readonly changed: readonly PackageDifference[];
    readonly same: number;
  };
  readonly services: {
    readonly onlyA: readonly string[];
    readonly onlyB: readonly string[];
    readonly both: readonly string[];
    /** Evidence when a side could not list them (no systemd): its reason. */
    readonly notes: readonly string[];
  };
  readonly identical: boolean;
}
