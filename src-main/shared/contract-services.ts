// The services part of THE contract (merged into contract.ts). Requests and events of this feature only.
//
// Services (C9): the Flock catalog, live state per host, start/stop/restart in dependency order,
// journal tails. API checks (C10): suites, runs (streamed per-check results), history and trend,
// user suites. Every input is a zod schema (the dispatcher parses it).
import { z } from 'zod';

import { request, returns, type RequestSpec } from './contract-kit';
import {
  ChecksDeleteSchema,
  ChecksHistorySchema,
  ChecksRunSchema,
  ChecksRunsSchema,
  ChecksSaveSchema,
  type CheckEvent,
  type CheckHistoryEntry,
  type CheckRunReport,
  type CheckRunSummary,
  type SuiteSummary,
} from './models/checks';
import {
  ServiceFollowSchema,
  ServiceLogsSchema,
  ServicesActionSchema,
  ServicesListSchema,
  type CatalogServiceDto,
  type JournalLine,
  type ServiceActionEvent,
  type ServiceActionReport,
  type ServiceLogs,
  type ServicesList,
} from './models/services';

const Empty = z.object({}).strict().optional().default({});

export const servicesRequests = {
  'services.catalog': request({
    summary: 'The Flock service catalog (units per OS, ports, start order, checks).',
    input: Empty,
    output: returns<CatalogServiceDto[]>(),
  }),
  'services.list': request({
    summary:
      "A host's Flock services: status, enabled, ports listening, manager (systemd, SysV or sm).",
    input: ServicesListSchema,
    output: returns<ServicesList>(),
  }),
  'services.action': request({
    summary:
      'Start, stop or restart services of a host in dependency order; streams each step. A failed start carries its last journal lines.',
    input: ServicesActionSchema,
    output: returns<ServiceActionReport>(),
    chunk: returns<ServiceActionEvent>(),
  }),
  'services.logs': request({
    summary: "The last lines of a service's journal (or log file).",
    input: ServiceLogsSchema,
    output: returns<ServiceLogs>(),
  }),
  'services.follow': request({
    summary: "Follow a service's journal: streams lines until cancelled; returns the line count.",
    input: ServiceFollowSchema,
    output: returns<{ lines: number }>(),
    chunk: returns<JournalLine>(),
  }),
  'checks.suites': request({
    summary: 'Check suites: built-in (resources/checks) and user-written.',
    input: Empty,
    output: returns<SuiteSummary[]>(),
  }),
  'checks.run': request({
    summary:
      'Run a suite (or inline checks) against Keystone-catalogued APIs, optionally through an SSH tunnel; streams per-check results.',
    input: ChecksRunSchema,
    output: returns<CheckRunReport>(),
    chunk: returns<CheckEvent>(),
  }),
  'checks.history': request({
    summary: 'Past results of checks, newest first (the trend of one check when `check` is given).',
    input: ChecksHistorySchema,
    output: returns<CheckHistoryEntry[]>(),
  }),
  'checks.runs': request({
    summary: 'Past check runs, newest first.',
    input: ChecksRunsSchema,
    output: returns<CheckRunSummary[]>(),
  }),
  'checks.report': request({
    summary: 'One past run with all its results.',
    input: z.object({ runId: z.string().min(1).max(64) }).strict(),
    output: returns<CheckRunReport>(),
  }),
  'checks.save': request({
    summary: 'Create or replace a user suite of generic HTTP checks.',
    input: ChecksSaveSchema,
    output: returns<SuiteSummary>(),
  }),
  'checks.delete': request({
    summary: 'Delete a user suite (its history stays).',
    input: ChecksDeleteSchema,
    output: returns<{ deleted: string }>(),
  }),
} satisfies Record<string, RequestSpec<z.ZodType, unknown, unknown>>;

export const servicesEvents = {
  /** Services of a host changed state through this app (refresh its services tab). */
  'services.changed': z.object({ host: z.string(), services: z.array(z.string()) }),
  /** A check run finished (refresh history and trends). */
  'checks.finished': z.object({
    runId: z.string(),
    suite: z.string(),
    ok: z.boolean(),
    passed: z.number(),
    failed: z.number(),
  }),
} satisfies Record<string, z.ZodType>;
