// Compare hosts for real: localhost with itself (no differences), then localhost with a
// lab-in-a-box host over real SSH. The lab's hosts are this machine, so the packages and enabled
// services must agree too: a real test of the SSH path (dpkg-query and systemctl over sshd).
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, MapVerifier, startLab } from '../../test-support/lab-in-a-box';
import { requirements } from '../../test-support/requirements';
import { RoutingExecutor } from '../fanout/routing-executor';
import type { TargetHost } from '../fanout/targets';
import { HostOsService } from '../readiness/service';
import { findResourcesDir } from '../readiness/resources';
import { LocalExecutor } from '../ssh/local-exec';
import { SshPool } from '../ssh/pool';
import { SshExecutor } from '../ssh/ssh-exec';
import type { PackageRecord } from './package-manager';
import { compareSnapshots, type HostSnapshot } from './compare-hosts';

const resources = findResourcesDir(import.meta.dirname);
const localHost: TargetHost = {
  name: 'localhost',
  address: 'localhost',
  port: 22,
  user: null,
  auth: { kind: 'agent' },
  jump: [],
  connection: 'local',
  groups: [],
};
const debianLike =
  spawnSync('sh', ['-c', 'command -v dpkg-query && command -v systemctl']).status === 0;

describe('compareSnapshots', () => {
  const pkg = (name: string, version: string): PackageRecord => ({
    name,
    version,
    installed: true,
  });
  const snap = (host: string, packages: PackageRecord[], units: string[]): HostSnapshot => ({
    host,
    facts: {
      osRelease: { ID: 'debian', VERSION_ID: host === 'b' ? '13' : '12' },
      buildInfo: null,
      redhatRelease: null,
      kernel: { name: 'Linux', release: '6.1' },
      arch: 'x86_64',
      init: { running: 'systemd', pid1: 'systemd', installed: 'systemd', sbinInit: null },
      python: {
        python3: { present: true, version: '3.11.2', output: '' },
        python2: { present: false, output: '' },
        python: { present: false, output: '' },
      },
      tools: {},
      raw: '',
    },
    profile: null,
    packages,
    services: { units },
  });
  it('splits packages into added, removed and changed, and services per side', () => {
    const c = compareSnapshots(
      snap(
        'a',
        [pkg('bash', '5.1'), pkg('ntp', '4.2'), pkg('git', '2.39')],
        ['cron.service', 'ssh.service'],
      ),
      snap(
        'b',
        [pkg('bash', '5.2'), pkg('ntpsec', '1.2'), pkg('git', '2.39')],
        ['ssh.service', 'chrony.service'],
      ),
    );
    expect(c.packages.changed).toEqual([{ name: 'bash', a: '5.1', b: '5.2' }]);
    expect(c.packages.removed).toEqual([{ name: 'ntp', a: '4.2', b: null }]);
    expect(c.packages.added).toEqual([{ name: 'ntpsec', a: null, b: '1.2' }]);
    expect(c.packages.same).toBe(1);
    expect(c.services).toMatchObject({
      onlyA: ['cron.service'],
      onlyB: ['chrony.service'],
      both: ['ssh.service'],
    });
    expect(c.facts.find((f) => f.field === 'os-release VERSION_ID')).toMatchObject({
      a: '12',
      b: '13',
      same: false,
    });
    expect(c.identical).toBe(false);
  });
});

describe.runIf(debianLike)('compare localhost with itself', () => {
  it('finds no difference', { timeout: 60_000 }, async () => {
    const svc = new HostOsService(
      { hosts: () => [localHost], groups: () => [] },
      new RoutingExecutor({ local: new LocalExecutor(), remote: new LocalExecutor() }),
      resources,
    );
    const c = await svc.compare('localhost', 'localhost');
    expect(c.identical).toBe(true);
    expect(c.packages.same).toBeGreaterThan(50);
    expect(c.services.both.length).toBeGreaterThan(0);
  });
});

describe.runIf(debianLike && requirements({ commands: ['/usr/sbin/sshd'] }))(
  'compare localhost with a lab host over SSH',
  () => {
    let lab: Lab;
    let pool: SshPool;
    beforeAll(async () => {
      lab = await startLab({ hosts: 1 });
      pool = new SshPool({
        hostVerifier: new MapVerifier(lab.hosts),
        decideUnknown: async () => false,
        audit: () => {},
        actor: 'tester',
      });
    }, 60_000);
    afterAll(async () => {
      await pool?.dispose();
      await lab?.stop();
    });

    it('sees the same packages and enabled services', { timeout: 60_000 }, async () => {
      const h = lab.hosts[0]!;
      const labHost: TargetHost = {
        name: 'lab-1',
        address: h.host,
        port: h.port,
        user: lab.user,
        auth: { kind: 'key', keyPath: lab.keyPath },
        jump: [],
        connection: 'ssh',
        groups: [],
      };
      const svc = new HostOsService(
        { hosts: () => [localHost, labHost], groups: () => [] },
        new RoutingExecutor({ local: new LocalExecutor(), remote: new SshExecutor(pool) }),
        resources,
      );
      const c = await svc.compare('localhost', 'lab-1');
      expect(c.packages.added).toEqual([]);
      expect(c.packages.removed).toEqual([]);
      expect(c.packages.changed).toEqual([]);
      expect(c.packages.same).toBeGreaterThan(50);
      expect(c.services.onlyA).toEqual([]);
      expect(c.services.onlyB).toEqual([]);
      // Same machine, same kernel and OS (PATH may differ over SSH, so Python is not compared).
      for (const field of ['os-release ID', 'os-release VERSION_ID', 'kernel', 'arch', 'profile']) {
        expect(c.facts.find((f) => f.field === field)?.same, field).toBe(true);
      }
    });
  },
);
