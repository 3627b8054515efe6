// THE CONTRACT: every request and event the renderer, the CLI and the tests can use.
// Adding a feature = adding entries here, a service in core/, and a line each in app/handlers.ts.
import { z } from 'zod';

import { request, returns } from './contract-kit';
import { flowsEvents, flowsRequests } from './contract-flows';
import { servicesEvents, servicesRequests } from './contract-services';
import { terminalsEvents, terminalsRequests } from './contract-terminals';
import type { AppInfo } from './models/app';
import {
  ExecRunSchema,
  PromptAnswerSchema,
  type HostSshStatus,
  type ImportReport,
  type PatternPreview,
  type RekeyReport,
} from './models/exec';
import type { ExecReport, FanoutEvent } from './models/fanout';
import {
  GroupInputSchema,
  GroupNameSchema,
  HostInputSchema,
  type Group,
  type Host,
} from './models/hosts';
import {
  CompareInputSchema,
  HostInputSchema as HostNameInputSchema,
  PackageChangeInputSchema,
  PackageNameInputSchema,
  PackageSearchInputSchema,
  PackageVerifyInputSchema,
  ReadinessRunSchema,
  type AvailablePackageDto,
  type DriftReport,
  type HostComparison,
  type HostDetection,
  type OperationResultDto,
  type PackageProgressDto,
  type PackageRecordDto,
  type ReadinessEvent,
  type ReadinessMatrix,
  type VerifyReportDto,
} from './models/readiness';

const Empty = z.object({}).strict().optional().default({});

