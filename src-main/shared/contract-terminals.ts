// The terminals part of THE contract (merged into contract.ts). Requests and events of this feature only.
import type { RequestSpec } from './contract-kit';
import type { z } from 'zod';

export const terminalsRequests = {} satisfies Record<string, RequestSpec>;

export const terminalsEvents = {} satisfies Record<string, z.ZodType>;
