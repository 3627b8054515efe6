// The Readiness screen: a pattern, the hosts × requirements matrix, evidence and exports.
import { expect, type Locator } from '@playwright/test';

import { ConsolePage } from './console.page';

export class ReadinessPage extends ConsolePage {
  get navLink(): Locator {
    return this.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Readiness' });
  }

  override async open(): Promise<void> {
    await super.open();
    await this.navLink.click();
    await expect(this.title).toHaveText('Readiness');
  }

  get main(): Locator {
    return this.page.getByRole('main');
  }

  get pattern(): Locator {
    return this.main.getByRole('textbox', { name: 'Host pattern' });
  }

  get runButton(): Locator {
    return this.main.getByRole('button', { name: 'Check readiness' });
  }

  get matrix(): Locator {
    return this.main.getByRole('table', { name: 'Readiness matrix' });
  }

  /** Runs the check on `pattern` and waits for the final matrix (exports become enabled). */
  async check(pattern: string): Promise<void> {
    await this.pattern.fill(pattern);
    await this.runButton.click();
    await expect(this.exportButton('Markdown')).toBeEnabled({ timeout: 30_000 });
  }

  row(host: string): Locator {
    return this.matrix
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: host }) });
  }

  /** A verdict cell; its accessible name is "HOST, RULE TITLE: STATUS — detail". */
  cell(host: string, title: string): Locator {
    return this.row(host).getByRole('button', { name: `${host}, ${title}: ` });
  }

  get evidence(): Locator {
    return this.main.getByRole('complementary', { name: 'Evidence' });
  }

  exportButton(kind: 'Markdown' | 'JSON'): Locator {
    return this.main.getByRole('button', { name: `Export ${kind}` });
  }

  /** Opens an export and returns its text. */
  async exportText(kind: 'Markdown' | 'JSON'): Promise<string> {
    await this.exportButton(kind).click();
    const dialog = this.page.getByRole('dialog', { name: `Readiness as ${kind}` });
    await expect(dialog).toBeVisible();
    return (await dialog.getByLabel('Export text').textContent()) ?? '';
  }
}
