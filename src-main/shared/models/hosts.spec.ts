import { describe, expect, it } from 'vitest';

import { HostInputSchema, isAddress } from './hosts';

describe('isAddress', () => {
  it.each([
    '10.0.0.1',
    'controller-0',
    'node01.lab.example.org',
    '::1',
    'fe80::1%eth0',
    '[2001:db8::5]',
  ])('accepts %s', (a) => expect(isAddress(a)).toBe(true));
  it.each(['256.1.1.1', '10.0.0', 'has space', '-leading.dash', 'under_score.example', 'a..b', ''])(
    'refuses %s',
    (a) => expect(isAddress(a)).toBe(false),
  );
});

describe('HostInputSchema', () => {
  it('fills defaults and trims', () => {
    expect(HostInputSchema.parse({ name: ' n1 ', address: ' 10.0.0.1 ' })).toEqual({
      name: 'n1',
      address: '10.0.0.1',
      port: 22,
      user: null,
      roles: [],
      groups: [],
      bmc: null,
      auth: { kind: 'agent' },
      jump: [],
      connection: 'ssh',
      notes: '',
    });
  });
  it('names each bad field by its path', () => {
    const r = HostInputSchema.safeParse({
      name: 'bad name',
      address: 'ok',
      port: 0,
      roles: ['controller', 'chef'],
      bmc: { type: 'redfish', address: 'no way' },
      auth: { kind: 'key', keyPath: '' },
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'auth.keyPath',
      'bmc.address',
      'name',
      'port',
      'roles.1',
    ]);
  });
});
