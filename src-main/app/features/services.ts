// The services feature: builds its core services once and implements its part of the contract.
import type { Handlers } from '../../shared/contract-kit';
import type { servicesEvents, servicesRequests } from '../../shared/contract-services';
import { AppError } from '../../shared/errors';
import type { Feature, FeatureContext } from './types';

export type ServicesHandlers = Handlers<{ requests: typeof servicesRequests; events: typeof servicesEvents }>;

const pending = (): never => {
  throw new AppError('unavailable', 'services and API checks are being built');
};

export function createServicesFeature(_ctx: FeatureContext): Feature<ServicesHandlers> {
  return {
    handlers: {
      'services.catalog': pending,
      'services.list': pending,
      'services.action': pending,
      'services.logs': pending,
      'services.follow': pending,
      'checks.suites': pending,
      'checks.run': pending,
      'checks.history': pending,
      'checks.runs': pending,
      'checks.report': pending,
      'checks.save': pending,
      'checks.delete': pending,
    },
  };
}
