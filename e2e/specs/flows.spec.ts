// Guided flows end to end: a flow started from its inputs form runs on the console's own machine
// (real sshd hosts: flows-lab.spec.ts) while the live view follows it; presenter mode walks it
// from the keyboard; history finds it; replay plays it back marked as a replay; a confirm step
// asks for evidence; pause, continue, cancel; a flow with a bad step shows the problem at its line.
import { expect, test } from '../fixtures/app';
import { FlowsPage } from '../pages/flows.page';
import { CONFIRM_FLOW, LOCAL_FLOW } from '../pages/flows-samples';

test.describe('flows', () => {
  test('a flow runs from its form; presenter, history and replay show it', async ({ lab }) => {
    const flows = new FlowsPage(lab);
    await flows.writeUserFlow('local-demo', LOCAL_FLOW);
    await flows.open();
    await expect(flows.flowCard('Local demo')).toContainText('Valid');
    await flows.openFlow('Local demo');

    // A required input left empty is refused before anything runs.
    await flows.startButton.click();
    await expect(flows.inputsForm).toContainText('Hosts is required');
    await flows.input('Hosts').fill('localhost');
    await expect(flows.inputsForm.getByRole('status', { name: 'Selected hosts' })).toContainText(
      '1 host',
    );
    await flows.startButton.click();

    // The live view: swimlanes reach OK, the "Now:" line says it finished.
    await expect(flows.lanes).toBeVisible();
    await flows.waitUntilFinished();
    await expect(flows.now).toContainText('Finished: every step succeeded.');
    await flows.expectCell('Prepare', 'localhost', 'OK');
    await flows.expectCell('Count ticks', 'localhost', 'OK');
    await expect(flows.log).toContainText('tick 3');

    // One cell's log: only that step on that host.
    await flows.cell('Count ticks', 'localhost').click();
    await expect(
      flows.main.getByRole('heading', { name: 'Log of Count ticks on localhost' }),
    ).toBeVisible();
    await expect(flows.log).toContainText('tick 1');
    await expect(flows.log).not.toContainText('preparing');

    // Presenter mode: step by step from the keyboard, with narration; Esc leaves.
    await flows.page.keyboard.press('p');
    await expect(flows.presenter).toBeVisible();
    await expect(flows.presenterStepTitle).toHaveText('Wrap up');
    await expect(flows.presenter).toContainText('That is all — every host answered and counted.');
    await flows.page.keyboard.press('Home');
    await expect(flows.presenterPosition).toHaveText('Step 1 of 3');
    await expect(flows.presenterStepTitle).toHaveText('Prepare');
    await expect(flows.presenter).toContainText('First we check that every host answers.');
    await flows.page.keyboard.press('ArrowRight');
    await expect(flows.presenterStepTitle).toHaveText('Count ticks');
    await expect(flows.presenter.getByRole('log')).toContainText('tick 3');
    await flows.page.keyboard.press('PageDown');
    await expect(flows.presenterPosition).toHaveText('Step 3 of 3');
    await flows.page.keyboard.press('PageUp');
    await expect(flows.presenterPosition).toHaveText('Step 2 of 3');
    await flows.page.keyboard.press(' ');
    await expect(flows.presenterPosition).toHaveText('Step 3 of 3');
    await flows.page.keyboard.press('Escape');
    await expect(flows.presenter).toHaveCount(0);
    await expect(flows.lanes).toBeVisible();

    // History: the run is listed, searchable, filterable, and opens with its log.
    await flows.runsTab.click();
    const row = flows.runsTable.getByRole('row').filter({ hasText: 'Local demo' });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('Succeeded');
    await flows.searchRuns.fill('no-such-flow-anywhere');
    await expect(flows.main).toContainText('No run matches these filters.');
    await flows.searchRuns.fill('local');
    await expect(row).toHaveCount(1);
    await flows.main.getByLabel('Status').selectOption('failed');
    await expect(flows.main).toContainText('No run matches these filters.');
    await flows.main.getByLabel('Status').selectOption('succeeded');
    await row.getByRole('link', { name: 'Local demo' }).click();
    await expect(flows.now).toContainText('Finished');
    await expect(flows.log).toContainText('tick 3');

    // Replay: marked REPLAY the whole time, steps played back to the end at 10×.
    await flows.main.getByRole('link', { name: 'Replay' }).click();
    await expect(flows.replayBar).toBeVisible();
    await expect(flows.replayBar).toContainText('REPLAY');
    await expect(flows.replayBar).toContainText('not live');
    await expect(flows.now).toContainText('Replay —');
    await flows.replayBar.getByRole('radio', { name: '10×' }).click();
    await expect(flows.replayBar).toContainText('Finished', { timeout: 30_000 });
    await flows.expectCell('Count ticks', 'localhost', 'OK');
    await expect(flows.log).toContainText('tick 3');
    await expect(flows.replayBar).toContainText('REPLAY');
    // Played again from the start: the steps go back to pending, then on to OK.
    await flows.replayBar.getByRole('button', { name: 'Play again' }).click();
    await expect(flows.replayBar).toContainText('REPLAY');
    await flows.expectCell('Count ticks', 'localhost', 'OK');
    // The presenter of a replay carries the marking too.
    await flows.page.keyboard.press('p');
    await expect(flows.presenter).toBeVisible();
    await expect(flows.presenter.getByRole('region', { name: 'Replay' })).toContainText('REPLAY');
  });

  test('a flow with an unknown step kind shows the problem at its line and cannot start', async ({
    lab,
  }) => {
    const flows = new FlowsPage(lab);
    await flows.writeUserFlow(
      'bad',
      [
        'id: bad-flow',
        'title: Bad flow',
        'steps:',
        '  - id: one',
        '    kind: note',
        '  - id: two',
        '    kind: frobnicate',
        '    on: localhost',
        '',
      ].join('\n'),
    );
    await flows.open();
    await expect(flows.flowCard('Bad flow')).toContainText('1 problem');
    await flows.openFlow('Bad flow');
    await expect(flows.source).toBeVisible();
    const line = flows.problemLine(7);
    await expect(line).toBeVisible();
    await expect(line).toContainText('frobnicate');
    await expect(line.getByRole('note')).toContainText('7:11');
    await expect(line.getByRole('note')).toContainText('unknown step kind');
    await expect(flows.main.getByRole('list', { name: 'Problems' })).toContainText('bad.yaml:7:11');
    await expect(flows.inputsForm).toHaveCount(0);
  });
});

