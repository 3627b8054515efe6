// The screens of the console and which one is shown. Features add an entry to NAV_ITEMS.
import type { IconName } from '../lib/ui/icons';

export type ScreenId = 'hosts' | 'run';

export interface NavItem {
  readonly id: ScreenId;
  readonly label: string;
  /** One line under the screen title. */
  readonly summary: string;
  /** Name of an icon in lib/ui/icons.ts. */
  readonly icon: IconName;
}

export const NAV_ITEMS: readonly NavItem[] = [
  {
    id: 'hosts',
    label: 'Hosts',
    summary: 'Inventory of the lab: how to reach each machine, its roles, groups and BMC.',
    icon: 'server',
  },
  {
    id: 'run',
    label: 'Run',
    summary: 'One command on many hosts: live per-host results, identical outputs grouped, diffs.',
    icon: 'terminal',
  },
];

function fromHash(hash: string): ScreenId {
  const id = hash.replace(/^#\/?/, '');
  return NAV_ITEMS.find((item) => item.id === id)?.id ?? 'hosts';
}

export class NavStore {
  current = $state<ScreenId>(fromHash(location.hash));
  readonly item: NavItem = $derived(
    NAV_ITEMS.find((i) => i.id === this.current) ?? (NAV_ITEMS[0] as NavItem),
  );

  constructor() {
    window.addEventListener('hashchange', () => {
      this.current = fromHash(location.hash);
    });
  }
}

export const nav = new NavStore();
