// API checks: Keystone parameters, check definitions (built-in suites and user checks), run
// results and history. Pure zod + types (the renderer imports this file too).
import { z } from 'zod';

import { HostNameSchema } from './hosts';

export const CheckIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'not a check id (letters, digits, . _ -)');

export const SuiteNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'not a suite name (letters, digits, . _ -)');

/**
 * A JSON assertion. `path` is a JSONPath subset: `$`, `.key`, `['key']`, `[n]` (negative counts
 * from the end), `[*]` and `.*` (every element), `..key` (recursive). With a wildcard the
 * assertion holds when it holds for every match (`every`, default) or for one (`some`).
 */
export const AssertionSchema = z
  .object({
    path: z.string().trim().min(1).max(500),
    op: z
      .enum([
        'exists',
        'absent',
        'equals',
        'notEquals',
        'contains',
        'matches',
        'type',
        'gte',
        'lte',
        'lengthGte',
        'lengthLte',
        'oneOf',
      ])
      .default('exists'),
    /** equals/notEquals: any JSON; contains/matches: string; type: array|object|string|number|boolean|null; gte/lte/length*: number; oneOf: array. */
    value: z.unknown().optional(),
    quantifier: z.enum(['every', 'some']).default('every'),
  })
  .strict();
export type Assertion = z.infer<typeof AssertionSchema>;