test.describe('flow controls', () => {
  test('a confirm step asks for evidence; pause, continue and cancel', async ({ lab }) => {
    const flows = new FlowsPage(lab);
    await flows.writeUserFlow('confirm-demo', CONFIRM_FLOW);
    await flows.open();
    await flows.openFlow('Confirm demo');
    await flows.startButton.click();

    const dialog = flows.page.getByRole('alertdialog', { name: 'Confirm: Check the cabling' });
    await expect(dialog).toBeVisible({ timeout: 30_000 });
    await expect(dialog).toContainText('Are both uplinks plugged into the lab switch?');
    await expect(flows.now).toContainText('Waiting for you to confirm: Check the cabling');
    await dialog.getByLabel('Evidence (what you checked or saw)').fill('both green LEDs on port 7');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await expect(dialog).toHaveCount(0);

    await flows.expectCell('Long wait', 'localhost', 'Running');
    await expect(flows.now).toContainText('Running: Long wait on localhost');
    const controls = flows.main.getByRole('group', { name: 'Run controls' });
    await controls.getByRole('button', { name: 'Pause' }).click();
    await expect(flows.now).toContainText('Paused');
    await controls.getByRole('button', { name: 'Continue' }).click();
    await expect(flows.now).toContainText('Running: Long wait');
    await controls.getByRole('button', { name: 'Cancel' }).click();
    await expect(flows.now).toContainText('Cancelled', { timeout: 30_000 });
    await flows.expectCell('Long wait', 'localhost', 'Cancelled');

    // The evidence is stored with the step (the report shows it too: see the @web-only test).
    await expect(flows.lanes).toContainText('confirmed: both green LEDs on port 7');
  });
});
