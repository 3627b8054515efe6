// Hosts and groups of the inventory: the schemas every face validates against.
import { z } from 'zod';

import {
  DEFAULT_SSH_PORT,
  HOST_AUTH_KINDS as AUTH_KINDS,
  HOST_BMC_TYPES as BMC_TYPES,
  HOST_ROLES as ROLES,
} from './host-constants';

export { AUTH_KINDS, BMC_TYPES, ROLES };
export type Role = (typeof ROLES)[number];
export type AuthKind = (typeof AUTH_KINDS)[number];

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const NAME_HINT = 'use letters, digits, ".", "_" or "-", starting with a letter or digit';
// A DNS name (labels of letters, digits, hyphens), an IPv4 address, or an IPv6 address
// (optionally in brackets). Deliberately plain: the SSH layer resolves it for real.
const DNS_RE =
  /^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
const IPV4_RE = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6_RE = /^\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?\]?$/;

export function isAddress(value: string): boolean {
  if (/^[\d.]+$/.test(value)) return IPV4_RE.test(value);
  return IPV4_RE.test(value) || DNS_RE.test(value) || IPV6_RE.test(value);
}

export const HostNameSchema = z
  .string()
  .trim()
  .min(1, 'a name is required')
  .max(63, 'at most 63 characters')
  .regex(NAME_RE, NAME_HINT);
export const GroupNameSchema = z
  .string()
  .trim()
  .min(1, 'a group name is required')
  .max(63, 'at most 63 characters')
  .regex(NAME_RE, NAME_HINT);
export const AddressSchema = z
  .string()
  .trim()
  .min(1, 'an address is required')
  .refine(isAddress, 'not a host name or an IPv4/IPv6 address');
const UserSchema = z
  .string()
  .trim()
  .max(64, 'at most 64 characters')
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.@-]*$|^$/, 'not a valid user name')
  .transform((v) => (v === '' ? null : v));
export const PortSchema = z
  .number({ error: 'a port is a number from 1 to 65535' })
  .int('a port is a whole number')
  .min(1, 'ports run from 1 to 65535')
  .max(65535, 'ports run from 1 to 65535');

export const AuthRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('agent') }),
  z.object({
    kind: z.literal('key'),
    keyPath: z.string().trim().min(1, 'the path of a private key file is required').max(4096),
  }),
  z.object({ kind: z.literal('password') }),
]);
export type AuthRef = z.infer<typeof AuthRefSchema>;

export const BmcSchema = z.object({
  type: z.enum(BMC_TYPES, { error: 'redfish or ipmi' }),
  address: AddressSchema,
  user: UserSchema.nullable().default(null),
});
export type Bmc = z.infer<typeof BmcSchema>;

/** One ProxyJump hop: an inventory host name or `[user@]host[:port]`, as ssh -J takes it. */
export const JumpHopSchema = z
  .string()
  .trim()
  .min(1, 'a jump host is empty')
  .max(300)
  .regex(
    /^(?:[A-Za-z0-9_][A-Za-z0-9_.@-]*@)?(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9._-]*)(?::\d{1,5})?$/,
    {
      message: 'a jump host is [user@]host[:port]',
    },
  );

export const CONNECTIONS = ['ssh', 'local'] as const;
export type Connection = (typeof CONNECTIONS)[number];

export const HostInputSchema = z.object({
  /** Absent: create. Present: update that host. */
  id: z.number().int().positive().optional(),
  name: HostNameSchema,
  address: AddressSchema,
  port: PortSchema.default(DEFAULT_SSH_PORT),
  user: UserSchema.nullable().default(null),
  roles: z
    .array(z.enum(ROLES, { error: `one of ${ROLES.join(', ')}` }))
    .max(ROLES.length)
    .default([])
    .transform((roles) => [...new Set(roles)]),
  groups: z
    .array(GroupNameSchema)
    .max(256)
    .default([])
    .transform((g) => [...new Set(g)]),
  bmc: BmcSchema.nullable().default(null),
  auth: AuthRefSchema.default({ kind: 'agent' }),
  /** ProxyJump chain, first hop first. */
  jump: z.array(JumpHopSchema).max(8, 'at most 8 jump hosts').default([]),
  /** `local`: the machine the console runs on, through child processes instead of SSH. */
  connection: z.enum(CONNECTIONS).default('ssh'),
  /**
   * Write-only: with auth kind `password`, the password to keep in the secret store
   * (never in SQLite). Absent keeps the stored one.
   */
  password: z.string().min(1, 'the password is empty').max(4096).optional(),
  notes: z.string().max(4000).optional().default(''),
});
export type HostInput = z.input<typeof HostInputSchema>;
export type HostInputParsed = z.output<typeof HostInputSchema>;

export interface Host {
  readonly id: number;
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly user: string | null;
  readonly roles: readonly Role[];
  readonly groups: readonly string[];
  readonly bmc: Bmc | null;
  readonly auth: AuthRef;
  readonly jump: readonly string[];
  readonly connection: Connection;
  /** Whether a password for this host is held by the secret store right now. */
  readonly hasPassword: boolean;
  readonly notes: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const GroupInputSchema = z.object({
  /** When renaming: the group's current name. */
  previousName: GroupNameSchema.optional(),
  name: GroupNameSchema,
  description: z.string().trim().max(500, 'at most 500 characters').optional().default(''),
});
export type GroupInput = z.input<typeof GroupInputSchema>;

export interface Group {
  readonly name: string;
  readonly description: string;
  readonly hostCount: number;
}
