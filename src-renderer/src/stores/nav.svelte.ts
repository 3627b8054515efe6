// The screens of the console and which one is shown. Features add an entry to NAV_ITEMS.
import type { IconName } from '../lib/ui/icons';

export type ScreenId = 'hosts' | 'terminals' | 'run' | 'flows' | 'readiness' | 'checks';

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
    id: 'terminals',
    label: 'Terminals',
    summary: 'SSH and local shells in tabs and split panes, logged, with safe broadcast.',
    icon: 'monitor',
  },
  {
    id: 'run',
    label: 'Run',
    summary: 'One command on many hosts: live per-host results, identical outputs grouped, diffs.',
    icon: 'terminal',
  },
  {
    id: 'flows',
    label: 'Flows',
    summary: 'Guided bring-up: runbooks step by step, live per-host progress, history and reports.',
    icon: 'play',
  },
  {
    id: 'readiness',
    label: 'Readiness',
    summary:
      'MultiOS readiness: hosts × StarlingX requirements, with the evidence of each verdict.',
    icon: 'circle-check',
  },
  {
    id: 'checks',
    label: 'API checks',
    summary: 'Keystone and the Flock service APIs: check suites, latency, responses and trends.',
    icon: 'shield',
  },
];

function fromHash(hash: string): ScreenId {
  const id = hash.replace(/^#\/?/, '').split('/')[0];
  return NAV_ITEMS.find((item) => item.id === id)?.id ?? 'hosts';
}

/** `#/hosts/<name>`: the page of one host. */
function hostFromHash(hash: string): string | null {
  const m = /^#\/?hosts\/(.+)$/.exec(hash);
  if (!m?.[1]) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return null;
  }
}

/** The address of a host's page. */
export function hostHref(name: string): string {
  return `#/hosts/${encodeURIComponent(name)}`;
}

export class NavStore {
  current = $state<ScreenId>(fromHash(location.hash));
  /** The host whose page is shown (Hosts screen), or null for the inventory. */
  host = $state<string | null>(hostFromHash(location.hash));
  readonly item: NavItem = $derived(
    NAV_ITEMS.find((i) => i.id === this.current) ?? (NAV_ITEMS[0] as NavItem),
  );

  constructor() {
    window.addEventListener('hashchange', () => {
      this.current = fromHash(location.hash);
      this.host = hostFromHash(location.hash);
    });
  }
}

export const nav = new NavStore();
