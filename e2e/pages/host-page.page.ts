// A host's page: OS facts, the virtualised package table, readiness and compare tabs.
import { expect, type Locator } from '@playwright/test';

import { HostsPage } from './hosts.page';

export class HostPage extends HostsPage {
  /** From the hosts table: clicks the host's name. */
  async openHost(name: string): Promise<void> {
    await this.table.getByRole('rowheader', { name }).getByRole('link', { name }).click();
    await expect(this.heading(name)).toBeVisible();
  }

  heading(name: string): Locator {
    return this.page.getByRole('main').getByRole('heading', { level: 2, name });
  }

  /** The value of one OS fact ("OS", "Profile", "Kernel", …). */
  fact(term: string): Locator {
    return this.page
      .getByRole('main')
      .locator('dl[aria-label="Operating system"] > div')
      .filter({ has: this.page.getByRole('term').filter({ hasText: new RegExp(`^${term}$`) }) })
      .getByRole('definition');
  }

  hostTab(name: 'Packages' | 'Readiness' | 'Compare'): Locator {
    return this.page.getByRole('tablist', { name: 'Host' }).getByRole('tab', { name });
  }

  get packageFilter(): Locator {
    return this.page.getByRole('searchbox', { name: 'Filter packages' });
  }

  /** "N of M". */
  get packageCount(): Locator {
    return this.page.getByRole('status', { name: 'Package count' });
  }

  get packageScroller(): Locator {
    return this.page.getByRole('region', { name: 'Package list' });
  }

  get packageTable(): Locator {
    return this.page.getByRole('table', { name: 'Installed packages' });
  }

  /** The package rows in the DOM (the table renders only a window of them). */
  get packageRows(): Locator {
    return this.packageTable.locator('tbody tr[aria-rowindex]');
  }

  async waitForPackages(): Promise<number> {
    await expect(this.packageCount).toHaveText(/^\s*[\d,]+ of [1-9][\d,]*\s*$/);
    const text = (await this.packageCount.textContent()) ?? '';
    return Number(/of ([\d,]+)/.exec(text)?.[1]?.replace(/,/g, '') ?? '0');
  }

  get compareRegion(): Locator {
    return this.page.getByRole('region', { name: 'Comparison' });
  }

  async compareWith(other: string): Promise<void> {
    await this.hostTab('Compare').click();
    await this.page.getByRole('combobox', { name: /^Compare .* with$/ }).selectOption(other);
    await this.page.getByRole('main').getByRole('button', { name: 'Compare', exact: true }).click();
    await expect(this.compareRegion).toBeVisible({ timeout: 30_000 });
  }
}
