// The app shell: what every screen shares (title, theme switch, status bar).
import { expect, type Locator, type Page } from '@playwright/test';

import type { Lab } from '../fixtures/app';

export class ConsolePage {
  constructor(protected readonly lab: Lab) {}

  /** The page or window of the console; it changes when the lab restarts. */
  get page(): Page {
    return this.lab.page;
  }

  get title(): Locator {
    return this.page.getByRole('heading', { level: 1 });
  }

  get statusBar(): Locator {
    return this.page.getByRole('contentinfo');
  }

  /** The connection state in the status bar ("Connected", "Reconnecting…", …). */
  get connection(): Locator {
    return this.statusBar
      .getByRole('status')
      .filter({ hasText: /^\s*(Connected|Connecting|Reconnecting|Disconnected)/ });
  }

  /** Opens the console and waits until it talks to its backend. */
  async open(): Promise<void> {
    await this.lab.open();
    await this.waitUntilConnected();
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await this.waitUntilConnected();
  }

  async restart(): Promise<void> {
    await this.lab.restart();
    await this.waitUntilConnected();
  }

  async waitUntilConnected(): Promise<void> {
    await expect(this.connection).toContainText('Connected');
  }

  async chooseTheme(name: 'Follow system theme' | 'Light theme' | 'Dark theme'): Promise<void> {
    await this.page.getByRole('group', { name: 'Theme' }).getByRole('radio', { name }).check();
  }
}
