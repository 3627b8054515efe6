// Real dpkg and apt on this (Debian) machine, through LocalExecutor: a tiny .deb built here is
// installed into the system database, queried, verified, corrupted, verified again and removed.
// A locked database is shown on a private dpkg admindir, so nothing else on the machine waits.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { requirements } from '../../test-support/requirements';
import { LocalExecutor } from '../ssh/local-exec';
import type { SshTarget } from '../ssh/types';
import { AptDpkgPackageManager } from './apt-dpkg';
import type { PackageProgress } from './package-manager';

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
const FILE = '/usr/share/stx-lab-test/hello.txt';

const canRun = requirements({ commands: ['dpkg-deb', 'apt-cache'], root: true });

/** Best-effort removal of the test package (before and after, so a failed run leaves nothing). */
function purge(): void {
  spawnSync('dpkg', ['--purge', PKG], { env: { ...process.env, LC_ALL: 'C' } });
}

describe.skipIf(!canRun)('apt/dpkg adapter against the real dpkg (root)', () => {
  const executor = new LocalExecutor();
  const pm = new AptDpkgPackageManager(executor, { lockWaitMs: 60_000 });
  let dir: string;
  let deb: string;

  beforeAll(() => {
    purge();
    dir = mkdtempSync(join(tmpdir(), 'stx-deb-'));
    const root = join(dir, 'pkg');
    mkdirSync(join(root, 'DEBIAN'), { recursive: true });
    mkdirSync(join(root, 'usr/share/stx-lab-test'), { recursive: true });
    writeFileSync(join(root, FILE), 'hello\n');
    writeFileSync(
      join(root, 'DEBIAN/md5sums'),
      'b1946ac92492d2347c6235b4d2611184  usr/share/stx-lab-test/hello.txt\n',
    );
    writeFileSync(
      join(root, 'DEBIAN/control'),
      [
        `Package: ${PKG}`,
        'Version: 1.0-1',
        'Architecture: all',
        'Maintainer: StarlingX Lab Console tests <tests@localhost>',
        'Description: StarlingX Lab Console test package',
        ' Installed and removed by the package-manager integration test.',
        '',
      ].join('\n'),
    );
    deb = join(dir, `${PKG}_1.0-1_all.deb`);
    const built = spawnSync('dpkg-deb', ['--build', '--root-owner-group', root, deb], {
      encoding: 'utf8',
    });
    expect(built.status, built.stderr).toBe(0);
  });

  afterAll(() => {
    purge();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('installs a .deb file, streaming dpkg output as progress', async () => {
    const events: PackageProgress[] = [];
    const r = await pm.install(LOCAL, { files: [deb] }, { onProgress: (e) => events.push(e) });
    expect(r.exitCode).toBe(0);
    expect(events[0]).toMatchObject({ phase: 'start', argv: ['dpkg', '--install', deb] });
    expect(events.at(-1)?.phase).toBe('done');
    expect(events.some((e) => e.line === `Setting up ${PKG} (1.0-1) ...`)).toBe(true);
  });

  it('queries it and finds it in the installed list', async () => {
    const own = spawnSync('dpkg-query', ['-W', '-f=${Version} ${Architecture}', PKG], {
      encoding: 'utf8',
    }).stdout;
    expect(own).toBe('1.0-1 all');
    expect(await pm.query(LOCAL, PKG)).toEqual({
      name: PKG,
      version: '1.0',
      release: '1',
      arch: 'all',
      status: 'ii ',
      installed: true,
    });
    const all = await pm.listInstalled(LOCAL);
    expect(all.find((p) => p.name === PKG)).toBeDefined();
    expect(all.find((p) => p.name === 'dpkg')?.installed).toBe(true);
  });

  it('verifies it clean, then sees a changed file, then a missing one', async () => {
    expect(await pm.verify(LOCAL, PKG)).toMatchObject({ ok: true, issues: [] });
    writeFileSync(FILE, 'tampered\n');
    const changed = await pm.verify(LOCAL, PKG);
    expect(changed.ok).toBe(false);
    expect(changed.issues).toEqual([
      expect.objectContaining({ path: FILE, problem: 'changed', changed: ['digest'] }),
    ]);
    unlinkSync(FILE);
    const missing = await pm.verify(LOCAL, PKG);
    expect(missing.issues).toEqual([expect.objectContaining({ path: FILE, problem: 'missing' })]);
  });

  it('removes it; removing again gives dpkg’s own message as not_found', async () => {
    await pm.remove(LOCAL, [PKG]);
    const after = await pm.query(LOCAL, PKG);
    expect(after === null || !after.installed).toBe(true);
    await expect(pm.remove(LOCAL, [PKG])).rejects.toMatchObject({
      code: 'not_found',
      message: `dpkg --remove ${PKG}: dpkg: warning: ignoring request to remove ${PKG} which isn't installed`,
    });
  });

  it('query of an unknown package is null; apt-cache search and policy read the local lists', async () => {
    expect(await pm.query(LOCAL, 'no-such-package-stx')).toBeNull();
    const found = await pm.search(LOCAL, 'coreutils');
    expect(found).toContainEqual({ name: 'coreutils', summary: 'GNU core utilities' });
    const own = spawnSync('dpkg-query', ['-W', '-f=${Version}', 'coreutils'], {
      encoding: 'utf8',
    }).stdout;
    expect((await pm.candidate(LOCAL, 'coreutils'))?.installed).toBe(own);
    expect(await pm.candidate(LOCAL, 'no-such-package-stx')).toBeNull();
  }, 60_000);

  it('lists available updates from the local lists (apt-get -s, no lock taken)', async () => {
    const updates = await pm.updates(LOCAL);
    for (const u of updates) expect(u.from && u.to && u.name).toBeTruthy();
  }, 60_000);

  it('apt-get install of an unknown name gives apt’s reason', async () => {
    const err = (await pm
      .install(LOCAL, { names: ['no-such-package-stx'] })
      .catch((e: unknown) => e)) as AppError;
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('not_found');
    expect(err.message).toContain('E: Unable to locate package no-such-package-stx');
  }, 60_000);
});

describe.skipIf(!canRun || !requirements({ commands: ['python3'] }))(
  'a locked dpkg database',
  () => {
    let dir: string;
    let holder: ChildProcess | undefined;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'stx-dpkg-admin-'));
      mkdirSync(join(dir, 'updates'));
      mkdirSync(join(dir, 'info'));
      writeFileSync(join(dir, 'status'), '');
      // dpkg locks with fcntl(F_SETLK); flock(1) would not conflict with it, Python's lockf does.
      holder = spawn('python3', [
        '-c',
        'import fcntl,sys; f=open(sys.argv[1],"a"); fcntl.lockf(f, fcntl.LOCK_EX); print("locked", flush=True); sys.stdin.read()',
        join(dir, 'lock-frontend'),
      ]);
      await new Promise<void>((resolve, reject) => {
        holder!.stdout!.once('data', () => resolve());
        holder!.once('exit', (code) => reject(new Error(`lock holder exited (${code})`)));
      });
    });

    afterAll(() => {
      holder?.stdin?.end();
      holder?.kill();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('gives a clear "locked" error with dpkg’s message', async () => {
      const pm = new AptDpkgPackageManager(new LocalExecutor(), { admindir: dir });
      const err = (await pm.remove(LOCAL, ['anything']).catch((e: unknown) => e)) as AppError;
      expect(err).toBeInstanceOf(AppError);
      expect(err.code).toBe('unavailable');
      expect(err.details?.reason).toBe('locked');
      expect(err.message).toMatch(
        /^dpkg --remove anything: the package database is locked by another process: dpkg: error: dpkg frontend lock was locked by another process with pid \d+/,
      );
      expect(err.message).not.toMatch(/\bat \S+ \(/);
    });
  },
);
