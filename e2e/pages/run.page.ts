// The Run screen: one command on the hosts of a pattern, live rows, summary, grouped output.
import { expect, type Locator } from '@playwright/test';

import { ConsolePage } from './console.page';

export type RowState =
  | 'Queued'
  | 'Running'
  | 'OK'
  | 'Failed'
  | 'Error'
  | 'Unreachable'
  | 'Refused'
  | 'Timed out'
  | 'Cancelled';

export class RunPage extends ConsolePage {
  get navLink(): Locator {
    return this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Run' });
  }

  /** Opens the console and goes to the Run screen. */
  override async open(): Promise<void> {
    await super.open();
    await this.show();
  }

  /** Goes to the Run screen from anywhere in the console. */
  async show(): Promise<void> {
    await this.navLink.click();
    await expect(this.title).toHaveText('Run');
  }

  get main(): Locator {
    return this.page.getByRole('main');
  }

  get pattern(): Locator {
    return this.main.getByRole('textbox', { name: 'Host pattern' });
  }

  get command(): Locator {
    return this.main.getByRole('textbox', { name: 'Command' });
  }

  get forks(): Locator {
    return this.main.getByRole('textbox', { name: 'Forks' });
  }

  get timeout(): Locator {
    return this.main.getByRole('textbox', { name: 'Per-host timeout (s)' });
  }

  /** What the pattern selects: count and names, unknown terms, or the syntax error. */
  get preview(): Locator {
    return this.main.getByRole('status', { name: 'Selected hosts' });
  }

  /** The argv words the command line splits into. */
  get argv(): Locator {
    return this.main.getByRole('list', { name: 'Arguments' }).getByRole('listitem');
  }

  get shellButton(): Locator {
    return this.main.getByRole('button', { name: 'Run through sh -c' });
  }

  get runButton(): Locator {
    return this.main.getByRole('button', { name: 'Run', exact: true });
  }

  get cancelButton(): Locator {
    return this.main.getByRole('button', { name: 'Cancel', exact: true });
  }

  get result(): Locator {
    return this.main.getByRole('region', { name: 'Result' });
  }

  /** The summary line, e.g. "41 ok · 2 differ · 1 failed · 3 unreachable". */
  get summaryLine(): Locator {
    return this.result.getByRole('heading', { level: 2 });
  }

  get table(): Locator {
    return this.main.getByRole('table', { name: 'Hosts of the run' });
  }

  /** Output groups and hosts without output. */
  get output(): Locator {
    return this.main.getByRole('region', { name: 'Output' });
  }

  get retryButton(): Locator {
    return this.main.getByRole('button', { name: /^Run again on the failed ones/ });
  }

  row(host: string): Locator {
    return this.table
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: host, exact: true }) });
  }

  /** Cells of a host's row: state, exit, duration, last output. */
  cell(host: string, which: 'state' | 'exit' | 'duration' | 'last output'): Locator {
    const index = { state: 0, exit: 1, duration: 2, 'last output': 3 }[which];
    return this.row(host).getByRole('cell').nth(index);
  }

  /** Fills the form (the pattern preview must settle first) without running. */
  async fill(pattern: string, command: string): Promise<void> {
    await this.pattern.fill(pattern);
    await this.command.fill(command);
    await expect(this.preview).toContainText(/\d+ hosts?|No host matches|Syntax error/);
  }

  /** Starts the command on the hosts of the pattern (does not wait for the end). */
  async start(pattern: string, command: string): Promise<void> {
    await this.fill(pattern, command);
    await this.runButton.click();
    await expect(this.cancelButton.or(this.summaryLine).first()).toBeVisible();
  }

  /** Runs and waits for the summary line. */
  async run(pattern: string, command: string): Promise<void> {
    await this.start(pattern, command);
    await this.waitUntilFinished();
  }

  async waitUntilFinished(timeout = 20_000): Promise<void> {
    await expect(this.runButton).toBeVisible({ timeout });
    await expect(this.summaryLine).toHaveText(/\d+ ok/);
  }

  async expectState(host: string, state: RowState): Promise<void> {
    await expect(this.cell(host, 'state')).toHaveText(state);
  }

  /** Expands a host's row and returns its full stdout. */
  async showOutput(host: string): Promise<Locator> {
    const toggle = this.row(host).getByRole('button', { name: `Output of ${host}` });
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    return this.table.getByLabel(`stdout of ${host}`);
  }
}
