// The services part of THE contract (merged into contract.ts). Requests and events of this feature only.
import type { RequestSpec } from './contract-kit';
import type { z } from 'zod';

export const servicesRequests = {} satisfies Record<string, RequestSpec>;

export const servicesEvents = {} satisfies Record<string, z.ZodType>;
