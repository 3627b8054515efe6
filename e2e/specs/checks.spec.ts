// The API checks screen against a real Keystone (uWSGI, SQLite) whose catalog points at the test
// sysinv and fm APIs of a real systemd host, which validate every token with that Keystone.
import { expect, test as base } from '../fixtures/app';
import {
  FLOCK_SCOPE,
  flockAvailable,
  flockWorker,
  importFlockHost,
  type FlockLab,
} from '../fixtures/systemd-host';
import { ChecksPage } from '../pages/checks.page';

const test = base.extend<object, { flock: FlockLab }>({ flock: [flockWorker, FLOCK_SCOPE] });

test.describe('API checks against a real Keystone', () => {
  test.skip(!flockAvailable, 'needs root, systemd-nspawn, debootstrap, keystone and uwsgi');
  test.describe.configure({ timeout: 180_000 });

  async function connected(page: ChecksPage, flock: FlockLab, password: string): Promise<void> {
    await page.open();
    await page.connect({
      url: flock.keystone.authUrl,
      user: flock.keystone.adminUser,
      project: flock.keystone.project,
      password,
    });
  }

  /** "3 checks" in a suite's radio label. */
  async function checkCount(page: ChecksPage, suite: string): Promise<number> {
    const label = page.suites.locator('label').filter({ hasText: new RegExp(`\\b${suite} ·`) });
    const text = (await label.textContent()) ?? '';
    return Number(/(\d+)\s+checks?\b/.exec(text)?.[1] ?? 'NaN');
  }

  /**
   * Every check of the run got its expected answer: status 200 and all assertions held. The
   * suites' latency budgets are not this test's business (a loaded machine is slow): the run
   * only warns about them, so a correct but slow answer reads "Slow" and still passes.
   */
  async function expectAnswered(page: ChecksPage, n: number): Promise<void> {
    await expect(page.rows).toHaveCount(n);
    await expect(page.summary).toHaveText(`${n} passed · 0 failed`);
    for (const row of await page.rows.all()) {
      await expect(row.locator('[data-col="status"]')).toHaveText(/^\s*(Passed|Slow)\s*$/);
      await expect(row.locator('[data-col="http"]')).toHaveText('200');
    }
    // Details open by themselves for a check that is not plainly green: no failed assertion there.
    await expect(
      page.results.locator('ul[aria-label="Assertions"] li[data-ok="false"]'),
    ).toHaveCount(0);
  }

  test('the Flock suite runs green: token, catalog, sysinv and fm answer; history shows a trend', async ({
    lab,
    flock,
  }) => {
    const page = new ChecksPage(lab);
    await connected(page, flock, flock.keystone.adminPassword);
    await page.chooseSuite('flock');
    await page.budgetsSwitch.uncheck();
    const n = await checkCount(page, 'flock');
    expect(n).toBeGreaterThanOrEqual(5);

    await page.run();
    await expect(page.keystoneLine).toContainText('token for admin in admin');
    await expect(page.keystoneLine).toContainText('platform (sysinv)');
    await expect(page.keystoneLine).toContainText('faultmanagement (fm)');
    await expectAnswered(page, n);
    // The URL the sysinv check called is the one the catalog gave.
    await expect(page.row('sysinv-ihosts')).toContainText(
      `GET ${flock.host.services.sysinv.url}/v1/ihosts`,
    );

    // A passed check keeps its details folded until asked.
    const toggle = page
      .row('sysinv-ihosts')
      .getByRole('button', { name: 'Details of GET /v1/ihosts' });
    if ((await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click();
    const details = page.details('GET /v1/ihosts');
    await expect(details.getByLabel('Response excerpt')).toContainText('"ihosts"');
    await expect(details.getByLabel('Assertions')).toContainText('$.ihosts');

    // A second run: each check's trend now holds two runs.
    await page.run();
    await expectAnswered(page, n);
    await expect(
      page.row('fm-alarms').getByRole('img', { name: /^Trend: 2 of 2 runs passed/ }),
    ).toBeVisible();
    await expect(page.recentRuns.getByRole('listitem')).toHaveCount(2);
    await expect(page.recentRuns.getByRole('listitem').first()).toContainText('flock');

    // The older run's results come back from the history.
    await page.recentRuns
      .getByRole('listitem')
      .nth(1)
      .getByRole('button', { name: /^Show the run of / })
      .click();
    await expect(page.results.getByRole('heading', { level: 2 })).toContainText(
      'of an earlier run',
    );
    await expectAnswered(page, n);
  });

  test('a wrong password is a clear 401 result, not a crash', async ({ lab, flock }) => {
    const page = new ChecksPage(lab);
    await connected(page, flock, 'not-the-password');
    await page.chooseSuite('keystone');
    await page.run();
    await expect(page.keystoneLine).toContainText('Not authorised');
    await expect(page.keystoneLine).toContainText('401 Unauthorized');
    await expect(page.summary).toContainText(/[1-9]\d* failed/);
    // The calls that need a token fail with the cause said in words.
    await expect(page.state('keystone-projects')).toHaveText('Failed');
    await expect(page.details('GET /v3/projects')).toContainText('Not authorised');
  });

  test('a user-written HTTP check: field errors first, then saved, run and green', async ({
    lab,
    flock,
  }) => {
    const page = new ChecksPage(lab);
    await connected(page, flock, flock.keystone.adminPassword);
    await page.newCheckButton.click();
    const dialog = page.checkDialog;
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Expected status').fill('99');
    await dialog.getByLabel('JSON path assertions').fill('$.status ==');
    await dialog.getByRole('button', { name: 'Save check' }).click();
    await expect(dialog.getByLabel('Check id')).toHaveAccessibleDescription(/Letters, digits/);
    await expect(dialog.getByLabel('URL or catalog reference')).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    await expect(dialog.getByLabel('Expected status')).toHaveAccessibleDescription(
      /"99" is not an HTTP status/,
    );
    await expect(dialog.getByLabel('JSON path assertions')).toHaveAccessibleDescription(
      /Line 1: "==" needs a value/,
    );

    await dialog.getByLabel('Check id').fill('fm-summary-ok');
    await dialog.getByLabel('URL or catalog reference').fill('faultmanagement:/v1/alarms/summary');
    await dialog.getByLabel('Expected status').fill('200');
    await dialog
      .getByLabel('JSON path assertions')
      .fill('$.status in ["OK", "degraded", "critical"]\n$.critical type number');
    await dialog.getByRole('button', { name: 'Save check' }).click();
    await expect(dialog).toBeHidden();

    await expect(page.suites.getByRole('radio', { name: /\bmy-checks\b/ })).toBeChecked();
    await page.run();
    await expect(page.summary).toHaveText('1 passed · 0 failed');
    await expect(page.state('fm-summary-ok')).toHaveText('Passed');
    await expect(page.row('fm-summary-ok')).toContainText(
      `${flock.host.services.fm.url}/v1/alarms/summary`,
    );
  });

  test('through an SSH tunnel from a lab host: the fm checks pass and say so', async ({
    lab,
    flock,
  }) => {
    await importFlockHost(lab.dataDir, flock);
    const page = new ChecksPage(lab);
    await connected(page, flock, flock.keystone.adminPassword);
    await page.connect({ via: 'flock-1' });
    await page.chooseSuite('fm');
    await page.budgetsSwitch.uncheck();
    await page.run();
    await expect(page.results).toContainText('Through an SSH tunnel from flock-1');
    await expectAnswered(page, 2);
    // The URL shown is the catalog's, not the tunnel's local end.
    await expect(page.row('fm-alarms')).toContainText(
      `GET ${flock.host.services.fm.url}/v1/alarms`,
    );
    await expect(page.recentRuns.getByRole('listitem').first()).toContainText('via flock-1');
  });
});
