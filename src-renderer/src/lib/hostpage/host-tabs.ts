// The tabs of a host's page.
export type HostTab = 'packages' | 'services' | 'readiness' | 'drift' | 'compare';

export const HOST_TABS: readonly HostTab[] = [
  'packages',
  'services',
  'readiness',
  'drift',
  'compare',
];
