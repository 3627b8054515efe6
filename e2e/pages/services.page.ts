// A host's Services tab: the Flock services table, start/stop/restart with the confirmation and
// the streamed steps, and the journal panel.
import { expect, type Locator } from '@playwright/test';

import { HostPage } from './host-page.page';

export type ServiceState =
  'Running' | 'Stopped' | 'Failed' | 'Starting' | 'Stopping' | 'Not installed' | 'Unknown';

export class ServicesPage extends HostPage {
  get servicesTab(): Locator {
    return this.page.getByRole('tablist', { name: 'Host' }).getByRole('tab', { name: 'Services' });
  }

  get servicesTable(): Locator {
    return this.page.getByRole('table', { name: 'Services' });
  }

  /** The host's services tab, with its table listed. */
  async showServices(): Promise<void> {
    await this.servicesTab.click();
    await expect(this.servicesTab).toHaveAttribute('aria-selected', 'true');
    // Over SSH on a loaded machine: the first listing may take a while.
    await expect(this.servicesTable).toBeVisible({ timeout: 60_000 });
  }

  /** "Managed by systemd · debian-12" beside the actions. */
  get managedBy(): Locator {
    return this.page.getByRole('main').getByText(/^\s*Managed by /);
  }

  /** The services the host does not have are folded away until asked for. */
  async showNotInstalled(): Promise<void> {
    await this.page
      .getByRole('region', { name: 'Host services' })
      .getByRole('button', { name: /^Show the .* not installed on / })
      .click();
  }

  serviceRow(service: string): Locator {
    return this.servicesTable
      .locator('tbody tr')
      .filter({ has: this.page.getByRole('rowheader', { name: new RegExp(`^${service}\\b`) }) });
  }

  status(service: string): Locator {
    return this.serviceRow(service).locator('[data-col="status"]');
  }

  async expectStatus(service: string, state: ServiceState, timeout = 30_000): Promise<void> {
    await expect(this.status(service)).toContainText(state, { timeout });
  }

  async select(...names: string[]): Promise<void> {
    for (const n of names)
      await this.servicesTable.getByRole('checkbox', { name: `Select ${n}` }).check();
  }

  actionButton(verb: 'Start' | 'Stop' | 'Restart'): Locator {
    return this.page
      .getByRole('group', { name: 'Act on the selected services' })
      .getByRole('button', { name: verb, exact: true });
  }

  confirmDialog(verb: 'Stop' | 'Restart'): Locator {
    return this.page.getByRole('alertdialog', { name: new RegExp(`^${verb} .+ on .+\\?$`) });
  }

  get steps(): Locator {
    return this.page.getByRole('region', { name: 'Service actions' });
  }

  step(service: string): Locator {
    return this.steps.locator(`li[data-service="${service}"]`);
  }

  /** The outcome line under the steps ("All stopped.", "1 of 1 failed."). */
  get outcome(): Locator {
    return this.steps.getByRole('status');
  }

  /** Selects `names`, presses the action, confirms when asked, waits for the outcome. */
  async act(verb: 'Start' | 'Stop' | 'Restart', ...names: string[]): Promise<void> {
    await this.select(...names);
    await this.actionButton(verb).click();
    if (verb !== 'Start') {
      const dialog = this.confirmDialog(verb);
      await expect(dialog).toBeVisible();
      await expect(dialog).toContainText(names.join(' '));
      await dialog.getByRole('button', { name: verb, exact: true }).click();
      await expect(dialog).toBeHidden();
    }
    await expect(this.outcome).not.toBeEmpty({ timeout: 120_000 });
  }

  get journal(): Locator {
    return this.page.getByRole('region', { name: 'Journal' });
  }

  get journalLines(): Locator {
    return this.journal.getByRole('log', { name: 'Journal lines' });
  }

  get followSwitch(): Locator {
    return this.journal.getByRole('switch', { name: 'Follow' });
  }

  async openJournal(service: string): Promise<void> {
    await this.page.getByRole('button', { name: `Journal of ${service}` }).click();
    await expect(this.journal).toBeVisible();
  }
}
