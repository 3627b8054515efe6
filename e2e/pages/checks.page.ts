// The API checks screen: the Keystone connection, the suites, Run, the streamed results with
// their details, recent runs, and the "New HTTP check" dialog.
import { expect, type Locator } from '@playwright/test';

import { ConsolePage } from './console.page';

export type CheckState = 'Waiting' | 'Running' | 'Passed' | 'Slow' | 'Failed' | 'Error';

export interface Connection {
  url?: string;
  user?: string;
  project?: string;
  region?: string;
  password?: string;
  via?: string;
  ca?: string;
  insecure?: boolean;
}

export class ChecksPage extends ConsolePage {
  get navLink(): Locator {
    return this.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'API checks' });
  }

  override async open(): Promise<void> {
    await super.open();
    await this.show();
  }

  async show(): Promise<void> {
    await this.navLink.click();
    await expect(this.title).toHaveText('API checks');
  }

  get main(): Locator {
    return this.page.getByRole('main');
  }

  field(label: string): Locator {
    return this.main.getByLabel(label, { exact: true });
  }

  async connect(c: Connection): Promise<void> {
    if (c.url !== undefined) await this.field('Keystone URL').fill(c.url);
    if (c.user !== undefined) await this.field('User').fill(c.user);
    if (c.project !== undefined) await this.field('Project').fill(c.project);
    if (c.region !== undefined) await this.field('Region').fill(c.region);
    if (c.password !== undefined) await this.field('Password').fill(c.password);
    if (c.via !== undefined || c.ca !== undefined || c.insecure !== undefined)
      await this.openNetwork();
    if (c.via !== undefined) await this.field('Through an SSH tunnel from').selectOption(c.via);
    if (c.ca !== undefined) await this.field('CA file (PEM)').fill(c.ca);
    if (c.insecure !== undefined) await this.insecureSwitch.setChecked(c.insecure);
  }

  /** The "Network and TLS" part folds away while it is plain (direct, verified). */
  async openNetwork(): Promise<void> {
    const section = this.main.locator('details').filter({ hasText: 'Network and TLS' });
    if ((await section.getAttribute('open')) === null) await section.locator('summary').click();
    await expect(this.field('Through an SSH tunnel from')).toBeVisible();
  }

  get insecureSwitch(): Locator {
    return this.main.getByRole('switch', { name: /^Insecure/ });
  }

  get suites(): Locator {
    return this.main.getByRole('radiogroup', { name: 'Suites' });
  }

  async chooseSuite(name: string): Promise<void> {
    // By its value: a suite's label also holds its description, which may name other suites.
    await this.suites
      .getByRole('radio')
      .and(this.page.locator(`[value="${name}"]`))
      .check();
  }

  /** On: a check over its latency budget fails; off: it passes, marked slow. */
  get budgetsSwitch(): Locator {
    return this.main.getByRole('checkbox', {
      name: /^Fail a check slower than its latency budget/,
    });
  }

  get runButton(): Locator {
    return this.main.getByRole('button', { name: /^Run\b/ });
  }

  get results(): Locator {
    return this.main.getByRole('region', { name: 'Check results' });
  }

  get summary(): Locator {
    return this.results.getByRole('status', { name: 'Run summary' });
  }

  get keystoneLine(): Locator {
    return this.results.getByLabel('Keystone', { exact: true });
  }

  /** Runs the chosen suite and waits until its summary says how it went. */
  async run(): Promise<void> {
    await this.runButton.click();
    await expect(this.summary).toContainText(/\d+ passed · \d+ failed/, { timeout: 120_000 });
  }

  row(checkId: string): Locator {
    return this.results.locator(`tr[data-check="${checkId}"]`);
  }

  state(checkId: string): Locator {
    return this.row(checkId).locator('[data-col="status"]');
  }

  /** Every check row of the results table. */
  get rows(): Locator {
    return this.results.locator('tr[data-check]');
  }

  details(name: string): Locator {
    return this.results.getByRole('group', { name: `Result of ${name}` });
  }

  get recentRuns(): Locator {
    return this.main.getByRole('region', { name: 'Recent runs' });
  }

  get newCheckButton(): Locator {
    return this.main.getByRole('button', { name: 'New HTTP check' });
  }

  get checkDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'New HTTP check' });
  }
}
