// Drift: a host's installed versions against a pinned-version manifest (a file on the console's
// machine, or the built-in StarlingX example when none is given).
import type { DriftReport } from '@shared/models/readiness';

import { backend } from '../platform/backend';
import { errorMessage } from './errors';

export class DriftStore {
  /** The manifest file's path; empty: the built-in example. */
  manifest = $state('');
  report = $state.raw<DriftReport | null>(null);
  busy = $state(false);
  error = $state('');
  #generation = 0;

  async check(host: string): Promise<void> {
    const generation = ++this.#generation;
    const manifest = this.manifest.trim();
    this.busy = true;
    this.error = '';
    this.report = null;
    try {
      const report = await backend.call('packages.drift', manifest ? { host, manifest } : { host });
      if (generation === this.#generation) this.report = report;
    } catch (err) {
      if (generation === this.#generation) this.error = errorMessage(err);
    } finally {
      if (generation === this.#generation) this.busy = false;
    }
  }

  clear(): void {
    this.#generation++;
    this.report = null;
    this.error = '';
    this.busy = false;
  }
}

export const drift = new DriftStore();
