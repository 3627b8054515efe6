// SM (StarlingX) and SysV managers on recorded outputs: the argv they send (sudo -n for a user
// that is not root), the states they read, SM refusing to start/stop what SM owns.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import type { SshTarget } from '../../ssh/types';
import { SmManager } from './sm';
import { SysvManager } from './sysv';
import { scripted } from '../../../test-support/scripted-executor';

const rec = (f: string): string =>
  readFileSync(join(import.meta.dirname, '../testdata', f), 'utf8');
const target: SshTarget = {
  name: 'controller-0',
  host: '10.10.10.3',
  port: 22,
  user: 'sysadmin',
  auth: { kind: 'agent' },
  jump: [],
};

describe('sm (StarlingX, read-only)', () => {
  it('reads sm-dump through sudo -n and maps SM states', async () => {
    const ex = scripted({ 'sudo -n -- sm-dump': { stdout: rec('sm-dump.txt') } });
    const sm = new SmManager({ executor: ex, sudo: true });
    const st = await sm.status(target, ['sysinv-inv', 'hw-mon', 'vim-api', 'no-such']);
    expect(st.map((s) => s.status)).toEqual(['active', 'failed', 'inactive', 'not-found']);
    expect(st[2]!.detail).toBe('enabled-standby; desired enabled-standby');
    expect(st[3]!.error).toBe('SM has no service no-such on controller-0');
    expect(ex.calls).toHaveLength(1);
  });
  it('says so when SM is not running', async () => {
    const ex = scripted({ 'sm-dump': { stdout: '/var/run/sm/sm.db not available.\n' } });
    const st = await new SmManager({ executor: ex, sudo: false }).status(target, ['keystone']);
    expect(st[0]!.status).toBe('unknown');
    expect(st[0]!.error).toMatch(/SM is not running/);
  });
  it('refuses to start or stop an SM service, with what to do instead', async () => {
    const r = await new SmManager({ executor: scripted({}), sudo: false }).action(
      target,
      'sysinv-inv',
      'restart',
    );
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/managed by SM.*sm-restart-safe service sysinv-inv/);
  });
  it('reports a sudo that wants a password clearly', async () => {
    const ex = scripted({
      'sudo -n -- sm-dump': { exitCode: 1, stderr: 'sudo: a password is required\n' },
    });
    const st = await new SmManager({ executor: ex, sudo: true }).status(target, ['keystone']);
    expect(st[0]!.error).toMatch(/sudo needs a password on this host/);
  });
});

describe('SysV service', () => {
  it('uses LSB exit codes, rc links for enablement, and spots unknown scripts', async () => {
    const ex = scripted({
      'ls -1 /etc/rc2.d /etc/rc3.d /etc/rc5.d': {
        stdout: '/etc/rc2.d:\nS01sysinv-api\nK01hwmon\n',
      },
      'service sysinv-api status': { stdout: 'sysinv-api is running (pid 4242)\n' },
      'service hwmon status': { exitCode: 3, stdout: 'hwmon is not running\n' },
      'service ghost status': { exitCode: 1, stderr: 'ghost: unrecognized service\n' },
    });
    const st = await new SysvManager({ executor: ex, sudo: false }).status(target, [
      'sysinv-api.service',
      'hwmon',
      'ghost',
    ]);
    expect(st.map((s) => [s.unit, s.status, s.enabled])).toEqual([
      ['sysinv-api', 'active', true],
      ['hwmon', 'inactive', false],
      ['ghost', 'not-found', null],
    ]);
    expect(st[0]!.pid).toBe(4242);
  });
});
