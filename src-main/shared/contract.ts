// THE CONTRACT: every request and event the renderer, the CLI and the tests can use.
// Adding a feature = adding entries here, a service in core/, and a line each in app/handlers.ts.
import { z } from 'zod';

import { request, returns } from './contract-kit';
import type { AppInfo } from './models/app';
import {
  GroupInputSchema,
  GroupNameSchema,
  HostInputSchema,
  type Group,
  type Host,
} from './models/hosts';

const Empty = z.object({}).strict().optional().default({});

export const contract = {
  requests: {
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
  },
  events: {
    /** The inventory changed (any face, any window): reload hosts and groups. */
    'inventory.changed': z.object({
      what: z.enum(['host', 'group']),
      action: z.enum(['saved', 'deleted']),
      name: z.string(),
    }),
  },
} as const;

export type AppContract = typeof contract;
