// Zod-free constants of the inventory, for code that must stay small (the renderer bundle).
// They mirror models/hosts.ts; the type checks below fail the build if the two drift apart.
import type { AuthKind, Bmc, Role } from './hosts';

export const HOST_ROLES = [
  'controller',
  'worker',
  'storage',
  'build',
] as const satisfies readonly Role[];
export const HOST_BMC_TYPES = ['redfish', 'ipmi'] as const satisfies readonly Bmc['type'][];
export const HOST_AUTH_KINDS = ['agent', 'key', 'password'] as const satisfies readonly AuthKind[];
/** The SSH port a host gets when none is given. */
export const DEFAULT_SSH_PORT = 22;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// Compile-time only: every role, BMC type and sign-in kind of the schema is listed here.
export const ROLES_COMPLETE: Same<(typeof HOST_ROLES)[number], Role> = true;
export const AUTH_KINDS_COMPLETE: Same<(typeof HOST_AUTH_KINDS)[number], AuthKind> = true;
export const BMC_TYPES_COMPLETE: Same<(typeof HOST_BMC_TYPES)[number], Bmc['type']> = true;
