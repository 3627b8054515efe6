// Lists follow changes made elsewhere: another tab on the same browser host ('inventory.changed').
import { expect, test } from '../fixtures/app';
import { GroupsTab } from '../pages/groups.page';
import { HostsPage } from '../pages/hosts.page';

test.describe('live updates @web-only', () => {
  test('a host and a group added in one tab appear in the other', async ({ lab }) => {
    const first = new HostsPage(lab);
    await first.open();
    const otherLab = await lab.secondTab();
    const other = new HostsPage(otherLab);
    await other.open();
    expect(await other.names()).toEqual(['localhost']);

    await first.addHost({ name: 'edge-1', address: '192.168.7.1', newGroups: 'edge' });
    await expect(other.row('edge-1')).toBeVisible();
    await new GroupsTab(otherLab).expectHostCount('edge', 1);

    await other.show();
    await other.deleteHost('edge-1');
    await expect(first.row('edge-1')).toHaveCount(0);
    expect(await first.names()).toEqual(['localhost']);
  });
});
