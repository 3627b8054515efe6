import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeVerifyFlags, parseVerifyOutput } from './parse-verify';

// Recorded by the integration tests on this machine: rpm 4.18 -V and dpkg 1.21 --verify after
// changing / deleting an installed file.
const data = (...p: string[]): string =>
  readFileSync(join(import.meta.dirname, 'testdata', ...p), 'utf8');

describe('parseVerifyOutput', () => {
  it('reads rpm -V for a changed file (size and digest)', () => {
    expect(parseVerifyOutput(data('rpm418', 'rpm-V-changed.txt'))).toEqual([
      {
        path: '/tmp/rpmx/inst/hello.txt',
        problem: 'changed',
        flags: 'S.5......',
        changed: ['size', 'digest'],
        attr: '',
      },
    ]);
  });

  it('reads rpm -V for a missing file', () => {
    expect(parseVerifyOutput(data('rpm418', 'rpm-V-missing.txt'))).toEqual([
      { path: '/tmp/rpmx/inst/hello.txt', problem: 'missing', flags: '', changed: [], attr: '' },
    ]);
  });

  it('reads dpkg --verify (unchecked attributes as ?)', () => {
    const [issue] = parseVerifyOutput(data('debian12', 'dpkg-verify-changed.txt'));
    expect(issue).toMatchObject({
      problem: 'changed',
      changed: ['digest'],
      path: '/usr/share/stx-lab-test/hello.txt',
    });
  });

  it('reads the config-file marker', () => {
    expect(decodeVerifyFlags('S.5....T.')).toEqual(['size', 'digest', 'mtime']);
    expect(parseVerifyOutput('S.5....T.  c /etc/ssh/sshd_config\n')[0]).toMatchObject({
      attr: 'c',
      path: '/etc/ssh/sshd_config',
    });
  });
});
