// The services feature: builds its core services once and implements its part of the contract.
import type { Handlers } from '../../shared/contract-kit';
import type { servicesEvents, servicesRequests } from '../../shared/contract-services';
import type { Feature, FeatureContext } from './types';

export type ServicesHandlers = Handlers<{ requests: typeof servicesRequests; events: typeof servicesEvents }>;

export function createServicesFeature(_ctx: FeatureContext): Feature<ServicesHandlers> {
  return { handlers: {} };
}
