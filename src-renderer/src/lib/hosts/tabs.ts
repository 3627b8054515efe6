// The two tabs of the inventory screen and the ids that tie each tab to its panel.
export type InventoryTab = 'hosts' | 'groups';

export const INVENTORY_TABS: readonly InventoryTab[] = ['hosts', 'groups'];

export function tabId(prefix: string, tab: InventoryTab): string {
  return `${prefix}-tab-${tab}`;
}

export function panelId(prefix: string): string {
  return `${prefix}-panel`;
}
