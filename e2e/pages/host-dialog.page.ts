// The Add host / Edit host dialog.
import { expect, type Locator, type Page } from '@playwright/test';

export type Role = 'controller' | 'worker' | 'storage' | 'build';

export interface HostSpec {
  name?: string;
  address?: string;
  port?: string;
  user?: string;
  /** Exactly these roles are ticked. */
  roles?: Role[];
  /** Existing groups to tick. */
  groups?: string[];
  /** New groups, comma separated. */
  newGroups?: string;
  /** ProxyJump hops, comma separated. */
  jump?: string;
  bmc?: { type: 'Redfish' | 'IPMI'; address: string; user?: string } | 'None';
  signIn?:
    | { kind: 'SSH agent' }
    | { kind: 'Key file'; keyPath: string }
    | { kind: 'Password'; password?: string };
}

/** Fields whose server errors the dialog shows in place. */
export type FieldName =
  | 'Name'
  | 'SSH user'
  | 'Address'
  | 'Port'
  | 'BMC address'
  | 'BMC user'
  | 'Private key file'
  | 'SSH password'
  | 'New groups'
  | 'Jump hosts (ProxyJump)';

const ROLES: readonly Role[] = ['controller', 'worker', 'storage', 'build'];

export class HostDialog {
  readonly root: Locator;

  constructor(page: Page) {
    this.root = page.getByRole('dialog', { name: /^(Add host|Edit host .+)$/ });
  }

  field(name: FieldName): Locator {
    // A password input has no ARIA role: it is found by its label.
    return name === 'SSH password'
      ? this.root.getByLabel(name, { exact: true })
      : this.root.getByRole('textbox', { name, exact: true });
  }

  get roles(): Locator {
    return this.root.getByRole('group', { name: 'Roles' });
  }

  get groups(): Locator {
    return this.root.getByRole('group', { name: 'Groups' });
  }

  get signIn(): Locator {
    return this.root.getByRole('group', { name: 'Sign-in' });
  }

  get jumpField(): Locator {
    return this.field('Jump hosts (ProxyJump)');
  }

  /** The chain console → hops → host shown under the jump field. */
  get route(): Locator {
    return this.root.getByRole('list', { name: 'Route' });
  }

  /** "This machine (no SSH)": shown instead of the SSH fields for a local host. */
  get localNote(): Locator {
    return this.root.getByRole('note');
  }

  get bmcType(): Locator {
    return this.root.getByRole('combobox', { name: 'BMC', exact: true });
  }

  /** The "Host key" section (Edit host only, SSH hosts only). */
  get hostKey(): Locator {
    return this.root.getByRole('region', { name: 'Host key' });
  }

  get pinnedKeys(): Locator {
    return this.hostKey.getByRole('list', { name: 'Pinned keys' }).getByRole('listitem');
  }

  get forgetKeyButton(): Locator {
    return this.hostKey.getByRole('button', { name: 'Forget key (re-key)…' });
  }

  get saveButton(): Locator {
    return this.root.getByRole('button', { name: /^(Add host|Save changes|Saving…)$/ });
  }

  /** The error line for problems that belong to no single field. */
  get generalError(): Locator {
    return this.root.getByRole('alert');
  }

  async expectOpen(): Promise<void> {
    await expect(this.root).toBeVisible();
  }

  async fill(spec: HostSpec): Promise<void> {
    if (spec.name !== undefined) await this.field('Name').fill(spec.name);
    if (spec.user !== undefined) await this.field('SSH user').fill(spec.user);
    if (spec.address !== undefined) await this.field('Address').fill(spec.address);
    if (spec.port !== undefined) await this.field('Port').fill(spec.port);
    if (spec.roles !== undefined) {
      for (const role of ROLES) {
        await this.roles
          .getByRole('checkbox', { name: role })
          .setChecked(spec.roles.includes(role));
      }
    }
    for (const group of spec.groups ?? []) {
      await this.groups.getByRole('checkbox', { name: group, exact: true }).check();
    }
    if (spec.newGroups !== undefined) await this.field('New groups').fill(spec.newGroups);
    if (spec.bmc !== undefined) {
      if (spec.bmc === 'None') {
        await this.bmcType.selectOption({ label: 'None' });
      } else {
        await this.bmcType.selectOption({ label: spec.bmc.type });
        await this.field('BMC address').fill(spec.bmc.address);
        if (spec.bmc.user !== undefined) await this.field('BMC user').fill(spec.bmc.user);
      }
    }
    if (spec.jump !== undefined) await this.jumpField.fill(spec.jump);
    if (spec.signIn !== undefined) {
      await this.signIn.getByRole('radio', { name: spec.signIn.kind, exact: true }).check();
      if (spec.signIn.kind === 'Key file') {
        await this.field('Private key file').fill(spec.signIn.keyPath);
      } else if (spec.signIn.kind === 'Password' && spec.signIn.password !== undefined) {
        await this.field('SSH password').fill(spec.signIn.password);
      }
    }
  }

  async save(): Promise<void> {
    await this.saveButton.click();
  }

  /** Saves and waits until the dialog has closed (the save went through). */
  async saveAndClose(): Promise<void> {
    await this.save();
    await expect(this.root).toBeHidden();
  }

  async cancel(): Promise<void> {
    await this.root.getByRole('button', { name: 'Cancel' }).click();
    await expect(this.root).toBeHidden();
  }

  /** The field is marked invalid and its description carries the server's message. */
  async expectFieldError(name: FieldName, message: string | RegExp): Promise<void> {
    const field = this.field(name);
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(field).toHaveAccessibleDescription(message);
  }

  async expectNoFieldError(name: FieldName): Promise<void> {
    await expect(this.field(name)).not.toHaveAttribute('aria-invalid', 'true');
  }
}

/** The re-key confirmation (one host or a group's hosts), then its result. */
export class RekeyDialog {
  readonly root: Locator;

  constructor(page: Page, title: string | RegExp) {
    this.root = page.getByRole('alertdialog', { name: title });
  }

  /** The host names the confirmation lists. */
  get hosts(): Locator {
    return this.root.getByRole('list', { name: 'Hosts to re-key' }).getByRole('listitem');
  }

  get confirmButton(): Locator {
    return this.root.getByRole('button', { name: /^Forget keys?$/ });
  }

  /** "N pinned keys removed." once done. */
  get result(): Locator {
    return this.root.getByRole('status');
  }

  /** The ssh-keygen -R commands for keys still pinned in the user's known_hosts files. */
  get commands(): Locator {
    return this.root.getByLabel('Commands to run');
  }

  async confirm(): Promise<void> {
    await expect(this.root).toBeVisible();
    await this.confirmButton.click();
    await expect(this.result).toBeVisible();
  }

  async done(): Promise<void> {
    await this.root.getByRole('button', { name: 'Done' }).click();
    await expect(this.root).toBeHidden();
  }
}
