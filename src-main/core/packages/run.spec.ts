import { describe, expect, it } from 'vitest';
import { commandError } from './run';

// Messages recorded on the Debian 12 machine (dpkg 1.21, apt 2.6, rpm 4.18).
function result(stderr: string, exitCode = 1, stdout = '') {
  return { argv: ['x'], exitCode, signal: null, stdout, stderr, durationMs: 1, truncated: false };
}

describe('commandError', () => {
  it('a locked dpkg database: unavailable / locked, with dpkg words', () => {
    const e = commandError(
      result(
        'dpkg: error: dpkg frontend lock was locked by another process with pid 19070\nNote: removing the lock file is always wrong, can damage the locked area\nand the entire system. See <https://wiki.debian.org/Teams/Dpkg/FAQ#db-lock>.\n',
        2,
      ),
      'dpkg --remove foo',
    );
    expect(e.code).toBe('unavailable');
    expect(e.details?.reason).toBe('locked');
    expect(e.message).toContain('dpkg frontend lock was locked by another process with pid 19070');
  });

  it('apt: no such package → not_found', () => {
    const e = commandError(
      result('E: Unable to locate package nosuch\n', 100, 'Reading package lists...\n'),
      'apt-get install nosuch',
    );
    expect(e.code).toBe('not_found');
    expect(e.message).toBe(
      'apt-get install nosuch: no such package: E: Unable to locate package nosuch',
    );
  });

  it('rpm: not installed → not_found, Debian rpm banner left out', () => {
    const e = commandError(
      result(
        'rpm: RPM should not be used directly install RPM packages, use Alien instead!\nrpm: However assuming you know what you are doing...\nerror: package nosuch is not installed\n',
      ),
      'rpm -e nosuch',
    );
    expect(e.code).toBe('not_found');
    expect(e.message).toBe(
      'rpm -e nosuch: no such package: error: package nosuch is not installed',
    );
  });

  it('anything else keeps the tool message, never a stack', () => {
    const e = commandError(result('dpkg: error: something new\n', 2), 'dpkg --x');
    expect(e.code).toBe('unavailable');
    expect(e.message).toBe('dpkg --x failed: dpkg: error: something new');
    expect(e.details?.reason).toBe('failed');
  });
});
