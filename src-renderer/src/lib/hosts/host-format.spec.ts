import type { Host } from '@shared/models/hosts';
import { describe, expect, it } from 'vitest';

import { baseName, displayAddress, filterHosts, signIn } from './host-format';

function host(name: string, extra: Partial<Host> = {}): Host {
  return {
    id: name.length,
    name,
    address: '10.0.0.1',
    port: 22,
    user: null,
    roles: [],
    groups: [],
    bmc: null,
    auth: { kind: 'agent' },
    hasPassword: false,
    notes: '',
    jump: [],
    connection: 'ssh',
    createdAt: '',
    updatedAt: '',
    ...extra,
  };
}

describe('host format', () => {
  it('brackets IPv6 addresses only', () => {
    expect(displayAddress('fd00::1')).toBe('[fd00::1]');
    expect(displayAddress('[fd00::1]')).toBe('[fd00::1]');
    expect(displayAddress('node1.lab')).toBe('node1.lab');
  });

  it('names the key file, and warns about a password sign-in without a password', () => {
    expect(baseName('/home/op/.ssh/id_ed25519')).toBe('id_ed25519');
    expect(baseName('C:\\keys\\lab.pem')).toBe('lab.pem');
    expect(signIn(host('a', { auth: { kind: 'password' } }))).toMatchObject({
      detail: 'not stored',
      warn: true,
    });
    expect(signIn(host('a', { auth: { kind: 'password' }, hasPassword: true })).warn).toBe(false);
  });

  it('filters on every word and on the chosen group', () => {
    const hosts = [
      host('ctl-0', { roles: ['controller'], groups: ['Lab-A'] }),
      host('wrk-0', { roles: ['worker'], groups: ['lab-a'], address: '10.0.0.9' }),
      host('wrk-1', { roles: ['worker'], groups: ['lab-b'] }),
    ];
    expect(filterHosts(hosts, 'worker', '').map((h) => h.name)).toEqual(['wrk-0', 'wrk-1']);
    expect(filterHosts(hosts, 'WORKER 10.0.0.9', '').map((h) => h.name)).toEqual(['wrk-0']);
    expect(filterHosts(hosts, '', 'lab-a').map((h) => h.name)).toEqual(['ctl-0', 'wrk-0']);
  });
});
