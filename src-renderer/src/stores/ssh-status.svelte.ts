// What the console knows of each host's SSH side: the host keys it has pinned and the pooled
// connections it holds open. Cheap to ask for: the Hosts screen polls it while it is shown.
import type { HostSshStatus, RekeyReport } from '@shared/models/exec';

import { backend } from '../platform/backend';
import { errorMessage } from './errors';

const POLL_MS = 10_000;

export class SshStatusStore {
  /** By host name; empty until the first answer. */
  byName = $state.raw<Readonly<Record<string, HostSshStatus>>>({});
  loaded = $state(false);
  error = $state('');
  #generation = 0;

  async refresh(): Promise<void> {
    const generation = ++this.#generation;
    try {
      const list = await backend.call('hosts.sshStatus', {});
      if (generation !== this.#generation) return;
      this.byName = Object.fromEntries(list.map((s) => [s.name, s]));
      this.loaded = true;
      this.error = '';
    } catch (err) {
      if (generation === this.#generation) this.error = errorMessage(err);
    }
  }

  /**
   * Refreshes now, on every inventory change and every 10 s while the page is visible;
   * returns the function that stops (call it when the screen that shows the status goes away).
   */
  watch(): () => void {
    const off = backend.on('inventory.changed', () => void this.refresh());
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void this.refresh();
    }, POLL_MS);
    void this.refresh();
    return () => {
      off();
      clearInterval(timer);
    };
  }

  /** Forgets the pinned keys of these hosts (recorded in the audit log), then refreshes. */
  async rekey(hosts: readonly string[]): Promise<RekeyReport> {
    const report = await backend.call('hostkeys.rekey', { hosts: [...hosts] });
    await this.refresh();
    return report;
  }
}

export const sshStatus = new SshStatusStore();
