// The checks.run request from the connection form: empty fields are left out, the password goes
// only when one was typed (else the backend uses the one it remembers, or asks).
import type { z } from 'zod';

import type { ChecksRunSchema } from '@shared/models/checks';

export interface ConnectionFields {
  url: string;
  user: string;
  project: string;
  region: string;
  userDomain: string;
  projectDomain: string;
  iface: 'public' | 'internal' | 'admin';
  via: string;
  ca: string;
  insecure: boolean;
  /** Fail a check slower than its latency budget (else: passed, marked over budget). */
  enforceBudgets: boolean;
}

export type ChecksRunInput = z.input<typeof ChecksRunSchema>;

export function runInput(c: ConnectionFields, suite: string, password: string): ChecksRunInput {
  const keystone = c.url.trim()
    ? {
        url: c.url.trim(),
        user: c.user.trim(),
        project: c.project.trim(),
        userDomain: c.userDomain.trim() || 'Default',
        projectDomain: c.projectDomain.trim() || 'Default',
        interface: c.iface,
        ...(c.region.trim() ? { region: c.region.trim() } : {}),
        ...(password ? { password } : {}),
      }
    : undefined;
  return {
    suite,
    ...(keystone ? { keystone } : {}),
    ...(c.via ? { via: c.via } : {}),
    ...(c.ca.trim() ? { ca: c.ca.trim() } : {}),
    insecure: c.insecure,
    budgets: c.enforceBudgets ? 'enforce' : 'warn',
  };
}
