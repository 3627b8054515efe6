// A flow on real sshd servers (the lab-in-a-box), started from the UI: the swimlanes show one
// lane per host reaching OK, the log of one cell holds that host's lines only.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { startLab, type Lab as SshLab } from '../../src-main/test-support/lab-in-a-box';
import { expect, test } from '../fixtures/app';
import { ROOT } from '../fixtures/web-server';
import { sshdAvailable } from '../fixtures/sshd';
import { FlowsPage } from '../pages/flows.page';

const run = promisify(execFile);

const LAB_FLOW = `id: lab-check
title: Lab check
description: Who answers, and a few lines from each host.
inputs:
  target:
    type: host-pattern
    title: Hosts
steps:
  - id: whoami
    title: Who answers
    kind: exec
    on: \${inputs.target}
    say: Every host says who it is.
    with:
      argv: [sh, -c, 'set -- $SSH_CONNECTION; echo "sshd port $4"']
  - id: lines
    title: Print lines
    kind: exec
    on: \${inputs.target}
    needs: whoami
    with:
      script: 'for i in 1 2 3 4 5; do echo "line $i"; done; echo "done on $(id -un)" >&2'
`;

/** The console's own CLI on the test's data folder (as a user would script it). */
async function cli(dataDir: string, ...args: string[]): Promise<string> {
  const { stdout, stderr } = await run(
    process.execPath,
    [join(ROOT, 'bin/stx-lab.mjs'), '--data', dataDir, ...args],
    { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } },
  );
  return stdout + stderr;
}

test.describe('flows on real sshd hosts', () => {
  test.skip(!sshdAvailable, 'needs /usr/sbin/sshd and root to start it');
  let sshLab: SshLab;
  test.beforeEach(async () => {
    sshLab = await startLab({ hosts: 2 });
  });
  test.afterEach(async () => {
    await sshLab.stop();
  });

  test('a 2-step flow on two sshd hosts: lanes reach OK, logs per host', async ({ lab }) => {
    const inv = join(lab.dataDir, 'lab.ini');
    await writeFile(
      inv,
      `[lab]\n${sshLab.hosts
        .map(
          (h, i) =>
            `sshnode${i + 1} ansible_host=${h.host} ansible_port=${h.port} ` +
            `ansible_user=${sshLab.user} ansible_ssh_private_key_file=${sshLab.keyPath}`,
        )
        .join('\n')}\n`,
    );
    await cli(lab.dataDir, 'inventory', 'import', inv);
    // Trust the lab's fresh host keys once, as an operator would on first contact.
    await cli(lab.dataDir, 'exec', '--accept-new', 'sshnode*', '--', 'true');

    const flows = new FlowsPage(lab);
    await flows.writeUserFlow('lab-check', LAB_FLOW);
    await flows.open();
    await flows.openFlow('Lab check');
    await flows.input('Hosts').fill('sshnode*');
    await expect(flows.inputsForm.getByRole('status', { name: 'Selected hosts' })).toContainText(
      '2 hosts',
    );
    await flows.startButton.click();

    await expect(flows.lanes).toBeVisible();
    await flows.waitUntilFinished();
    await expect(flows.now).toContainText('Finished: every step succeeded.');
    await expect(flows.lanes.getByRole('columnheader')).toHaveText([
      'Step',
      'sshnode1',
      'sshnode2',
    ]);
    for (const host of ['sshnode1', 'sshnode2']) {
      await flows.expectCell('Who answers', host, 'OK');
      await flows.expectCell('Print lines', host, 'OK');
    }

    // The log of one cell: that host's lines only (its sshd port proves where it ran).
    const [one, two] = sshLab.hosts;
    await flows.cell('Who answers', 'sshnode2').click();
    await expect(flows.log).toContainText(`sshd port ${two?.port}`);
    await expect(flows.log).not.toContainText(`sshd port ${one?.port}`);
    await flows.cell('Print lines', 'sshnode1').click();
    await expect(flows.log).toContainText('line 5');
    await expect(flows.log).toContainText(`done on ${sshLab.user}`);
    await expect(flows.log).not.toContainText('sshnode2');
  });
});