export const contract = {
  requests: {
    ...terminalsRequests,
    ...flowsRequests,
    ...servicesRequests,
    'app.info': request({
      summary: 'Version, face, data folder and secret-store facts.',
      input: Empty,
      output: returns<AppInfo>(),
    }),
    'hosts.list': request({
      summary: 'All hosts of the inventory, by name.',
      input: Empty,
      output: returns<Host[]>(),
    }),
    'hosts.save': request({
      summary: 'Create a host (no id) or update one (with id).',
      input: HostInputSchema.strict(),
      output: returns<Host>(),
    }),
    'hosts.delete': request({
      summary: 'Delete a host and forget its stored password.',
      input: z.object({ id: z.number().int().positive() }).strict(),
      output: returns<{ deleted: string }>(),
    }),
    'groups.list': request({
      summary: 'All groups with their host counts.',
      input: Empty,
      output: returns<Group[]>(),
    }),
    'groups.save': request({
      summary: 'Create, rename or describe a group.',
      input: GroupInputSchema.strict(),
      output: returns<Group>(),
    }),
    'groups.delete': request({
      summary: 'Delete a group; its hosts stay.',
      input: z.object({ name: GroupNameSchema }).strict(),
      output: returns<{ deleted: string }>(),
    }),
    'inventory.preview': request({
      summary: 'The hosts a pattern selects (for the preview beside a pattern field).',
      input: z.object({ pattern: z.string().max(4000) }).strict(),
      output: returns<PatternPreview>(),
    }),
    'inventory.import': request({
      summary:
        'Import an Ansible inventory (INI or YAML) or an ssh_config file into the inventory.',
      input: z
        .object({
          path: z.string().trim().min(1, 'a file path is required').max(4096),
          /** Default: an Ansible inventory; `ssh-config` reads an OpenSSH client config. */
          format: z.enum(['ansible', 'ssh-config']).default('ansible'),
        })
        .strict(),
      output: returns<ImportReport>(),
    }),
    'exec.run': request({
      summary: 'Run one command on many hosts; streams per-host events, ends with the report.',
      input: ExecRunSchema,
      output: returns<ExecReport>(),
      chunk: returns<FanoutEvent>(),
    }),
    'prompts.answer': request({
      summary: 'Answer a host-key or credential prompt.',
      input: PromptAnswerSchema,
      output: returns<{ answered: boolean }>(),
    }),
    'hosts.sshStatus': request({
      summary: 'Pinned host keys (fingerprints as OpenSSH shows them) and open connections.',
      input: Empty,
      output: returns<HostSshStatus[]>(),
    }),
    'hostkeys.rekey': request({
      summary: 'Forget the pinned keys of reimaged hosts (recorded in the audit log).',
      input: z.object({ hosts: z.array(z.string().min(1).max(253)).min(1).max(10_000) }).strict(),
      output: returns<RekeyReport>(),
    }),
    'hosts.detect': request({
      summary: "A host's OS facts (os-release, build.info, kernel, init, Python) and its profile.",
      input: HostNameInputSchema,
      output: returns<HostDetection>(),
    }),
    'hosts.compare': request({
      summary:
        'Two hosts side by side: OS facts, packages (added/removed/changed), enabled services.',
      input: CompareInputSchema,
      output: returns<HostComparison>(),
    }),
    'readiness.run': request({
      summary: 'The MultiOS readiness matrix for the hosts of a pattern; streams per-host rows.',
      input: ReadinessRunSchema,
      output: returns<ReadinessMatrix>(),
      chunk: returns<ReadinessEvent>(),
    }),
    'packages.list': request({
      summary: 'Installed packages (bundles on Clear Linux) of one host.',
      input: HostNameInputSchema,
      output: returns<PackageRecordDto[]>(),
    }),
    'packages.query': request({
      summary: 'One package on one host; null when the package database does not know it.',
      input: PackageNameInputSchema,
      output: returns<PackageRecordDto | null>(),
    }),
    'packages.search': request({
      summary: "Search the host OS's repositories.",
      input: PackageSearchInputSchema,
      output: returns<AvailablePackageDto[]>(),
    }),
    'packages.verify': request({
      summary: 'Verify one package (or the whole system) against the package database.',
      input: PackageVerifyInputSchema,
      output: returns<VerifyReportDto>(),
      chunk: returns<PackageProgressDto>(),
    }),
    'packages.drift': request({
      summary: 'Installed versions against a pinned-version manifest (default: the built-in one).',
      input: z
        .object({
          host: z.string().min(1).max(253),
          /** A manifest file on the console's machine; absent: resources/manifests/starlingx-example.yaml. */
          manifest: z.string().trim().min(1).max(4096).optional(),
        })
        .strict(),
      output: returns<DriftReport>(),
    }),
    'packages.install': request({
      summary: 'Install packages from the repositories (ask the person first); streams output.',
      input: PackageChangeInputSchema,
      output: returns<OperationResultDto>(),
      chunk: returns<PackageProgressDto>(),
    }),
    'packages.remove': request({
      summary: 'Remove packages (ask the person first); streams output.',
      input: PackageChangeInputSchema,
      output: returns<OperationResultDto>(),
      chunk: returns<PackageProgressDto>(),
    }),
  },
  events: {
    ...terminalsEvents,
    ...flowsEvents,
    ...servicesEvents,
    /** An SSH host key nobody has pinned yet: trust it? Answer with prompts.answer. */
    'prompt.hostkey': z.object({
      id: z.string(),
      host: z.string(),
      port: z.number(),
      keyType: z.string(),
      fingerprint: z.string(),
      otherTypes: z.array(z.string()),
    }),
    /** A password, passphrase or keyboard-interactive answer is needed. */
    'prompt.credentials': z.object({
      id: z.string(),
      host: z.string(),
      kind: z.enum(['password', 'passphrase', 'keyboard-interactive']),
      prompts: z.array(z.object({ prompt: z.string(), echo: z.boolean() })),
    }),
    /** A prompt was answered (in any window) or expired: close its dialog. */
    'prompt.closed': z.object({ id: z.string() }),
    /** The inventory changed (any face, any window): reload hosts and groups. */
    'inventory.changed': z.object({
      what: z.enum(['host', 'group']),
      action: z.enum(['saved', 'deleted']),
      name: z.string(),
    }),
  },
} as const;

export type AppContract = typeof contract;
