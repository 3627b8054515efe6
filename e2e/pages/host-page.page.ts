// A host's page: OS facts, the virtualised package table, readiness, drift and compare tabs.
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

  hostTab(name: 'Packages' | 'Readiness' | 'Drift' | 'Compare'): Locator {
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

  get manifestField(): Locator {
    return this.page.getByRole('textbox', { name: 'Manifest file' });
  }

  get driftRegion(): Locator {
    return this.page.getByRole('region', { name: 'Drift report' });
  }

  get driftRows(): Locator {
    return this.driftRegion.getByRole('table').locator('tbody tr');
  }

  /** The number shown on one verdict's chip. */
  async driftCount(verdict: string): Promise<number> {
    const chip = this.driftRegion.locator(`[data-verdict="${verdict}"] .count`);
    return Number((await chip.textContent()) ?? 'NaN');
  }

  async checkDrift(manifest = ''): Promise<void> {
    await this.hostTab('Drift').click();
    await this.manifestField.fill(manifest);
    await this.page.getByRole('button', { name: 'Check drift', exact: true }).click();
  }
}
