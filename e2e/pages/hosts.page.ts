// The Hosts screen: filter, table, row actions, delete confirmation.
import { expect, type Locator } from '@playwright/test';

import { ConsolePage } from './console.page';
import { HostDialog, type HostSpec } from './host-dialog.page';

export interface HostRowFacts {
  address?: string | RegExp;
  user?: string;
  roles?: string[];
  groups?: string[];
  bmc?: string;
  signIn?: string | RegExp;
}

export class HostsPage extends ConsolePage {
  get tab(): Locator {
    return this.page.getByRole('tab', { name: /^Hosts/ });
  }

  /** Switches to the Hosts tab (it is the one shown when the screen opens). */
  async show(): Promise<void> {
    await this.tab.click();
    await expect(this.tab).toHaveAttribute('aria-selected', 'true');
  }

  get navLink(): Locator {
    return this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Hosts' });
  }

  /** Goes to the Hosts screen from anywhere in the console. */
  async showScreen(): Promise<void> {
    await this.navLink.click();
    await this.waitForInventory();
  }

  get table(): Locator {
    return this.page.getByRole('table', { name: /^Hosts/ });
  }

  get addButton(): Locator {
    return this.page.getByRole('main').getByRole('button', { name: 'Add host', exact: true });
  }

  get filter(): Locator {
    return this.page.getByRole('searchbox', { name: 'Filter hosts' });
  }

  get emptyState(): Locator {
    return this.page.getByRole('heading', { name: 'No hosts yet' });
  }

  get importButton(): Locator {
    return this.page.getByRole('main').getByRole('button', { name: 'Import inventory…' });
  }

  get importDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Import inventory' });
  }

  /** Imports an inventory file; resolves once the dialog shows its result or its error. */
  async importInventory(path: string): Promise<Locator> {
    await this.show();
    await this.importButton.click();
    const dialog = this.importDialog;
    await dialog.getByRole('textbox', { name: 'Inventory file' }).fill(path);
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(dialog.getByRole('status').or(dialog.getByRole('alert'))).toBeVisible();
    return dialog;
  }

  get dialog(): HostDialog {
    return new HostDialog(this.page);
  }

  /** Opens the console on the Hosts screen and waits for the inventory to load. */
  override async open(): Promise<void> {
    await super.open();
    await this.waitForInventory();
  }

  override async reload(): Promise<void> {
    await super.reload();
    await this.waitForInventory();
  }

  override async restart(): Promise<void> {
    await super.restart();
    await this.waitForInventory();
  }

  async waitForInventory(): Promise<void> {
    await expect(this.title).toHaveText('Hosts');
    await expect(this.table.or(this.emptyState)).toBeVisible();
  }

  row(name: string): Locator {
    return this.table
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name, exact: true }) });
  }

  /** Host names in the order the table shows them. */
  async names(): Promise<string[]> {
    await this.show();
    if (!(await this.table.isVisible())) return [];
    return (await this.table.getByRole('rowheader').allTextContents()).map((t) => t.trim());
  }

  async openAddDialog(): Promise<HostDialog> {
    await this.show();
    await this.addButton.click();
    await this.dialog.expectOpen();
    return this.dialog;
  }

  async addHost(spec: HostSpec): Promise<void> {
    const dialog = await this.openAddDialog();
    await dialog.fill(spec);
    await dialog.saveAndClose();
    if (spec.name) await expect(this.row(spec.name)).toBeVisible();
  }

  async openEditDialog(name: string): Promise<HostDialog> {
    await this.show();
    await this.page.getByRole('button', { name: `Edit ${name}`, exact: true }).click();
    await this.dialog.expectOpen();
    return this.dialog;
  }

  async editHost(name: string, spec: HostSpec): Promise<void> {
    const dialog = await this.openEditDialog(name);
    await dialog.fill(spec);
    await dialog.saveAndClose();
  }

  deleteDialog(name: string): Locator {
    return this.page.getByRole('alertdialog', { name: `Delete host ${name}?` });
  }

  async deleteHost(name: string): Promise<void> {
    await this.show();
    await this.page.getByRole('button', { name: `Delete ${name}`, exact: true }).click();
    const confirm = this.deleteDialog(name);
    await expect(confirm).toBeVisible();
    await confirm.getByRole('button', { name: 'Delete host' }).click();
    await expect(confirm).toBeHidden();
    await expect(this.row(name)).toHaveCount(0);
  }

  /**
   * The SSH column: "Connected", "Key pinned" or "No key yet", followed (for screen readers,
   * and in the tooltip) by the pinned fingerprints.
   */
  sshCell(name: string): Locator {
    return this.row(name).getByRole('cell').nth(6);
  }

  /** The row shows these facts (each cell contains the given text). */
  async expectRow(name: string, facts: HostRowFacts): Promise<void> {
    await this.show();
    const cells = this.row(name).getByRole('cell');
    if (facts.address !== undefined) await expect(cells.nth(0)).toHaveText(facts.address);
    if (facts.user !== undefined) await expect(cells.nth(1)).toHaveText(facts.user);
    for (const role of facts.roles ?? []) await expect(cells.nth(2)).toContainText(role);
    for (const group of facts.groups ?? []) await expect(cells.nth(3)).toContainText(group);
    if (facts.bmc !== undefined) await expect(cells.nth(4)).toContainText(facts.bmc);
    if (facts.signIn !== undefined) await expect(cells.nth(5)).toContainText(facts.signIn);
  }
}
