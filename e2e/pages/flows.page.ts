// The Flows screen: the library, a flow's inputs form, the live run view (steps × hosts
// swimlanes, log, "Now:" line), presenter mode, run history and replay.
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { expect, type Locator } from '@playwright/test';

import { ConsolePage } from './console.page';

export type CellWord =
  'Pending' | 'Running' | 'OK' | 'Failed' | 'Skipped' | 'Cancelled' | 'Waiting';

export class FlowsPage extends ConsolePage {
  /** Writes a flow into the user flows folder of the console's data folder. */
  async writeUserFlow(name: string, yaml: string): Promise<string> {
    const dir = join(this.lab.dataDir, 'flows');
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${name}.yaml`);
    await writeFile(file, yaml);
    return file;
  }

  get navLink(): Locator {
    return this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Flows' });
  }

  override async open(): Promise<void> {
    await super.open();
    await this.show();
  }

  async show(): Promise<void> {
    await this.navLink.click();
    await expect(this.title).toHaveText('Flows');
  }

  get main(): Locator {
    return this.page.getByRole('main');
  }

  // ---- library and one flow

  get libraryTab(): Locator {
    return this.main
      .getByRole('navigation', { name: 'Flows' })
      .getByRole('link', { name: 'Library' });
  }

  get runsTab(): Locator {
    return this.main.getByRole('navigation', { name: 'Flows' }).getByRole('link', { name: 'Runs' });
  }

  flowCard(title: string): Locator {
    return this.main.getByRole('link').filter({ hasText: title });
  }

  async openFlow(title: string): Promise<void> {
    await this.libraryTab.click();
    await this.flowCard(title).click();
    await expect(this.main.getByRole('heading', { level: 2, name: title })).toBeVisible();
  }

  get inputsForm(): Locator {
    return this.main.getByRole('form', { name: 'Inputs' });
  }

  input(label: string): Locator {
    return this.inputsForm.getByLabel(label, { exact: true });
  }

  get startButton(): Locator {
    return this.inputsForm.getByRole('button', { name: 'Start' });
  }

  /** The source view of a flow with problems. */
  get source(): Locator {
    return this.main.getByRole('region', { name: 'Flow source' });
  }

  /** A source line marked as having a problem (by its 1-based number). */
  problemLine(line: number): Locator {
    return this.source.locator(`[data-line="${line}"][aria-invalid="true"]`);
  }

  // ---- a run

  get now(): Locator {
    return this.main.getByRole('status', { name: 'Now' });
  }

  get lanes(): Locator {
    return this.main.getByRole('table', { name: 'Steps and hosts' });
  }

  /** The cell of a step on a host: its accessible name says the state in words. */
  cell(step: string, host: string): Locator {
    return this.lanes.getByRole('button', { name: new RegExp(`^${step} on ${host}: `) });
  }

  async expectCell(step: string, host: string, word: CellWord): Promise<void> {
    await expect(
      this.lanes.getByRole('button', { name: `${step} on ${host}: ${word}` }),
    ).toBeVisible();
  }

  stepButton(title: string): Locator {
    return this.lanes.getByRole('rowheader').getByRole('button').filter({ hasText: title });
  }

  get log(): Locator {
    return this.main.getByRole('log');
  }

  async waitUntilFinished(): Promise<void> {
    await expect(this.now).toContainText(/Finished|Failed|Cancelled/, { timeout: 60_000 });
  }

  // ---- presenter

  get presenter(): Locator {
    return this.page.getByRole('region', { name: 'Presenter' });
  }

  get presenterStepTitle(): Locator {
    return this.presenter.getByRole('heading', { level: 2 });
  }

  get presenterPosition(): Locator {
    return this.presenter.getByLabel('Step position');
  }

  // ---- history and replay

  get runsTable(): Locator {
    return this.main.getByRole('table', { name: 'Runs' });
  }

  get searchRuns(): Locator {
    return this.main.getByRole('searchbox', { name: 'Search runs' });
  }

  get replayBar(): Locator {
    return this.page.getByRole('region', { name: 'Replay' });
  }
}
