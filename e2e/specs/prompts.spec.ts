// The host-key prompt against a real sshd: shown as OpenSSH shows it, Refuse has the focus,
// refusing fails the host (refused), trusting lets the connection go on to sign-in.
import { sshdAvailable, startSshd, type Sshd } from '../fixtures/sshd';
import { expect, test } from '../fixtures/app';
import { HostsPage } from '../pages/hosts.page';
import { HostKeyPromptDialog } from '../pages/prompts.page';
import { RunPage } from '../pages/run.page';

test.describe('host-key prompt', () => {
  test.skip(!sshdAvailable, 'needs /usr/sbin/sshd and root to start it');
  let sshd: Sshd;
  test.beforeEach(async () => {
    sshd = await startSshd();
  });
  test.afterEach(async () => {
    await sshd.stop();
  });

  test('an unknown key is shown with its fingerprint; Refuse is the default and refuses', async ({
    lab,
  }) => {
    const hosts = new HostsPage(lab);
    await hosts.open();
    await hosts.addHost({ name: 'lab-1', address: '127.0.0.1', port: String(sshd.port) });

    const run = new RunPage(lab);
    await run.show();
    await run.start('lab-1', 'true');
    const prompt = new HostKeyPromptDialog(run.page);
    await prompt.expectOpen();
    await expect(prompt.root).toContainText(`[127.0.0.1]:${sshd.port}`);
    await expect(prompt.root).toContainText('ED25519');
    await expect(prompt.fingerprint).toHaveText(sshd.fingerprint);
    await expect(prompt.refuseButton).toBeFocused();

    await prompt.refuse();
    await run.waitUntilFinished();
    await run.expectState('lab-1', 'Refused');
    await expect(run.summaryLine).toHaveText('0 ok · 1 unreachable');
  });

  test('trusting the key lets the connection go on to sign-in', async ({ lab }) => {
    const hosts = new HostsPage(lab);
    await hosts.open();
    await hosts.addHost({
      name: 'lab-2',
      address: '127.0.0.1',
      port: String(sshd.port),
      user: 'nobody-here',
    });

    const run = new RunPage(lab);
    await run.show();
    await run.start('lab-2', 'true');
    const prompt = new HostKeyPromptDialog(run.page);
    await prompt.trust();
    await run.waitUntilFinished();
    // The key was accepted: what fails now is the sign-in, not the host key.
    await expect(run.cell('lab-2', 'last output')).toContainText(/authentication/i);
    await expect(run.cell('lab-2', 'last output')).not.toContainText(/host key/i);
  });
});
