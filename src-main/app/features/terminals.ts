// The terminals feature: builds its core services once and implements its part of the contract.
import type { Handlers } from '../../shared/contract-kit';
import type { terminalsEvents, terminalsRequests } from '../../shared/contract-terminals';
import type { Feature, FeatureContext } from './types';

export type TerminalsHandlers = Handlers<{ requests: typeof terminalsRequests; events: typeof terminalsEvents }>;

export function createTerminalsFeature(_ctx: FeatureContext): Feature<TerminalsHandlers> {
  return { handlers: {} };
}
