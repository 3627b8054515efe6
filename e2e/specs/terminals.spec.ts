// Terminals end to end, in the browser-host face, against real OpenSSH sshd hosts from the
// lab-in-a-box fixture (key auth as the lab's user) and a real local pty: typing, resize,
// Ctrl-C under a flood, 50 MB arriving intact (hashed in xterm's write callback against
// sha256 of the same bytes on the host), broadcast to two terminals, a local shell.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { startLab, type Lab as SshLab } from '../../src-main/test-support/lab-in-a-box';
import { expect, test } from '../fixtures/app';
import { sshdAvailable } from '../fixtures/sshd';
import { ROOT } from '../fixtures/web-server';
import { TerminalsPage } from '../pages/terminals.page';

const run = promisify(execFile);

async function cli(dataDir: string, ...args: string[]): Promise<void> {
  await run(process.execPath, [join(ROOT, 'bin/stx-lab.mjs'), '--data', dataDir, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1' },
  });
}

test.describe('terminals on real sshd hosts', () => {
  test.skip(!sshdAvailable, 'needs /usr/sbin/sshd and root to start it');
  // Generous: a 2-core CI machine may run other suites beside this one.
  test.describe.configure({ timeout: 120_000 });
  let sshLab: SshLab;

  test.beforeEach(async ({ lab }) => {
    sshLab = await startLab({ hosts: 2 });
    const inv = join(lab.dataDir, 'lab.ini');
    await writeFile(
      inv,
      `[lab]\n${sshLab.hosts
        .map(
          (h, i) =>
            `term${i + 1} ansible_host=${h.host} ansible_port=${h.port} ` +
            `ansible_user=${sshLab.user} ansible_ssh_private_key_file=${sshLab.keyPath}`,
        )
        .join('\n')}\n`,
    );
    await cli(lab.dataDir, 'inventory', 'import', inv);
    // Trust the lab's fresh host keys once, as an operator would on first contact.
    await cli(lab.dataDir, 'exec', '--accept-new', 'term*', '--', 'true');
  });
  test.afterEach(async () => {
    await sshLab.stop();
  });

  test('type echo hello, see it; resizing the window changes stty size on the remote @smoke', async ({
    lab,
  }) => {
    const terms = new TerminalsPage(lab);
    await terms.open();
    const pane = await terms.openTerminal('term1');
    await pane.typeLine('echo hello-$((40+2))');
    await pane.expectText('hello-42');

    const [cols, rows] = await pane.cols_rows();
    await pane.typeLine('stty size');
    await pane.expectText(`${rows} ${cols}`);

    await lab.page.setViewportSize({ width: 900, height: 560 });
    await expect
      .poll(async () => (await pane.cols_rows()).join('x'), { timeout: 10_000 })
      .not.toBe(`${cols}x${rows}`);
    const [cols2, rows2] = await pane.cols_rows();
    expect(cols2).toBeLessThan(cols);
    await pane.typeLine('clear; stty size');
    await pane.expectText(`${rows2} ${cols2}`);
  });

  test('yes floods the terminal; Ctrl-C stops it and the prompt answers again', async ({ lab }) => {
    const terms = new TerminalsPage(lab);
    await terms.open();
    const pane = await terms.openTerminal('term1');
    await pane.typeLine('yes');
    await expect.poll(() => pane.bytesReceived(), { timeout: 60_000 }).toBeGreaterThan(1 << 20);
    const started = Date.now();
    await lab.page.keyboard.press('Control+C');
    await pane.typeLine('echo stopped-$((6*7))');
    await pane.expectText('stopped-42', 10_000);
    test.info().annotations.push({
      type: 'ctrl-c to prompt',
      description: `${Date.now() - started} ms`,
    });
    // Stopped for good: no more output arrives once the prompt is back.
    const settled = await pane.bytesReceived();
    await pane.typeLine('echo check-$((2*2))');
    await pane.expectText('check-4');
    expect(await pane.bytesReceived()).toBeLessThan(settled + 4096);
  });

  test('50 MB of base64 arrive complete: the hash of what xterm parsed matches the host', async ({
    lab,
  }) => {
    test.setTimeout(600_000);
    const terms = new TerminalsPage(lab);
    await terms.open();
    const pane = await terms.openTerminal('term1');
    // The hosts run on this machine: the file the remote writes is readable here.
    const file = `/tmp/stx-e2e-${randomBytes(6).toString('hex')}.b64`;
    try {
      await pane.typeLine(
        `stty -onlcr; printf '\\033]7777;stx-hash\\007'; head -c 50M /dev/urandom | base64 | tee ${file}; ` +
          `printf '\\033]7777;stx-hash\\007'; stty onlcr`,
      );
      await expect(pane.hash).toBeVisible({ timeout: 540_000 });
      const expected = createHash('sha256')
        .update(await readFile(file))
        .digest('hex');
      const size = (await readFile(file)).length;
      expect(size).toBeGreaterThan(50 << 20);
      await expect(pane.hash).toHaveText(`${size} B · sha256 ${expected}`);
    } finally {
      await rm(file, { force: true });
    }
  });

  test('broadcast reaches both terminals; a destructive line waits for confirmation', async ({
    lab,
  }) => {
    const terms = new TerminalsPage(lab);
    await terms.open();
    const one = await terms.openTerminal('term1');
    const two = await terms.openTerminal('term2', 'Split right');
    await terms.armBroadcastToAll();
    await expect(one.root).toContainText('Broadcast armed');
    await expect(two.root).toContainText('Broadcast armed');

    await terms.broadcastInput.click();
    await lab.page.keyboard.type('echo both-$((20+1))');
    await lab.page.keyboard.press('Enter');
    await one.expectText('both-21');
    await two.expectText('both-21');

    // Control keys go too: a half-typed line is abandoned in both with Ctrl-C.
    await lab.page.keyboard.type('echo never-printed');
    await lab.page.keyboard.press('Control+C');
    await lab.page.keyboard.type('rm -rf /tmp/stx-e2e-none-$((1+1))');
    await lab.page.keyboard.press('Enter');
    const dialog = terms.confirmDialog();
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('rm -rf /tmp/stx-e2e-none-$((1+1))');
    await dialog.getByRole('button', { name: 'Run it everywhere' }).click();
    await expect(dialog).toBeHidden();
    await lab.page.keyboard.type('echo after-$((3*3))');
    await lab.page.keyboard.press('Enter');
    await one.expectText('after-9');
    await two.expectText('after-9');
  });

  test('a dropped connection offers Reconnect; the scrollback survives it and navigation', async ({
    lab,
  }) => {
    const terms = new TerminalsPage(lab);
    await terms.open();
    const pane = await terms.openTerminal('term1');
    await pane.typeLine('echo before-$((5+5))');
    await pane.expectText('before-10');

    // Another screen and back: the session and its scrollback are still there.
    await lab.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Hosts' })
      .click();
    await lab.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Terminals' })
      .click();
    await expect(pane.root).toHaveAttribute('data-status', 'open');

    const first = sshLab.hosts[0];
    if (!first) throw new Error('the lab has no host');
    sshLab.kill(first.name);
    await expect(pane.root).toHaveAttribute('data-status', 'lost', { timeout: 60_000 });
    const banner = pane.root.getByRole('alert');
    await expect(banner).toContainText('Connection lost');
    await sshLab.restart(first.name);
    await banner.getByRole('button', { name: 'Reconnect' }).click();
    await pane.waitConnected();
    await pane.typeLine('echo after-$((5+6))');
    await pane.expectText('after-11');
    await pane.expectText('before-10');
  });
});

test('a local shell works', async ({ lab }) => {
  const terms = new TerminalsPage(lab);
  await terms.open();
  const pane = await terms.openTerminal('local');
  await pane.typeLine('echo local-$((1+1)) $0');
  await pane.expectText('local-2');
});
