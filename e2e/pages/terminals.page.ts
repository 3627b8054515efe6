// The Terminals screen: tabs of split panes, the "new terminal" picker, the broadcast bar.
// A visible terminal may draw with WebGL (a canvas), so specs find text the way a person would:
// with the find bar (Ctrl+Shift+F), which searches xterm's buffer and says "1 of N".
import { expect, type Locator } from '@playwright/test';

import { ConsolePage } from './console.page';

export class TerminalsPage extends ConsolePage {
  /**
   * Opens the console on the Terminals screen with the output hash on (`?debug=terminal-hash`,
   * see src-renderer/src/lib/terminals/output-hash.ts).
   */
  override async open(): Promise<void> {
    await super.open();
    const url = new URL(this.page.url());
    url.searchParams.set('debug', 'terminal-hash');
    url.hash = '#/terminals';
    await this.page.goto(url.href);
    await this.waitUntilConnected();
    await expect(this.title).toHaveText('Terminals');
  }

  get panes(): Locator {
    return this.page.getByRole('region', { name: /^Terminal / });
  }

  get newButton(): Locator {
    return this.page.getByRole('button', { name: 'New terminal', exact: true });
  }

  get picker(): Locator {
    return this.page.getByRole('dialog', { name: 'New terminal' });
  }

  /** Opens a terminal on an inventory host ('local' for a local shell); returns its pane. */
  async openTerminal(
    host: string,
    where: 'New tab' | 'Split right' | 'Split down' = 'New tab',
  ): Promise<TerminalPane> {
    const before = await this.panes.count();
    await this.newButton.click();
    await expect(this.picker).toBeVisible();
    await this.picker.getByRole('radio', { name: where }).check();
    if (host === 'local') await this.picker.getByRole('button', { name: /^Local shell/ }).click();
    else
      await this.picker
        .getByRole('list', { name: 'Hosts' })
        .getByRole('button', { name: host })
        .click();
    await expect(this.picker).toBeHidden();
    await expect(this.panes).toHaveCount(before + 1);
    const pane = new TerminalPane(this.panes.nth(before));
    await pane.waitConnected();
    return pane;
  }

  get broadcastButton(): Locator {
    return this.page.getByRole('button', { name: 'Broadcast', exact: true });
  }

  get broadcastBar(): Locator {
    return this.page.getByRole('region', { name: 'Broadcast' });
  }

  get broadcastInput(): Locator {
    return this.broadcastBar.getByRole('textbox', { name: 'Broadcast input' });
  }

  /** Chooses every open terminal as a target and arms the broadcast. */
  async armBroadcastToAll(): Promise<void> {
    await this.broadcastButton.click();
    await this.broadcastBar.getByRole('button', { name: 'All', exact: true }).click();
    await this.broadcastBar.getByRole('button', { name: 'Arm broadcast' }).click();
    await expect(this.broadcastBar).toContainText('ARMED');
  }

  confirmDialog(): Locator {
    return this.page.getByRole('alertdialog', { name: /Run a destructive command/ });
  }
}

export class TerminalPane {
  constructor(readonly root: Locator) {}

  get state(): Locator {
    return this.root.getByRole('status').first();
  }

  get size(): Locator {
    return this.root.getByLabel('Terminal size');
  }

  get bytes(): Locator {
    return this.root.getByLabel('Bytes received');
  }

  get hash(): Locator {
    return this.root.getByLabel('Output hash');
  }

  get findBox(): Locator {
    return this.root.getByRole('searchbox', { name: 'Find in scrollback' });
  }

  /**
   * Waits until the terminal's buffer holds `text` (searched with the find bar, again and again
   * until it matches, since output may still be arriving), then closes the find bar.
   */
  async expectText(text: string, timeout = 15_000): Promise<void> {
    await this.focus();
    await this.root.page().keyboard.press('Control+Shift+F');
    await expect(this.findBox).toBeFocused();
    const result = this.root.getByRole('search').getByRole('status');
    await expect
      .poll(
        async () => {
          await this.findBox.fill(text);
          await this.findBox.press('Enter');
          return result.innerText();
        },
        { timeout, message: `terminal shows ${text}` },
      )
      .toMatch(/of [1-9]/);
    await this.findBox.press('Escape');
    await expect(this.findBox).toBeHidden();
  }

  async waitConnected(): Promise<void> {
    await expect(this.root).toHaveAttribute('data-status', 'open', { timeout: 20_000 });
  }

  /** Gives the terminal the keyboard focus. */
  async focus(): Promise<void> {
    await this.root.locator('.xterm-screen').click();
    await expect(this.root.locator('textarea.xterm-helper-textarea')).toBeFocused();
  }

  /** Types a line into the terminal as a person would, Enter included. */
  async typeLine(text: string): Promise<void> {
    await this.focus();
    await this.root.page().keyboard.type(text);
    await this.root.page().keyboard.press('Enter');
  }

  /** Bytes parsed by xterm so far. */
  async bytesReceived(): Promise<number> {
    return Number(await this.bytes.getAttribute('data-bytes'));
  }

  /** The terminal's size as the pane shows it: [cols, rows]. */
  async cols_rows(): Promise<[number, number]> {
    const m = /^(\d+)×(\d+)$/.exec((await this.size.innerText()).trim());
    if (!m) throw new Error('no terminal size shown');
    return [Number(m[1]), Number(m[2])];
  }
}
