// A host's Services tab against a real systemd host (systemd-nspawn, sshd inside, the test
// sysinv/fm units): the states the UI shows are the ones systemctl gives over plain OpenSSH, a
// stop and a start change them, a unit that fails to start shows its own journal lines, and the
// journal follows live.
import { expect, test as base, type Lab } from '../fixtures/app';
import { FLOCK_SCOPE, flockAvailable, flockWorker, type FlockLab } from '../fixtures/systemd-host';
import { HostsPage } from '../pages/hosts.page';
import { HostKeyPromptDialog } from '../pages/prompts.page';
import { ServicesPage } from '../pages/services.page';

const test = base.extend<object, { flock: FlockLab }>({ flock: [flockWorker, FLOCK_SCOPE] });

test.describe('services tab on a real systemd host', () => {
  test.skip(!flockAvailable, 'needs root, systemd-nspawn, debootstrap, keystone and uwsgi');
  test.describe.configure({ timeout: 240_000 });

  /** Adds the container as an inventory host signing in with its key, opens its services tab. */
  async function openServices(lab: Lab, flock: FlockLab): Promise<ServicesPage> {
    const page = new ServicesPage(lab);
    const hosts = new HostsPage(lab);
    await hosts.open();
    await hosts.addHost({
      name: 'flock-1',
      address: '127.0.0.1',
      port: String(flock.host.port),
      user: 'root',
      signIn: { kind: 'Key file', keyPath: flock.host.keyPath },
    });
    await page.openHost('flock-1');
    // First contact: the console asks about the container's host key, as it would for any host.
    const prompt = new HostKeyPromptDialog(page.page);
    await expect(prompt.root).toBeVisible({ timeout: 60_000 });
    await expect(prompt.fingerprint).toHaveText(flock.host.hostKey.fingerprint);
    await prompt.trust();
    await page.showServices();
    return page;
  }

  async function isActive(flock: FlockLab, unit: string): Promise<string> {
    return (await flock.host.exec(['systemctl', 'is-active', unit])).stdout.trim();
  }

  test('lists the test services with the states systemd reports; stop then start fm-api', async ({
    lab,
    flock,
  }) => {
    const page = await openServices(lab, flock);

    for (const s of ['sysinv-conductor', 'sysinv-api', 'fm-mgr', 'fm-api'])
      await page.expectStatus(s, 'Running');
    await page.expectStatus('hwmon', 'Stopped');
    // Not in the container at all: folded away, then said in words, not just a colour.
    await expect(page.serviceRow('nfv-vim')).toHaveCount(0);
    await page.showNotInstalled();
    await page.expectStatus('nfv-vim', 'Not installed');
    await expect(page.serviceRow('fm-api')).toContainText('fm-api.service');
    await expect(page.serviceRow('fm-mgr')).toContainText('fminit.service');
    await expect(page.managedBy).toContainText('Managed by systemd · debian-12');
    expect(await isActive(flock, 'fm-api')).toBe('active');

    await page.act('Stop', 'fm-api');
    await expect(page.outcome).toHaveText('All stopped.');
    await expect(page.step('fm-api')).toContainText('Done');
    await page.expectStatus('fm-api', 'Stopped');
    expect(await isActive(flock, 'fm-api')).toBe('inactive');
    // Only what was asked for stopped.
    await page.expectStatus('fm-mgr', 'Running');

    await page.act('Start', 'fm-api');
    await expect(page.outcome).toHaveText('All started.');
    await page.expectStatus('fm-api', 'Running');
    expect(await isActive(flock, 'fm-api')).toBe('active');
  });

  test('a unit that fails to start shows Failed and its own last journal lines', async ({
    lab,
    flock,
  }) => {
    const page = await openServices(lab, flock);
    await page.act('Start', 'hwmon');
    await expect(page.outcome).toHaveText('1 of 1 failed.');
    await expect(page.step('hwmon')).toContainText('Failed');
    await expect(page.step('hwmon').getByLabel('Last journal lines of hwmon')).toContainText(
      'no board management controller provisioned',
    );
    await page.expectStatus('hwmon', 'Failed');
    expect(await isActive(flock, 'hwmon')).toBe('failed');
  });

  test('the journal shows the last lines and follows new ones live', async ({ lab, flock }) => {
    const page = await openServices(lab, flock);
    await page.openJournal('sysinv-api');
    await expect(page.journalLines).toContainText(
      `listening on 127.0.0.1:${flock.host.services.sysinv.port}`,
    );

    await page.openJournal('fm-api');
    await page.followSwitch.check();
    await expect(page.followSwitch).toBeChecked();
    // A request of our own to the fm test API: its access line must arrive while following.
    const marker = `/follow-${Date.now()}`;
    await fetch(`${flock.host.services.fm.url}${marker}`).then((r) => r.text());
    await expect(page.journalLines).toContainText(marker, { timeout: 30_000 });

    await page.followSwitch.uncheck();
    await expect(page.followSwitch).not.toBeChecked();
  });
});
