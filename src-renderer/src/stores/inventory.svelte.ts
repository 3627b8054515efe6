// Hosts and groups of the inventory, kept fresh: reloaded after every change made here and on
// each 'inventory.changed' event (another window, tab or the CLI may change them too).
import type { ImportReport } from '@shared/models/exec';
import type { Group, GroupInput, Host, HostInput } from '@shared/models/hosts';

import { backend } from '../platform/backend';
import { errorMessage } from './errors';

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export function byName<T extends { readonly name: string }>(a: T, b: T): number {
  return collator.compare(a.name, b.name);
}

export class InventoryStore {
  hosts = $state.raw<Host[]>([]);
  groups = $state.raw<Group[]>([]);
  loaded = $state(false);
  loadError = $state('');
  #generation = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Loads now and on every change event; returns the function that stops listening. */
  start(): () => void {
    const off = backend.on('inventory.changed', () => this.#reloadSoon());
    void this.reload();
    return () => {
      off();
      clearTimeout(this.#timer);
    };
  }

  async reload(): Promise<void> {
    const generation = ++this.#generation;
    try {
      const [hosts, groups] = await Promise.all([
        backend.call('hosts.list', {}),
        backend.call('groups.list', {}),
      ]);
      // A slower, older answer must not overwrite a newer one.
      if (generation !== this.#generation) return;
      this.hosts = [...hosts].sort(byName);
      this.groups = [...groups].sort(byName);
      this.loaded = true;
      this.loadError = '';
    } catch (err) {
      if (generation === this.#generation) this.loadError = errorMessage(err);
    }
  }

  async saveHost(input: HostInput): Promise<Host> {
    const host = await backend.call('hosts.save', input);
    await this.reload();
    return host;
  }

  async deleteHost(host: Host): Promise<string> {
    const { deleted } = await backend.call('hosts.delete', { id: host.id });
    await this.reload();
    return deleted;
  }

  async saveGroup(input: GroupInput): Promise<Group> {
    const group = await backend.call('groups.save', input);
    await this.reload();
    return group;
  }

  async deleteGroup(group: Group): Promise<string> {
    const { deleted } = await backend.call('groups.delete', { name: group.name });
    await this.reload();
    return deleted;
  }

  /** Imports an Ansible inventory file (a path on the console's machine). */
  async importFile(path: string): Promise<ImportReport> {
    const report = await backend.call('inventory.import', { path });
    await this.reload();
    return report;
  }

  /** Events come in bursts (a save touches hosts and groups): reload once per burst. */
  #reloadSoon(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.reload(), 50);
  }
}

export const inventory = new InventoryStore();
