// The flows feature: builds its core services once and implements its part of the contract.
import type { Handlers } from '../../shared/contract-kit';
import type { flowsEvents, flowsRequests } from '../../shared/contract-flows';
import type { Feature, FeatureContext } from './types';

export type FlowsHandlers = Handlers<{ requests: typeof flowsRequests; events: typeof flowsEvents }>;

export function createFlowsFeature(_ctx: FeatureContext): Feature<FlowsHandlers> {
  return { handlers: {} };
}
