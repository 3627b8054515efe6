// The tabs of a host's page.
export type HostTab = 'packages' | 'readiness' | 'drift' | 'compare';

export const HOST_TABS: readonly HostTab[] = ['packages', 'readiness', 'drift', 'compare'];
