// Groups: create, assign a host, count, rename, delete (hosts stay), show a group's hosts.
import { expect, test } from '../fixtures/app';
import { GroupsTab } from '../pages/groups.page';
import { HostsPage } from '../pages/hosts.page';

test.describe('groups', () => {
  test('create a group, assign a host to it, and its host count shows 1', async ({ lab }) => {
    const hosts = new HostsPage(lab);
    const groups = new GroupsTab(lab);
    await hosts.open();

    await hosts.addHost({ name: 'compute-0', address: '10.10.10.40' });
    await groups.create('lab-a', 'Rack A, first row');
    await groups.expectHostCount('lab-a', 0);
    await groups.expectDescription('lab-a', 'Rack A, first row');

    await hosts.editHost('compute-0', { groups: ['lab-a'] });
    await hosts.expectRow('compute-0', { groups: ['lab-a'] });
    await groups.expectHostCount('lab-a', 1);

    await hosts.reload();
    await groups.expectHostCount('lab-a', 1);
  });

  test('rename a group and delete it; its hosts stay', async ({ lab }) => {
    const hosts = new HostsPage(lab);
    const groups = new GroupsTab(lab);
    await hosts.open();

    await hosts.addHost({ name: 'compute-1', address: '10.10.10.41', newGroups: 'lab-b' });
    await groups.expectHostCount('lab-b', 1);

    await groups.edit('lab-b', 'lab-c', 'renamed');
    await groups.expectHostCount('lab-c', 1);
    await hosts.expectRow('compute-1', { groups: ['lab-c'] });

    await groups.delete('lab-c');
    expect(await hosts.names()).toEqual(['compute-1', 'localhost']);
    await expect(hosts.row('compute-1').getByRole('cell').nth(3)).not.toContainText('lab-c');
  });

  test("a group's host count shows its hosts in the Hosts tab", async ({ lab }) => {
    const hosts = new HostsPage(lab);
    const groups = new GroupsTab(lab);
    await hosts.open();
    await hosts.addHost({ name: 'ctl-0', address: '10.0.0.1', newGroups: 'rack-1' });
    await hosts.addHost({ name: 'ctl-1', address: '10.0.0.2', newGroups: 'rack-2' });

    await groups.showHostsOf('rack-2');
    await expect(hosts.tab).toHaveAttribute('aria-selected', 'true');
    await expect(hosts.table.getByRole('rowheader')).toHaveText(['ctl-1']);
  });
});
