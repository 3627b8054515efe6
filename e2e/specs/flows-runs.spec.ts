// Runs that outlive the console (stopped by a restart, resumed from the UI, secrets asked again)
// and reports of finished runs (Markdown, HTML, JUnit downloads).
import { readFile } from 'node:fs/promises';

import { expect, test } from '../fixtures/app';
import { FlowsPage } from '../pages/flows.page';
import { LOCAL_FLOW, SLOW_FLOW } from '../pages/flows-samples';

test.describe('flow resume', () => {
  test('a run stopped by a console restart shows Interrupted and resumes from the UI', async ({
    lab,
  }) => {
    const flows = new FlowsPage(lab);
    await flows.writeUserFlow(
      'slow-long',
      SLOW_FLOW.replace('id: slow', 'id: slow-long').replace('Slow flow', 'Long flow'),
    );
    await flows.open();
    await flows.openFlow('Long flow');
    await flows.input('Token').fill('s3cret');
    await flows.startButton.click();
    await flows.expectCell('Wait a while', 'localhost', 'Running');
    const address = new URL(flows.page.url()).hash;

    await flows.restart();
    await flows.page.evaluate((h) => (location.hash = h), address);
    await expect(flows.now).toContainText('Interrupted');
    await expect(flows.log).toContainText('first');
    await flows.main
      .getByRole('group', { name: 'Run controls' })
      .getByRole('button', { name: 'Resume' })
      .click();
    const dialog = flows.page.getByRole('dialog', { name: 'Resume the run' });
    // Secrets are never stored: the dialog asks for them again.
    await expect(dialog.getByLabel('token')).toHaveValue('');
    await dialog.getByLabel('token').fill('s3cret');
    await dialog.getByRole('button', { name: 'Resume' }).click();
    await expect(dialog).toHaveCount(0);
    await flows.expectCell('Wait a while', 'localhost', 'Running');
    await flows.expectCell('First', 'localhost', 'OK');
    // The presenter follows the live run: it opens on the step running now.
    await flows.page.keyboard.press('p');
    await expect(flows.presenterStepTitle).toHaveText('Wait a while');
    await expect(flows.presenter).toContainText('following the run');
    await flows.page.keyboard.press('Escape');
    await expect(flows.presenter).toHaveCount(0);
    // Nothing left running behind the test.
    await flows.main
      .getByRole('group', { name: 'Run controls' })
      .getByRole('button', { name: 'Cancel' })
      .click();
    await expect(flows.now).toContainText('Cancelled');

    // A finished run can be deleted, log and all; the history no longer lists it.
    await flows.main.getByRole('button', { name: 'Delete this run' }).click();
    const confirm = flows.page.getByRole('alertdialog', { name: 'Delete this run?' });
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(flows.main).toContainText('No runs yet.');
  });
});

test.describe('flow reports', () => {
  test('a finished run downloads as Markdown, HTML and JUnit @web-only', async ({ lab }) => {
    const flows = new FlowsPage(lab);
    await flows.writeUserFlow('local-demo', LOCAL_FLOW);
    await flows.open();
    await flows.openFlow('Local demo');
    await flows.input('Hosts').fill('localhost');
    await flows.input('Ticks').fill('1');
    await flows.startButton.click();
    await flows.waitUntilFinished();
    const group = flows.main.getByRole('group', { name: 'Export report' });

    async function fetch(label: string): Promise<{ name: string; text: string }> {
      const download = flows.page.waitForEvent('download');
      await group.getByRole('button', { name: label }).click();
      const file = await download;
      return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
    }

    const md = await fetch('Markdown');
    expect(md.name).toMatch(/\.md$/);
    expect(md.text).toContain('Local demo');
    expect(md.text).toContain('Count ticks');
    const html = await fetch('HTML');
    expect(html.name).toMatch(/\.html$/);
    expect(html.text).toMatch(/<html/i);
    expect(html.text).toContain('Count ticks');
    const junit = await fetch('JUnit');
    expect(junit.name).toMatch(/\.xml$/);
    expect(junit.text).toContain('<testcase');
    expect(junit.text).toContain('name="count @ localhost"');
  });
});
