// Where inside the Flows screen we are, followed from the address (see lib/flows/route.ts).
import { parseFlowsHash, type FlowsRoute } from '../lib/flows/route';

export { flowsHref, type FlowsRoute } from '../lib/flows/route';

class FlowsRouteStore {
  route = $state.raw<FlowsRoute>(parseFlowsHash(location.hash));

  constructor() {
    window.addEventListener('hashchange', () => {
      this.route = parseFlowsHash(location.hash);
    });
  }

  go(href: string): void {
    location.hash = href;
  }
}

export const flowsRoute = new FlowsRouteStore();