/** An endpoint from the Keystone catalog: service type, path appended to its URL. */
export const CatalogRefSchema = z
  .object({
    /** Catalog service type: identity, platform, faultmanagement, nfv, smapi, usm, dcmanager … */
    type: z.string().trim().min(1).max(100),
    /** Appended to the endpoint URL (a leading `/` joins, never replaces the endpoint's path). */
    path: z.string().max(2000).default('/'),
    interface: z.enum(['public', 'internal', 'admin']).optional(),
    region: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

export const HttpMethodSchema = z.enum([
  'GET',
  'HEAD',
  'OPTIONS',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
]);

export const CheckDefSchema = z
  .object({
    id: CheckIdSchema,
    name: z.string().trim().min(1).max(200).optional(),
    /** The catalog service it exercises (for grouping), e.g. `sysinv-api`. */
    service: z.string().trim().min(1).max(100).optional(),
    method: HttpMethodSchema.default('GET'),
    /** Either an absolute http(s) URL or a catalog reference. */
    url: z.string().trim().url().max(4000).optional(),
    endpoint: CatalogRefSchema.optional(),
    headers: z.record(z.string().min(1).max(200), z.string().max(8000)).default({}),
    /** JSON (object/array) sent as application/json, or a string sent as is. */
    body: z.unknown().optional(),
    /** Send X-Auth-Token (default true when a keystone is given). */
    auth: z.boolean().default(true),
    expect: z
      .object({
        status: z
          .union([
            z.number().int().min(100).max(599),
            z.array(z.number().int().min(100).max(599)).min(1),
          ])
          .default(200),
        /** Body must be JSON (default true when json assertions are given). */
        json: z.boolean().optional(),
        assertions: z.array(AssertionSchema).max(100).default([]),
        /** Substring that must appear in the body. */
        bodyContains: z.string().max(4000).optional(),
      })
      .strict()
      .default({ status: 200, assertions: [] }),
    /** Latency budget in ms; over budget = failed (cause `budget`). */
    budgetMs: z.number().int().min(1).max(600_000).optional(),
    timeoutMs: z.number().int().min(100).max(600_000).default(10_000),
  })
  .strict()
  .refine((c) => (c.url === undefined) !== (c.endpoint === undefined), {
    message: 'a check needs exactly one of url or endpoint',
  });
export type CheckDef = z.output<typeof CheckDefSchema>;
export type CheckDefInput = z.input<typeof CheckDefSchema>;

export interface SuiteSummary {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly source: 'builtin' | 'user';
  /** Built-in: the YAML file it came from. */
  readonly file?: string;
  readonly checks: readonly CheckDef[];
}

export const KeystoneParamsSchema = z
  .object({
    /** Keystone URL, with or without `/v3` (e.g. http://10.10.10.2:5000/v3). */
    url: z.string().trim().url().max(2000),
    user: z.string().trim().min(1).max(255),
    project: z.string().trim().min(1).max(255),
    userDomain: z.string().trim().min(1).max(255).default('Default'),
    projectDomain: z.string().trim().min(1).max(255).default('Default'),
    region: z.string().trim().min(1).max(255).optional(),
    interface: z.enum(['public', 'internal', 'admin']).default('public'),
    /**
     * Transient: used for this run, kept in memory for the process, never written anywhere.
     * Absent: the password remembered in this process, else a credentials prompt.
     */
    password: z.string().min(1).max(4096).optional(),
  })
  .strict();
export type KeystoneParams = z.output<typeof KeystoneParamsSchema>;

export const ChecksRunSchema = z
  .object({
    /** A suite by name (built-in or user). */
    suite: SuiteNameSchema.optional(),
    /** Or checks given inline (a user's ad-hoc checks). */
    checks: z.array(CheckDefSchema).min(1).max(1000).optional(),
    /** Only these check ids of the suite. */
    only: z.array(CheckIdSchema).max(1000).optional(),
    keystone: KeystoneParamsSchema.optional(),
    /** Reach the APIs (and Keystone) through an SSH tunnel from this inventory host. */
    via: HostNameSchema.optional(),
    /** PEM file with the CA(s) to trust (on the console's machine). */
    ca: z.string().trim().min(1).max(4096).optional(),
    /** Skip TLS verification. Recorded in every result. */
    insecure: z.boolean().default(false),
    concurrency: z.number().int().min(1).max(64).default(8),
    /**
     * Latency budgets: `enforce` (default) fails a check over its budget (cause `budget`);
     * `warn` keeps it passing and marks it `overBudget`.
     */
    budgets: z.enum(['enforce', 'warn']).default('enforce'),
  })
  .strict()
  .refine((r) => (r.suite === undefined) !== (r.checks === undefined), {
    message: 'give either a suite or checks',
  });
export type ChecksRun = z.output<typeof ChecksRunSchema>;

export type CheckFailureCause =
  | 'dns'
  | 'refused'
  | 'timeout'
  | 'tls'
  | 'network'
  | 'auth'
  | 'endpoint'
  | 'status'
  | 'invalid-json'
  | 'assertion'
  | 'body'
  | 'budget'
  | 'tunnel'
  | 'config';

export interface AssertionResult {
  readonly path: string;
  readonly op: string;
  readonly ok: boolean;
  readonly message: string;
  /** The first matched value (JSON, cut to 200 chars). */
  readonly actual?: string;
}

export interface CheckResult {
  readonly id: string;
  readonly name: string;
  readonly service?: string;
  readonly method: string;
  /** The URL as requested (catalog URL resolved; a tunnel's local address is NOT shown here). */
  readonly url: string;
  readonly ok: boolean;
  readonly status: number | null;
  readonly latencyMs: number;
  readonly budgetMs?: number;
  /** Slower than its budget (a failure with budgets `enforce`, a note with `warn`). */
  readonly overBudget?: boolean;
  readonly cause?: CheckFailureCause;
  /** One line for people: why it failed, or "200 OK in 12 ms". */
  readonly message: string;
  readonly assertions: readonly AssertionResult[];
  /** The first 2 KiB of the response body (secrets never appear: tokens are headers). */
  readonly excerpt: string;
  readonly insecure: boolean;
  readonly via?: string;
}

export interface KeystoneSummary {
  readonly url: string;
  readonly user: string;
  readonly project: string;
  readonly ok: boolean;
  readonly latencyMs: number;
  readonly expiresAt?: string;
  /** Catalog services (type/name) with their endpoint count. */
  readonly catalog: readonly {
    readonly type: string;
    readonly name: string;
    readonly endpoints: number;
  }[];
  readonly cause?: CheckFailureCause;
  readonly message: string;
}

/** Streamed by checks.run. */
export type CheckEvent =
  | { readonly type: 'keystone'; readonly keystone: KeystoneSummary }
  | {
      readonly type: 'tunnel';
      readonly via: string;
      readonly remote: string;
      readonly local: string;
    }
  | { readonly type: 'started'; readonly id: string }
  | { readonly type: 'result'; readonly result: CheckResult };

export interface CheckRunReport {
  readonly runId: string;
  readonly suite: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly ok: boolean;
  readonly passed: number;
  readonly failed: number;
  readonly insecure: boolean;
  readonly via?: string;
  readonly keystone?: KeystoneSummary;
  readonly results: readonly CheckResult[];
}

export const ChecksHistorySchema = z
  .object({
    check: CheckIdSchema.optional(),
    suite: SuiteNameSchema.optional(),
    limit: z.number().int().min(1).max(5000).default(100),
  })
  .strict();

/** One past result of one check (newest first); the trend of a check is its list. */
export interface CheckHistoryEntry {
  readonly runId: string;
  readonly at: string;
  readonly suite: string;
  readonly id: string;
  readonly ok: boolean;
  readonly status: number | null;
  readonly latencyMs: number;
  readonly cause?: CheckFailureCause;
  readonly message: string;
}

export interface CheckRunSummary {
  readonly runId: string;
  readonly suite: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly ok: boolean;
  readonly passed: number;
  readonly failed: number;
  readonly via?: string;
  readonly insecure: boolean;
  readonly keystoneUrl?: string;
}

export const ChecksRunsSchema = z
  .object({
    suite: SuiteNameSchema.optional(),
    limit: z.number().int().min(1).max(1000).default(50),
  })
  .strict();

export const ChecksSaveSchema = z
  .object({
    name: SuiteNameSchema,
    title: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(4000).default(''),
    checks: z.array(CheckDefSchema).min(1).max(1000),
  })
  .strict();

export const ChecksDeleteSchema = z.object({ name: SuiteNameSchema }).strict();
