// Comparing two hosts: OS facts, packages (added/removed/changed) and enabled services.
import type { HostComparison } from '@shared/models/readiness';

import { backend } from '../platform/backend';
import { errorMessage } from './errors';

export class CompareStore {
  result = $state.raw<HostComparison | null>(null);
  busy = $state(false);
  error = $state('');
  #generation = 0;

  async compare(a: string, b: string): Promise<void> {
    const generation = ++this.#generation;
    this.busy = true;
    this.error = '';
    this.result = null;
    try {
      const result = await backend.call('hosts.compare', { a, b });
      if (generation === this.#generation) this.result = result;
    } catch (err) {
      if (generation === this.#generation) this.error = errorMessage(err);
    } finally {
      if (generation === this.#generation) this.busy = false;
    }
  }

  clear(): void {
    this.#generation++;
    this.result = null;
    this.error = '';
    this.busy = false;
  }
}

export const compare = new CompareStore();
