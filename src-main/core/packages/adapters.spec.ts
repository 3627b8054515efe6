// The adapters for OSes that cannot run here (Clear Linux swupd, CentOS yum, dnf), driven by a
// scripted executor that answers each argv with an output recorded in the reference.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SshTarget } from '../ssh/types';
import { createPackageManager } from './factory';
import { RpmPackageManager } from './rpm';
import { SwupdPackageManager } from './swupd';
import { scripted } from '../../test-support/scripted-executor';

const target: SshTarget = {
  name: 'clr1',
  host: 'clr1',
  port: 22,
  user: 'stx',
  auth: { kind: 'agent' },
  jump: [],
};
const rec = (name: string): string =>
  readFileSync(join(import.meta.dirname, 'testdata', 'reference', name), 'utf8');

describe('swupd adapter (recorded outputs)', () => {
  it('lists bundles with the OS version as their version', async () => {
    const ex = scripted({
      'swupd info': { stdout: rec('swupd-info.txt') },
      'swupd bundle-list': { stdout: rec('swupd-bundle-list.txt') },
    });
    const pm = new SwupdPackageManager(ex);
    expect(await pm.listInstalled(target)).toEqual([
      { name: 'os-core', version: '10', installed: true },
      { name: 'test-bundle1', version: '10', installed: true },
      { name: 'test-bundle2', version: '10', installed: true },
    ]);
    expect(ex.calls.every((c) => c.env?.LC_ALL === 'C')).toBe(true);
    expect(await pm.query(target, 'test-bundle2')).toMatchObject({ name: 'test-bundle2' });
    expect(await pm.query(target, 'kvm-host')).toBeNull();
  });

  it('candidate from bundle-list --all --status', async () => {
    const ex = scripted({
      'swupd info': { stdout: rec('swupd-info.txt') },
      'swupd bundle-list --all --status': { stdout: rec('swupd-bundle-list-all-status.txt') },
    });
    const pm = new SwupdPackageManager(ex);
    expect(await pm.candidate(target, 'test-bundle4')).toMatchObject({
      installed: '10',
      candidate: '10',
    });
    expect(await pm.candidate(target, 'test-bundle1')).toMatchObject({
      installed: null,
      candidate: '10',
    });
    expect(await pm.candidate(target, 'puppet')).toBeNull();
  });

  it('search, diagnose and check-update', async () => {
    const ex = scripted({
      'swupd search kata': { stdout: rec('swupd-search.txt') },
      'sudo -n -- swupd diagnose': { stdout: rec('swupd-diagnose.txt') },
      'swupd check-update': { stdout: rec('swupd-check-update.txt') },
    });
    const pm = new SwupdPackageManager(ex, { sudo: true });
    expect((await pm.search(target, 'kata')).map((b) => b.name)).toEqual([
      'containers-virt',
      'cloud-native-basic',
    ]);
    expect(await pm.verify(target)).toMatchObject({ ok: true, issues: [], inspected: 11 });
    expect(await pm.updates(target)).toEqual([{ name: 'os', from: '10', to: '100' }]);
  });

  it('refuses package files', async () => {
    const pm = new SwupdPackageManager(scripted({}));
    await expect(pm.install(target, { files: ['/tmp/x.rpm'] })).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });
});

describe('rpm + yum/dnf adapter (recorded outputs)', () => {
  it('candidate from yum list (CentOS 7)', async () => {
    const ex = scripted({ 'yum list bash': { stdout: rec('yum-list-installed-centos7.txt') } });
    const pm = new RpmPackageManager(ex, { frontend: 'yum' });
    expect(await pm.candidate(target, 'bash')).toEqual({
      name: 'bash',
      installed: '4.2.46-34.el7',
      candidate: '4.2.46-34.el7',
      versions: [{ version: '4.2.46-34.el7', sources: ['@anaconda'] }],
    });
  });

  it('"No matching Packages to list" is an empty answer, not a failure', async () => {
    const ex = scripted({
      'dnf list updates': { exitCode: 1, stderr: 'Error: No matching Packages to list\n' },
    });
    expect(await new RpmPackageManager(ex, { frontend: 'dnf' }).updates(target)).toEqual([]);
  });

  it('rpm -qa through the factory for a yum profile; gpg-pubkey left out', async () => {
    const ex = scripted({
      'rpm -qa --qf %{NAME}\\t%{EPOCH}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\n': {
        stdout: `${rec('rpm-qa.txt')}gpg-pubkey\t(none)\tf4a80eb5\t53a7ff4b\t(none)\n`,
      },
    });
    const pm = createPackageManager(
      { packages: { format: 'rpm', manager: 'yum', verify: 'rpm -V' } },
      ex,
    );
    expect(pm.tool).toBe('yum');
    expect((await pm.listInstalled(target)).map((p) => p.name)).toEqual(['bash', 'openssh-server']);
  });

  it('privileged commands go through sudo -n when asked', async () => {
    const ex = scripted({ 'sudo -n -- yum install -y lighttpd': { stdout: 'Complete!\n' } });
    const r = await new RpmPackageManager(ex, { frontend: 'yum', sudo: true }).install(target, {
      names: ['lighttpd'],
    });
    expect(r.argv).toEqual(['sudo', '-n', '--', 'yum', 'install', '-y', 'lighttpd']);
  });
});
