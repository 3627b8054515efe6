// Run on hosts, end to end on the console's own machine (localhost runs through child
// processes) and on a host nobody listens for.
import { expect, test } from '../fixtures/app';
import { HostsPage } from '../pages/hosts.page';
import { RunPage } from '../pages/run.page';

test.describe('run on hosts', () => {
  test('echo hello on localhost: the row is ok, the summary says 1 ok, the output shows @smoke', async ({
    lab,
  }) => {
    const run = new RunPage(lab);
    await run.open();
    await run.fill('localhost', 'echo hello');
    await expect(run.argv).toHaveText(['echo', 'hello']);
    await run.runButton.click();
    await run.waitUntilFinished();

    await expect(run.summaryLine).toHaveText('1 ok');
    await run.expectState('localhost', 'OK');
    await expect(run.cell('localhost', 'exit')).toHaveText('0');
    await expect(run.cell('localhost', 'last output')).toHaveText('hello');
    await expect(await run.showOutput('localhost')).toHaveText('hello\n');
    await expect(run.output.getByRole('heading', { name: '1 host: localhost' })).toBeVisible();
    await expect(run.retryButton).toHaveCount(0);
  });

  test('a failing command shows failed with its exit code; run again targets it', async ({
    lab,
  }) => {
    const run = new RunPage(lab);
    await run.open();
    await run.fill('localhost', "sh -c 'echo oops >&2; exit 3'");
    await expect(run.argv).toHaveText(['sh', '-c', 'echo oops >&2; exit 3']);
    await run.runButton.click();
    await run.waitUntilFinished();

    await run.expectState('localhost', 'Failed');
    await expect(run.cell('localhost', 'exit')).toHaveText('3');
    await expect(run.summaryLine).toHaveText('0 ok · 1 failed');
    await expect(run.output.getByLabel('stderr')).toHaveText('oops\n');

    await run.command.fill('true');
    await run.retryButton.click();
    await run.waitUntilFinished();
    await expect(run.pattern).toHaveValue('localhost');
    await expect(run.summaryLine).toHaveText('1 ok');
  });

  test('shell syntax is pointed out; "sh -c" runs it through the shell explicitly', async ({
    lab,
  }) => {
    const run = new RunPage(lab);
    await run.open();
    await run.fill('localhost', 'echo a | tr a b');
    await expect(run.main.getByRole('note')).toContainText('This is not a shell');
    await run.shellButton.click();
    await expect(run.argv).toHaveText(['sh', '-c', 'echo a | tr a b']);
    await run.runButton.click();
    await run.waitUntilFinished();
    await expect(run.cell('localhost', 'last output')).toHaveText('b');
  });

  test('the pattern preview names the hosts, unknown terms and syntax errors', async ({ lab }) => {
    const run = new RunPage(lab);
    await run.open();
    await run.pattern.fill('local*');
    await expect(run.preview).toContainText('1 host');
    await expect(run.preview).toContainText('localhost');

    await run.pattern.fill('localhost,nosuchhost');
    await expect(run.preview).toContainText('No host matches nosuchhost');

    await run.pattern.fill('node[3-');
    await expect(run.preview).toContainText(/Syntax error at column \d+/);
    await expect(run.pattern).toHaveAttribute('aria-invalid', 'true');
  });

  test('cancel stops a long command within seconds and marks the host cancelled', async ({
    lab,
  }) => {
    const run = new RunPage(lab);
    await run.open();
    await run.start('localhost', 'sleep 30');
    await run.expectState('localhost', 'Running');
    const started = Date.now();
    await run.page.keyboard.press('Escape');
    await run.waitUntilFinished(5_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    await run.expectState('localhost', 'Cancelled');
    await expect(run.result).toContainText('cancelled');
  });

  test('an unreachable host is reported with its reason and counted', async ({ lab }) => {
    const hosts = new HostsPage(lab);
    await hosts.open();
    await hosts.addHost({ name: 'dead-1', address: '127.0.0.1', port: '1' });

    const run = new RunPage(lab);
    await run.show();
    await run.run('localhost,dead-1', 'echo hi');
    await expect(run.summaryLine).toHaveText('1 ok · 1 unreachable');
    await run.expectState('dead-1', 'Unreachable');
    await expect(run.cell('dead-1', 'last output')).toContainText(/refused|ECONNREFUSED/i);
    await expect(run.output.getByRole('region', { name: 'No output to compare' })).toContainText(
      'dead-1',
    );
    await expect(run.retryButton).toHaveText(/\(1\)/);
  });
});
