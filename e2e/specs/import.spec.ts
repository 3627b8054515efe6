// Import an Ansible inventory file from the Hosts screen.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { expect, test } from '../fixtures/app';
import { HostsPage } from '../pages/hosts.page';

test.describe('inventory import', () => {
  test('an INI inventory adds its hosts and groups', async ({ lab }) => {
    const file = join(lab.dataDir, 'lab.ini');
    await writeFile(
      file,
      [
        '[controllers]',
        'ctl-0 ansible_host=10.10.10.3 ansible_user=sysadmin',
        '',
        '[workers]',
        'wrk-[0:1] ansible_host=10.10.10.20',
        '',
      ].join('\n'),
    );
    const hosts = new HostsPage(lab);
    await hosts.open();
    const dialog = await hosts.importInventory(file);
    await expect(dialog.getByRole('status')).toContainText('Added');
    await expect(dialog.getByRole('status')).toContainText('3 hosts');
    await expect(dialog.getByRole('status')).toContainText('controllers');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(dialog).toBeHidden();

    expect(await hosts.names()).toEqual(['ctl-0', 'localhost', 'wrk-0', 'wrk-1']);
    await hosts.expectRow('ctl-0', { address: '10.10.10.3:22', user: 'sysadmin' });
  });

  test('a malformed inventory is refused with file:line:column', async ({ lab }) => {
    const file = join(lab.dataDir, 'bad.ini');
    await writeFile(file, '[ok]\nnode1\n[bad group]\n');
    const hosts = new HostsPage(lab);
    await hosts.open();
    const dialog = await hosts.importInventory(file);
    await expect(dialog.getByRole('alert')).toContainText(`${file}:3:1: invalid section entry`);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await hosts.names()).toEqual(['localhost']);
  });
});
