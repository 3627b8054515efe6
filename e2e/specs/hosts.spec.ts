// The Hosts screen end to end: add, persist, validate, edit, delete, sort, keyboard.
import { expect, test } from '../fixtures/app';
import { HostsPage } from '../pages/hosts.page';

test.describe('hosts', () => {
  test('a host added through the dialog survives a reload and a restart @smoke', async ({
    lab,
  }) => {
    const hosts = new HostsPage(lab);
    await hosts.open();
    // Every new console knows the machine it runs on.
    expect(await hosts.names()).toEqual(['localhost']);

    await hosts.addHost({
      name: 'controller-0',
      address: '10.10.10.3',
      user: 'sysadmin',
      roles: ['controller', 'worker'],
      newGroups: 'rack-1',
      bmc: { type: 'Redfish', address: '10.10.0.3', user: 'admin' },
      signIn: { kind: 'Key file', keyPath: '~/.ssh/id_ed25519' },
    });
    const facts = {
      address: '10.10.10.3:22',
      user: 'sysadmin',
      roles: ['controller', 'worker'],
      groups: ['rack-1'],
      bmc: '10.10.0.3',
      signIn: /Key\s*id_ed25519/,
    };
    await hosts.expectRow('controller-0', facts);

    await hosts.reload();
    await hosts.expectRow('controller-0', facts);

    await hosts.restart();
    await hosts.expectRow('controller-0', facts);
  });

  test('invalid input shows errors at those fields and saves nothing', async ({ lab }) => {
    const hosts = new HostsPage(lab);
    await hosts.open();

    const dialog = await hosts.openAddDialog();
    await dialog.fill({ name: 'node-1', address: 'not an address!', port: '70000' });
    await dialog.save();

    await dialog.expectFieldError('Address', /not a host name or an IPv4\/IPv6 address/);
    await dialog.expectFieldError('Port', /ports run from 1 to 65535/);
    await dialog.expectNoFieldError('Name');
    await expect(dialog.field('Address')).toBeFocused();
    await expect(dialog.saveButton).toBeEnabled();

    // Fixing one field clears nothing by itself; saving again reports only what is still wrong.
    await dialog.fill({ port: '22' });
    await dialog.save();
    await dialog.expectFieldError('Address', /not a host name/);
    await dialog.expectNoFieldError('Port');

    await dialog.cancel();
    expect(await hosts.names()).toEqual(['localhost']);
    await hosts.reload();
    expect(await hosts.names()).toEqual(['localhost']);
  });

  test('a name already taken is refused at the Name field', async ({ lab }) => {
    const hosts = new HostsPage(lab);
    await hosts.open();
    await hosts.addHost({ name: 'worker-1', address: '10.10.10.11' });

    const dialog = await hosts.openAddDialog();
    await dialog.fill({ name: 'worker-1', address: '10.10.10.12' });
    await dialog.save();
    await dialog.expectFieldError('Name', /already exists/);
    await dialog.cancel();
    expect(await hosts.names()).toEqual(['localhost', 'worker-1']);
  });

  test('edit a host, then delete it after confirming', async ({ lab }) => {
    const hosts = new HostsPage(lab);
    await hosts.open();
    await hosts.addHost({ name: 'storage-0', address: '10.10.10.20', roles: ['storage'] });
    await hosts.addHost({ name: 'worker-0', address: '10.10.10.30' });

    await hosts.editHost('storage-0', {
      name: 'storage-1',
      port: '2222',
      roles: ['storage', 'build'],
      signIn: { kind: 'Password', password: 's3cret!' },
    });
    await expect(hosts.row('storage-0')).toHaveCount(0);
    await hosts.expectRow('storage-1', {
      address: '10.10.10.20:2222',
      roles: ['storage', 'build'],
      signIn: /Password\s*stored/,
    });

    // The stored password is never shown again; the field only offers to replace it.
    const dialog = await hosts.openEditDialog('storage-1');
    await expect(dialog.field('SSH password')).toHaveValue('');
    await expect(dialog.field('SSH password')).toHaveAccessibleDescription(/password is stored/);
    await dialog.cancel();

    await hosts.deleteHost('storage-1');
    expect(await hosts.names()).toEqual(['localhost', 'worker-0']);
    await hosts.reload();
    expect(await hosts.names()).toEqual(['localhost', 'worker-0']);
  });

  test('hosts are listed by name and the filter narrows them', async ({ lab }) => {
    const hosts = new HostsPage(lab);
    await hosts.open();
    for (const [name, address] of [
      ['node10', '10.0.0.10'],
      ['node2', '10.0.0.2'],
      ['build-a', '10.0.1.1'],
    ] as const) {
      await hosts.addHost({ name, address, roles: name === 'build-a' ? ['build'] : ['worker'] });
    }
    expect(await hosts.names()).toEqual(['build-a', 'localhost', 'node2', 'node10']);

    await hosts.filter.fill('worker');
    await expect(hosts.table.getByRole('rowheader')).toHaveText(['node2', 'node10']);
    await hosts.filter.fill('10.0.1');
    await expect(hosts.table.getByRole('rowheader')).toHaveText(['build-a']);
  });

  test('"n" opens Add host with the first field focused; Esc closes it', async ({ lab }) => {
    const hosts = new HostsPage(lab);
    await hosts.open();
    await hosts.page.getByRole('main').focus();
    await hosts.page.keyboard.press('n');
    await hosts.dialog.expectOpen();
    await expect(hosts.dialog.field('Name')).toBeFocused();
    await expect(hosts.dialog.field('Port')).toHaveValue('22');
    await hosts.page.keyboard.press('Escape');
    await expect(hosts.dialog.root).toBeHidden();
  });

  test('localhost is a local host: no SSH fields; deleting it leaves the empty state', async ({
    lab,
  }) => {
    const hosts = new HostsPage(lab);
    await hosts.open();
    await hosts.expectRow('localhost', { address: /local\s*this machine/, signIn: /Local/ });

    const dialog = await hosts.openEditDialog('localhost');
    await expect(dialog.localNote).toContainText('This machine (no SSH)');
    await expect(dialog.field('Address')).toHaveCount(0);
    await expect(dialog.signIn).toHaveCount(0);
    await expect(dialog.jumpField).toHaveCount(0);
    await dialog.cancel();

    await hosts.deleteHost('localhost');
    await expect(hosts.emptyState).toBeVisible();
  });

  test('jump hosts show as a chain in the dialog and "via" in the table', async ({ lab }) => {
    const hosts = new HostsPage(lab);
    await hosts.open();
    const dialog = await hosts.openAddDialog();
    await dialog.fill({ name: 'inner-1', address: '10.20.0.5', jump: 'bastion, ops@gw:2222' });
    await expect(dialog.route).toContainText(/bastion.*ops@gw:2222.*inner-1/);
    await dialog.saveAndClose();
    await hosts.expectRow('inner-1', { address: /10\.20\.0\.5:22\s*via bastion → ops@gw:2222/ });

    const edit = await hosts.openEditDialog('inner-1');
    await edit.fill({ jump: 'bastion, bad host!' });
    await edit.save();
    await edit.expectFieldError('Jump hosts (ProxyJump)', /"bad host!"/);
    await edit.cancel();
  });
});
