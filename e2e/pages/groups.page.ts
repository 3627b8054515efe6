// The Groups tab of the Hosts screen.
import { expect, type Locator } from '@playwright/test';

import { ConsolePage } from './console.page';

export class GroupsTab extends ConsolePage {
  get tab(): Locator {
    return this.page.getByRole('tab', { name: /^Groups/ });
  }

  get table(): Locator {
    return this.page.getByRole('table', { name: 'Groups' });
  }

  get dialog(): Locator {
    return this.page.getByRole('dialog', { name: /^(New group|Edit group .+)$/ });
  }

  /** Switches to the Groups tab (the Hosts screen must be open). */
  async show(): Promise<void> {
    await this.tab.click();
    await expect(this.tab).toHaveAttribute('aria-selected', 'true');
  }

  row(name: string): Locator {
    return this.table
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name, exact: true }) });
  }

  async create(name: string, description = ''): Promise<void> {
    await this.show();
    await this.page.getByRole('button', { name: 'New group', exact: true }).click();
    await this.fillAndSave(name, description, 'Create group');
    await expect(this.row(name)).toBeVisible();
  }

  async edit(name: string, newName: string, description?: string): Promise<void> {
    await this.show();
    await this.page.getByRole('button', { name: `Edit group ${name}`, exact: true }).click();
    await this.fillAndSave(newName, description, 'Save changes');
    await expect(this.row(newName)).toBeVisible();
  }

  async delete(name: string): Promise<void> {
    await this.show();
    await this.page.getByRole('button', { name: `Delete group ${name}`, exact: true }).click();
    const confirm = this.page.getByRole('alertdialog', { name: `Delete group ${name}?` });
    await confirm.getByRole('button', { name: 'Delete group' }).click();
    await expect(confirm).toBeHidden();
    await expect(this.row(name)).toHaveCount(0);
  }

  /** The host count the Groups tab shows for a group, e.g. "1 host". */
  async expectHostCount(name: string, count: number): Promise<void> {
    await this.show();
    const text = `${count} host${count === 1 ? '' : 's'}`;
    await expect(this.row(name).getByRole('cell').nth(1)).toHaveText(text);
  }

  async expectDescription(name: string, description: string): Promise<void> {
    await this.show();
    await expect(this.row(name).getByRole('cell').nth(0)).toHaveText(description);
  }

  /** Opens the re-key confirmation of a group's hosts (confirm it with RekeyDialog). */
  async openRekey(name: string): Promise<void> {
    await this.show();
    await this.page
      .getByRole('button', { name: `Re-key hosts of group ${name}`, exact: true })
      .click();
  }

  /** Clicks the host count of a group: the Hosts tab then shows only that group's hosts. */
  async showHostsOf(name: string): Promise<void> {
    await this.show();
    await this.row(name).getByRole('cell').nth(1).getByRole('button').click();
  }

  private async fillAndSave(
    name: string,
    description: string | undefined,
    button: string,
  ): Promise<void> {
    await expect(this.dialog).toBeVisible();
    await this.dialog.getByRole('textbox', { name: 'Group name' }).fill(name);
    if (description !== undefined) {
      await this.dialog.getByRole('textbox', { name: 'Description' }).fill(description);
    }
    await this.dialog.getByRole('button', { name: button }).click();
    await expect(this.dialog).toBeHidden();
  }
}
