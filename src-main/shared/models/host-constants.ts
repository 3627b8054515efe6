// Zod-free constants of the inventory: the one source for models/hosts.ts and for code that
// must stay small (the renderer bundle).

export const HOST_ROLES = ['controller', 'worker', 'storage', 'build'] as const;
export const HOST_BMC_TYPES = ['redfish', 'ipmi'] as const;
export const HOST_AUTH_KINDS = ['agent', 'key', 'password'] as const;
/** The SSH port a host gets when none is given. */
export const DEFAULT_SSH_PORT = 22;
