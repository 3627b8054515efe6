// OS detection of this machine through the real LocalExecutor, checked against facts the test
// reads itself (not through the code under test).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalExecutor } from '../ssh/local-exec';
import type { SshTarget } from '../ssh/types';
import { detectOs } from './detect';
import { loadProfiles, matchProfile } from './profiles';

const LOCAL: SshTarget = {
  name: 'localhost',
  host: 'localhost',
  port: 22,
  user: '',
  auth: { kind: 'agent' },
  jump: [],
  local: true,
};
const osRelease = existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '';
const field = (key: string): string | undefined =>
  new RegExp(`^${key}="?([^"\\n]*)"?$`, 'm').exec(osRelease)?.[1];
const isDebian12 = field('ID') === 'debian' && field('VERSION_ID') === '12';

describe.skipIf(process.platform !== 'linux')('detectOs on this machine', () => {
  it('reads os-release, kernel, arch, python and tools as the machine reports them', async () => {
    const facts = await detectOs(new LocalExecutor(), LOCAL);
    expect(facts.osRelease.ID).toBe(field('ID'));
    expect(facts.osRelease.VERSION_ID).toBe(field('VERSION_ID'));
    expect(facts.osRelease.PRETTY_NAME).toBe(field('PRETTY_NAME'));
    expect(facts.buildInfo).toBe(existsSync('/etc/build.info') ? expect.any(Object) : null);
    const uname = spawnSync('uname', ['-srm'], { encoding: 'utf8' }).stdout.trim().split(' ');
    expect([facts.kernel.name, facts.kernel.release, facts.arch]).toEqual(uname);
    expect(facts.init.pid1).toBe(readFileSync('/proc/1/comm', 'utf8').trim());
    for (const py of ['python3', 'python2'] as const) {
      const own = spawnSync(py, ['--version'], { encoding: 'utf8' });
      const version = /^Python (\S+)/m.exec(`${own.stdout}${own.stderr}`)?.[1];
      expect(facts.python[py].present, py).toBe(own.status === 0 && version !== undefined);
      if (facts.python[py].present) expect(facts.python[py].version).toBe(version);
    }
    expect(facts.tools.dpkg).toBe(
      spawnSync('sh', ['-c', 'command -v dpkg'], { encoding: 'utf8' }).stdout.trim() || undefined,
    );
  });

  it.runIf(isDebian12)('matches the debian-12 profile', async () => {
    const facts = await detectOs(new LocalExecutor(), LOCAL);
    const profiles = loadProfiles(join(import.meta.dirname, '../../../resources/os-profiles'));
    const m = matchProfile(facts, profiles);
    expect(m?.profile.id).toBe('debian-12');
    expect(m?.fallback).toBe(false);
    expect(m?.profile.packages).toMatchObject({ format: 'deb', manager: 'apt' });
  });
});
