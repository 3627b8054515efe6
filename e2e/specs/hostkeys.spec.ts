// Pinned host keys against a real sshd: the Hosts table and the Edit host dialog show the key a
// run trusted (fingerprint as `ssh-keygen -lf` prints it); re-keying, for one host or a whole
// group, forgets it, so the next connection asks again.
import { execFileSync } from 'node:child_process';

import { sshdAvailable, startSshd, type Sshd } from '../fixtures/sshd';
import { expect, test } from '../fixtures/app';
import { GroupsTab } from '../pages/groups.page';
import { RekeyDialog } from '../pages/host-dialog.page';
import { HostsPage } from '../pages/hosts.page';
import { HostKeyPromptDialog } from '../pages/prompts.page';
import { RunPage } from '../pages/run.page';

/** The host key's fingerprint as OpenSSH prints it, computed here rather than trusted. */
function fingerprintOf(pubFile: string): string {
  const out = execFileSync('ssh-keygen', ['-lf', pubFile], { encoding: 'utf8' });
  const match = /SHA256:\S+/.exec(out);
  if (!match) throw new Error(`no fingerprint in: ${out}`);
  return match[0];
}

test.describe('pinned host keys', () => {
  test.skip(!sshdAvailable, 'needs /usr/sbin/sshd and root to start it');
  let sshd: Sshd;
  let fingerprint: string;
  test.beforeEach(async () => {
    sshd = await startSshd();
    fingerprint = fingerprintOf(sshd.hostKeyPub);
  });
  test.afterEach(async () => {
    await sshd.stop();
  });

  /** Adds the host, runs `true` on it and trusts its key; back on the Hosts screen after. */
  async function trustOnce(hosts: HostsPage, run: RunPage, name: string): Promise<void> {
    await run.show();
    await run.start(name, 'true');
    await new HostKeyPromptDialog(run.page).trust();
    await run.waitUntilFinished();
    await hosts.showScreen();
  }

  test('the trusted key shows in the table and the dialog; re-key forgets it', async ({ lab }) => {
    const hosts = new HostsPage(lab);
    const run = new RunPage(lab);
    await hosts.open();
    await hosts.addHost({
      name: 'lab-k',
      address: '127.0.0.1',
      port: String(sshd.port),
      user: 'nobody-here',
    });
    await expect(hosts.sshCell('lab-k')).toContainText('No key yet');

    await trustOnce(hosts, run, 'lab-k');
    await expect(hosts.sshCell('lab-k')).toContainText(/Key pinned|Connected/);
    await expect(hosts.sshCell('lab-k')).toContainText(fingerprint);

    const dialog = await hosts.openEditDialog('lab-k');
    await expect(dialog.pinnedKeys).toHaveCount(1);
    await expect(dialog.pinnedKeys).toContainText('ED25519');
    await expect(dialog.pinnedKeys).toContainText(fingerprint);
    await dialog.forgetKeyButton.click();

    const rekey = new RekeyDialog(hosts.page, /host key of lab-k/i);
    await expect(rekey.hosts).toHaveText(['lab-k']);
    await expect(rekey.root).toContainText('audit log');
    await expect(rekey.confirmButton).not.toBeFocused();
    await rekey.confirm();
    await expect(rekey.result).toContainText('1 pinned key removed.');
    await expect(rekey.commands).toHaveCount(0);
    await rekey.done();

    await expect(dialog.pinnedKeys).toHaveCount(0);
    await expect(dialog.hostKey).toContainText('No key pinned yet');
    await expect(dialog.hostKey).toBeFocused();
    await dialog.cancel();
    await expect(hosts.sshCell('lab-k')).toContainText('No key yet');

    // Forgotten: the next connection asks again.
    await run.show();
    await run.start('lab-k', 'true');
    const prompt = new HostKeyPromptDialog(run.page);
    await expect(prompt.fingerprint).toHaveText(fingerprint);
    await prompt.refuse();
    await run.waitUntilFinished();
    await run.expectState('lab-k', 'Refused');
  });

  test("a group's hosts are re-keyed together", async ({ lab }) => {
    const hosts = new HostsPage(lab);
    const run = new RunPage(lab);
    await hosts.open();
    await hosts.addHost({
      name: 'rack-1',
      address: '127.0.0.1',
      port: String(sshd.port),
      user: 'nobody-here',
      newGroups: 'rack-a',
    });
    await trustOnce(hosts, run, 'rack-1');
    await expect(hosts.sshCell('rack-1')).toContainText(fingerprint);

    const groups = new GroupsTab(lab);
    await groups.openRekey('rack-a');
    const rekey = new RekeyDialog(hosts.page, /group rack-a/);
    await expect(rekey.hosts).toHaveText(['rack-1']);
    await rekey.confirm();
    await expect(rekey.result).toContainText('1 pinned key removed.');
    await rekey.done();
    await expect(hosts.statusBar).toContainText('Group rack-a re-keyed');

    await hosts.show();
    await expect(hosts.sshCell('rack-1')).toContainText('No key yet');
    await expect(hosts.sshCell('rack-1')).not.toContainText(fingerprint);
  });
});
