// "Start the Flock services, then check them" as a flow, run from the Flows screen against the
// real parts: the services stop/start/status steps act on the systemd host's units over SSH, the
// wait-for-port steps watch their ports, and api.check signs in to the real Keystone and calls
// sysinv and fm through an SSH tunnel from that host.
import { expect, test as base } from '../fixtures/app';
import {
  FLOCK_SCOPE,
  flockAvailable,
  flockWorker,
  importFlockHost,
  type FlockLab,
} from '../fixtures/systemd-host';
import { FlowsPage } from '../pages/flows.page';

const test = base.extend<object, { flock: FlockLab }>({ flock: [flockWorker, FLOCK_SCOPE] });

const TITLE = 'Start the Flock services, then check them';
const SERVICES = ['sysinv-conductor', 'sysinv-api', 'fm-mgr', 'fm-api'];

/** The flow; ports and the Keystone URL are this lab's (free ports chosen at boot). */
function flowYaml(flock: FlockLab): string {
  const { sysinv, fm } = flock.host.services;
  return `id: flock-start-check
title: ${TITLE}
description: Start sysinv and fm in dependency order, wait for their ports, then check their APIs.
inputs:
  controller:
    type: host
    title: Controller
  admin_password:
    type: secret
    title: Keystone admin password
steps:
  - id: start
    title: Start the Flock services
    kind: services.start
    on: \${inputs.controller}
    with:
      services: [${SERVICES.join(', ')}]
  - id: status
    title: Every service is active
    kind: services.status
    on: \${inputs.controller}
    needs: start
    with:
      services: [${SERVICES.join(', ')}]
      expect: active
  - id: sysinv-port
    title: sysinv listens
    kind: wait-for-port
    on: \${inputs.controller}
    needs: status
    with: { port: ${sysinv.port}, timeout-ms: 60000 }
  - id: fm-port
    title: fm listens
    kind: wait-for-port
    on: \${inputs.controller}
    needs: status
    with: { port: ${fm.port}, timeout-ms: 60000 }
  - id: api
    title: Flock API checks
    kind: api.check
    needs: [sysinv-port, fm-port]
    with:
      suite: flock
      via: \${inputs.controller}
      budgets: warn
      keystone:
        url: ${flock.keystone.authUrl}
        user: ${flock.keystone.adminUser}
        project: ${flock.keystone.project}
        password: \${inputs.admin_password}
`;
}

test.describe('a Flock bring-up flow on the real parts', () => {
  test.skip(!flockAvailable, 'needs root, systemd-nspawn, debootstrap, keystone and uwsgi');
  test.describe.configure({ timeout: 300_000 });

  test('start the Flock services, then check them: every step green @smoke', async ({
    lab,
    flock,
  }) => {
    // The controller in the inventory, its host key trusted once, as an operator would.
    await importFlockHost(lab.dataDir, flock);

    // Down first, so the flow has real work to do.
    await flock.host.exec(['systemctl', 'stop', 'sysinv-api', 'fm-api']);
    const before = await flock.host.exec(['systemctl', 'is-active', 'sysinv-api', 'fm-api']);
    expect(before.stdout.trim().split('\n')).toEqual(['inactive', 'inactive']);

    const flows = new FlowsPage(lab);
    await flows.writeUserFlow('flock-start-check', flowYaml(flock));
    await flows.open();
    await flows.openFlow(TITLE);
    await flows.input('Controller').selectOption('flock-1');
    await flows.input('Keystone admin password').fill(flock.keystone.adminPassword);
    await flows.startButton.click();

    await expect(flows.lanes).toBeVisible();
    await expect(flows.now).toContainText(/Finished|Failed|Cancelled/, { timeout: 240_000 });
    await expect(flows.now).toContainText('Finished: every step succeeded.');
    for (const step of [
      'Start the Flock services',
      'Every service is active',
      'sysinv listens',
      'fm listens',
    ])
      await flows.expectCell(step, 'flock-1', 'OK');

    // The services really run now, and the API step's log holds the checks' verdicts.
    const after = await flock.host.exec(['systemctl', 'is-active', 'sysinv-api', 'fm-api']);
    expect(after.stdout.trim().split('\n')).toEqual(['active', 'active']);
    await flows.stepButton('Flock API checks').click();
    await expect(flows.log).toContainText('sysinv-ihosts');
    await expect(flows.log).toContainText('fm-alarms');
    await expect(flows.log).toContainText('tunnel via flock-1');
  });
});
