// A host's page on the console's own machine: OS facts, the virtualised package table, drift, compare.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { expect, test } from '../fixtures/app';
import { HostPage } from '../pages/host-page.page';

function osRelease(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync('/etc/os-release', 'utf8').split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    if (m?.[1]) out[m[1]] = (m[2] ?? '').replace(/^"(.*)"$/, '$1');
  }
  return out;
}

test.describe('host page', () => {
  test('localhost shows its OS and its packages filter to coreutils', async ({ lab }) => {
    const page = new HostPage(lab);
    await page.open();
    await page.openHost('localhost');

    const os = osRelease();
    await expect(page.fact('OS')).toContainText(os.PRETTY_NAME ?? '');
    if (os.ID === 'debian' && os.VERSION_ID === '12') {
      await expect(page.fact('OS')).toContainText('Debian GNU/Linux 12');
      await expect(page.fact('Profile')).toHaveText('debian-12');
    }
    await expect(page.fact('Arch')).toHaveText(
      execFileSync('uname', ['-m'], { encoding: 'utf8' }).trim(),
    );

    const total = await page.waitForPackages();
    await page.packageFilter.fill('coreutils');
    await expect(
      page.packageTable.getByRole('rowheader', { name: 'coreutils', exact: true }),
    ).toBeVisible();
    const shown = await page.packageRows.count();
    await expect(page.packageCount).toHaveText(
      new RegExp(`^\\s*${shown} of ${total.toLocaleString('en-US')}\\s*$`),
    );
    for (const name of await page.packageTable.getByRole('rowheader').allTextContents())
      expect(name).toContain('coreutils');
  });

  test('the package table renders only a window of rows while scrolling', async ({ lab }) => {
    const page = new HostPage(lab);
    await page.open();
    await page.openHost('localhost');
    const total = await page.waitForPackages();
    expect(total).toBeGreaterThan(200);

    const before = await page.packageRows.count();
    expect(before).toBeLessThan(total / 4);
    expect(before).toBeLessThan(120);

    // Scroll to the middle: the rows there are rendered, the first ones are gone.
    await page.packageScroller.evaluate((el) => {
      el.scrollTop = el.scrollHeight / 2;
      el.dispatchEvent(new Event('scroll'));
    });
    const middle = Math.floor(total / 2);
    await expect(page.packageTable.locator(`tr[aria-rowindex="${middle}"]`)).toBeVisible();
    await expect(page.packageTable.locator('tr[aria-rowindex="2"]')).toHaveCount(0);
    expect(await page.packageRows.count()).toBeLessThan(120);
  });

  test('compare localhost with itself shows no differences', async ({ lab }) => {
    const page = new HostPage(lab);
    await page.open();
    await page.openHost('localhost');
    await page.compareWith('localhost');
    await expect(page.compareRegion.getByRole('heading', { level: 2 })).toContainText(
      'No differences',
    );
    await expect(page.compareRegion.getByLabel('Package differences')).toContainText(
      '0 only on localhost · 0 only on localhost · 0 different version',
    );
    await expect(page.compareRegion).toContainText('Only on localhost (0)');
  });

  test('drift of localhost against the built-in manifest, and a missing manifest', async ({
    lab,
  }) => {
    const page = new HostPage(lab);
    await page.open();
    await page.openHost('localhost');

    await page.checkDrift();
    await expect(page.driftRegion).toBeVisible({ timeout: 30_000 });
    await expect(page.driftRegion).toContainText('starlingx-example on localhost');
    const rows = await page.driftRows.count();
    expect(rows).toBeGreaterThan(0);
    let sum = 0;
    for (const verdict of ['ok', 'drift', 'missing', 'not-applicable'])
      sum += await page.driftCount(verdict);
    expect(sum).toBe(rows);
    await expect(page.driftRows.first().getByRole('cell').nth(3)).toHaveText(
      /^(OK|Drift|Missing|Not applicable)$/,
    );

    const bad = '/nonexistent/stx-lab-e2e/manifest.yaml';
    await page.checkDrift(bad);
    await expect(page.page.getByRole('main').getByRole('alert')).toContainText(
      `manifest not readable: ${bad}`,
    );
    await expect(page.driftRegion).toHaveCount(0);
  });
});
