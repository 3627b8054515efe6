// Services of the Flock on one host: the catalog entries, their live state as the host's service
// manager reports it, actions in dependency order and journal lines. Pure zod + types (the
// renderer imports this file too).
import { z } from 'zod';

import { HostNameSchema } from './hosts';

/** A catalog service id (`sysinv-api`) or, where allowed, a unit name (`ssh.service`). */
export const ServiceNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9@._:+-]*$/, 'not a service or unit name');

/** Which tool manages services on the host (from its OS profile's `init`, or sm on StarlingX). */
export type ServiceManagerKind = 'systemd' | 'sysvinit' | 'sm';

/**
 * Live state. systemd: `is-active` words (activating, deactivating, reloading map to themselves);
 * SysV: `service NAME status` exit codes (0 active, 3 inactive, 1/2 failed, 4 not-found);
 * sm: enabled-active → active, disabled → inactive, *-failed → failed.
 * `not-found`: the host has no such unit/script. `unknown`: the manager could not tell.
 */
export type ServiceStatus =
  | 'active'
  | 'inactive'
  | 'failed'
  | 'activating'
  | 'deactivating'
  | 'reloading'
  | 'not-found'
  | 'unknown';

export interface ServicePort {
  readonly port: number;
  readonly proto: 'tcp' | 'udp';
  /** What the catalog says the port is for (`api`, `admin`, `rpc` …). */
  readonly role?: string;
  /** Something listens on it on this host (ss -ltnp / -lunp, else /proc/net/{tcp,udp}{,6}). */
  readonly listening: boolean;
  /** The listening process as ss names it (`"uwsgi",pid=12,fd=3` → `uwsgi`), when visible. */
  readonly process?: string;
}

/** One catalog service as it is on a host. */
export interface ServiceRow {
  /** Catalog id, e.g. `sysinv-api`. */
  readonly name: string;
  readonly title: string;
  /** Flock component (`config`, `fault`, `metal`, `nfv`, `ha`, `update`, `distcloud`, `keystone`). */
  readonly component: string;
  /** The unit/script/SM name the manager was asked about on this host. */
  readonly unit: string;
  readonly manager: ServiceManagerKind;
  readonly status: ServiceStatus;
  /** `is-enabled` (systemd) / rc links (SysV); null when the manager has no such notion. */
  readonly enabled: boolean | null;
  /** Extra state words: systemd SubState (`running`, `dead`, `failed`), sm desired state. */
  readonly detail?: string;
  readonly pid?: number | null;
  /** When the unit entered its state (systemd ActiveEnterTimestamp/InactiveEnterTimestamp). */
  readonly since?: string | null;
  readonly ports: readonly ServicePort[];
  /** Catalog ids this service starts after. */
  readonly dependsOn: readonly string[];
  /** The id of the API-check suite that exercises it, when there is one. */
  readonly checks?: string;
  /** A per-service problem (unknown unit, permission denied …); the other rows are still valid. */
  readonly error?: string;
}

export interface ServicesList {
  readonly host: string;
  readonly manager: ServiceManagerKind;
  /** The matched OS profile, or null when none matched (systemd then assumed, and said so). */
  readonly profile: { readonly id: string; readonly family: string; readonly init: string } | null;
  /** Privileged commands go through `sudo -n` (the host's user is not root). */
  readonly sudo: boolean;
  readonly services: readonly ServiceRow[];
  /** Notes for the person (e.g. "no OS profile matched: systemd assumed"). */
  readonly notes: readonly string[];
}

export const ServicesListSchema = z
  .object({
    host: HostNameSchema,
    /** Only these catalog services (default: every catalog service with a unit for this OS). */
    services: z.array(ServiceNameSchema).max(200).optional(),
  })
  .strict();

export const ServiceActionSchema = z.enum(['start', 'stop', 'restart']);
export type ServiceAction = z.infer<typeof ServiceActionSchema>;

export const ServicesActionSchema = z
  .object({
    host: HostNameSchema,
    /** Catalog ids (unit names also accepted on systemd/SysV). */
    services: z.array(ServiceNameSchema).min(1).max(200),
    action: ServiceActionSchema,
    /**
     * Also act on catalog dependencies (start: those it needs, first; stop: those needing it,
     * first). Default false: only the named services, still ordered among themselves.
     */
    withDependencies: z.boolean().default(false),
    /** Per-service timeout of the manager command (default 90 s). */
    timeoutMs: z.number().int().min(1000).max(900_000).default(90_000),
  })
  .strict();

export type ServiceStepPhase = 'running' | 'ok' | 'failed' | 'skipped';

export interface ServiceActionResult {
  readonly service: string;
  readonly unit: string;
  readonly action: ServiceAction;
  readonly ok: boolean;
  /** Status after the action (is-active / status). */
  readonly status: ServiceStatus;
  readonly durationMs: number;
  /** Why it failed (manager's stderr, unknown unit, a dependency failed → skipped). */
  readonly error?: string;
  /** On a failed start/restart: the unit's own last journal lines (newest last). */
  readonly journal?: readonly string[];
  readonly skipped?: boolean;
}

/** Streamed by services.action. */
export type ServiceActionEvent =
  | { readonly type: 'plan'; readonly order: readonly string[] }
  | { readonly type: 'step'; readonly service: string; readonly phase: 'running' }
  | { readonly type: 'result'; readonly result: ServiceActionResult };

export interface ServiceActionReport {
  readonly host: string;
  readonly action: ServiceAction;
  readonly ok: boolean;
  readonly order: readonly string[];
  readonly results: readonly ServiceActionResult[];
}

export const ServiceLogsSchema = z
  .object({
    host: HostNameSchema,
    /** Catalog id or unit name. */
    service: ServiceNameSchema,
    lines: z.number().int().min(1).max(10_000).default(200),
  })
  .strict();

export const ServiceFollowSchema = z
  .object({
    host: HostNameSchema,
    service: ServiceNameSchema,
    /** Lines of history before following (default 20). */
    lines: z.number().int().min(0).max(10_000).default(20),
  })
  .strict();

/** One journal line (`journalctl -o short-iso`); SysV/sm: a log-file line, `at` parsed if it can be. */
export interface JournalLine {
  /** ISO timestamp as printed, or null (e.g. `-- No entries --`, continuation lines). */
  readonly at: string | null;
  /** The syslog identifier and pid part (`sysinv-api[123]`), when present. */
  readonly ident: string | null;
  readonly message: string;
}

export interface ServiceLogs {
  readonly host: string;
  readonly service: string;
  readonly unit: string;
  /** Where the lines come from: `journal` or a log file path. */
  readonly source: string;
  readonly lines: readonly JournalLine[];
}

/** A catalog entry as the UI needs it (services.catalog). */
export interface CatalogServiceDto {
  readonly name: string;
  readonly title: string;
  readonly component: string;
  readonly description: string;
  /** Unit name per OS family / manager (`debian`, `rhel`, `clear`, `sm`). */
  readonly units: Readonly<Record<string, string>>;
  readonly ports: readonly {
    readonly port: number;
    readonly proto: 'tcp' | 'udp';
    readonly role?: string;
  }[];
  readonly after: readonly string[];
  /** Runs on these personalities (`controller`, `worker`, `storage`, `all`). */
  readonly hosts: readonly string[];
  readonly checks?: string;
  /** Catalog service type for the Keystone catalog (`platform`, `faultmanagement` …). */
  readonly catalogType?: string;
}
