// The dialogs the core opens while connecting: an unknown host key, a password or passphrase.
import { expect, type Locator, type Page } from '@playwright/test';

export class HostKeyPromptDialog {
  readonly root: Locator;

  constructor(page: Page) {
    this.root = page.getByRole('alertdialog', { name: 'Unknown host key' });
  }

  get fingerprint(): Locator {
    return this.root.getByLabel('Fingerprint');
  }

  get trustButton(): Locator {
    return this.root.getByRole('button', { name: 'Trust and connect' });
  }

  get refuseButton(): Locator {
    return this.root.getByRole('button', { name: 'Refuse' });
  }

  async expectOpen(): Promise<void> {
    await expect(this.root).toBeVisible();
  }

  async refuse(): Promise<void> {
    await this.refuseButton.click();
    await expect(this.root).toBeHidden();
  }

  async trust(): Promise<void> {
    await this.trustButton.click();
    await expect(this.root).toBeHidden();
  }
}

export class CredentialsPromptDialog {
  readonly root: Locator;

  constructor(page: Page, host: string) {
    this.root = page.getByRole('dialog', { name: new RegExp(` for ${host}$`) });
  }
}
