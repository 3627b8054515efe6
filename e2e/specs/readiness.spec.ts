// The readiness matrix on the console's own machine, checked against facts read here.
import { execFileSync } from 'node:child_process';

import { expect, test } from '../fixtures/app';
import { ReadinessPage } from '../pages/readiness.page';

function python3Version(): string | null {
  try {
    const out = execFileSync('python3', ['--version'], { encoding: 'utf8', stdio: 'pipe' });
    return /Python (\S+)/.exec(out)?.[1] ?? null;
  } catch {
    return null;
  }
}

test.describe('readiness', () => {
  test('localhost: python3 as on this machine, evidence one click away, Markdown export', async ({
    lab,
  }) => {
    const readiness = new ReadinessPage(lab);
    await readiness.open();
    await readiness.check('localhost');

    await expect(readiness.row('localhost')).toBeVisible();
    const python = readiness.cell('localhost', 'Python 3 interpreter');
    const version = python3Version();
    if (version) {
      await expect(python).toHaveAccessibleName(
        new RegExp(`: met — .*${version.replace(/\./g, '\\.')}`),
      );
      await expect(python).toHaveText('✓');
    } else {
      await expect(python).toHaveAccessibleName(/: missing — /);
    }

    await python.click();
    await expect(readiness.evidence).toContainText('$ python3 --version');

    const markdown = await readiness.exportText('Markdown');
    expect(markdown).toContain('# MultiOS readiness');
    expect(markdown).toContain('| rule | localhost |');
    expect(markdown).toContain('## localhost');
  });
});
