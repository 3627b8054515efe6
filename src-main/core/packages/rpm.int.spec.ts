// Real rpm and rpmbuild (Debian package `rpm`) through LocalExecutor, against a package database
// in a temporary directory (--dbpath) and a relocated install prefix: the machine's own state
// is never touched. A tiny noarch RPM is built from a spec written here.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { requirements } from '../../test-support/requirements';
import { LocalExecutor } from '../ssh/local-exec';
import type { SshTarget } from '../ssh/types';
import { RpmPackageManager } from './rpm';

const LOCAL: SshTarget = {
  name: 'localhost',
  host: 'localhost',
  port: 22,
  user: '',
  auth: { kind: 'agent' },
  jump: [],
  local: true,
};
const PKG = 'stx-lab-test-pkg';

// rpm chowns installed files to root, so installs need root (CI runs as root).
const canRun = requirements({ commands: ['rpm', 'rpmbuild'], root: true });

const SPEC = `Name: ${PKG}
Version: 1.0
Release: 1
Summary: StarlingX Lab Console test package
License: Apache-2.0
BuildArch: noarch
Prefix: /opt/stx-lab-test

%description
Installed, verified and removed by the package-manager integration test.

%install
mkdir -p %{buildroot}/opt/stx-lab-test
echo hello > %{buildroot}/opt/stx-lab-test/hello.txt

%files
/opt/stx-lab-test/hello.txt
`;

describe.skipIf(!canRun)('rpm adapter against real rpm with a private --dbpath', () => {
  let dir: string;
  let rpmFile: string;
  let db: string;
  let prefix: string;
  let pm: RpmPackageManager;
  const env = { ...process.env, LC_ALL: 'C' };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'stx-rpm-'));
    const top = join(dir, 'top');
    db = join(dir, 'db');
    prefix = join(dir, 'inst');
    mkdirSync(join(top, 'SPECS'), { recursive: true });
    mkdirSync(db);
    writeFileSync(join(top, 'SPECS', `${PKG}.spec`), SPEC);
    const built = spawnSync(
      'rpmbuild',
      [
        '-bb',
        '--define',
        `_topdir ${top}`,
        '--define',
        '_build_id_links none',
        join(top, 'SPECS', `${PKG}.spec`),
      ],
      { encoding: 'utf8', env },
    );
    expect(built.status, built.stderr).toBe(0);
    rpmFile = join(top, 'RPMS', 'noarch', readdirSync(join(top, 'RPMS', 'noarch'))[0]!);
    const init = spawnSync('rpm', ['--initdb', '--dbpath', db], { encoding: 'utf8', env });
    expect(init.status, init.stderr).toBe(0);
    pm = new RpmPackageManager(new LocalExecutor(), {
      frontend: null,
      dbpath: db,
      prefix,
      fileInstallFlags: ['--nodeps', '--noscripts'],
    });
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('installs the built RPM into the private database and prefix', async () => {
    const r = await pm.install(LOCAL, { files: [rpmFile] });
    expect(r.argv).toEqual([
      'rpm',
      '--dbpath',
      db,
      '-U',
      '-v',
      '--nodeps',
      '--noscripts',
      '--prefix',
      prefix,
      rpmFile,
    ]);
    // The machine's own rpm database does not know the package.
    expect(spawnSync('rpm', ['-q', PKG], { env }).status).not.toBe(0);
  });

  it('queries it (rpm -q --qf) and lists it (rpm -qa)', async () => {
    const own = spawnSync(
      'rpm',
      ['--dbpath', db, '-q', '--qf', '%{VERSION}-%{RELEASE}.%{ARCH}', PKG],
      { encoding: 'utf8', env },
    );
    expect(own.stdout).toBe('1.0-1.noarch');
    expect(await pm.query(LOCAL, PKG)).toEqual({
      name: PKG,
      version: '1.0',
      release: '1',
      arch: 'noarch',
      installed: true,
    });
    expect(await pm.listInstalled(LOCAL)).toEqual([
      { name: PKG, version: '1.0', release: '1', arch: 'noarch', installed: true },
    ]);
  });

  it('verifies clean, then reports the digest (5) of a corrupted file, then a missing file', async () => {
    const file = join(prefix, 'hello.txt');
    expect(await pm.verify(LOCAL, PKG)).toMatchObject({ ok: true, issues: [] });
    writeFileSync(file, 'corrupted\n');
    const bad = await pm.verify(LOCAL, PKG);
    expect(bad.ok).toBe(false);
    expect(bad.issues).toHaveLength(1);
    expect(bad.issues[0]!.path).toBe(file);
    expect(bad.issues[0]!.flags[2]).toBe('5');
    expect(bad.issues[0]!.changed).toContain('digest');
    unlinkSync(file);
    expect((await pm.verify(LOCAL, PKG)).issues).toEqual([
      expect.objectContaining({ path: file, problem: 'missing' }),
    ]);
  });

  it('removes it; removing again gives rpm’s own message as not_found', async () => {
    await pm.remove(LOCAL, [PKG]);
    expect(await pm.query(LOCAL, PKG)).toBeNull();
    expect(await pm.listInstalled(LOCAL)).toEqual([]);
    const err = (await pm.remove(LOCAL, [PKG]).catch((e: unknown) => e)) as AppError;
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('not_found');
    expect(err.message).toBe(
      `rpm -e ${PKG}: no such package: error: package ${PKG} is not installed`,
    );
  });

  it('without yum/dnf, repository operations say so instead of running', async () => {
    await expect(pm.search(LOCAL, 'bash')).rejects.toThrow(/needs yum or dnf/);
    await expect(pm.updates(LOCAL)).rejects.toMatchObject({ code: 'unavailable' });
  });
});
