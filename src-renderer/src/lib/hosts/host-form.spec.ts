import type { Host } from '@shared/models/hosts';
import { describe, expect, it } from 'vitest';

import {
  emptyForm,
  formFromHost,
  formGroups,
  formToInput,
  splitErrors,
  splitNames,
} from './host-form';

const host: Host = {
  id: 7,
  name: 'storage-0',
  address: '10.0.0.20',
  port: 2222,
  user: null,
  roles: ['storage'],
  groups: ['lab-a'],
  bmc: { type: 'ipmi', address: '10.0.1.20', user: 'admin' },
  auth: { kind: 'password' },
  hasPassword: true,
  notes: 'keep me',
  jump: ['bastion', 'ops@gw:2222'],
  connection: 'ssh',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

describe('host form', () => {
  it('starts with port 22 and the SSH agent', () => {
    expect(emptyForm()).toMatchObject({ port: '22', auth: 'agent', bmcType: '', roles: [] });
  });

  it('round-trips a host, keeping its notes and not sending a password it does not know', () => {
    const input = formToInput(formFromHost(host));
    expect(input).toEqual({
      id: 7,
      name: 'storage-0',
      address: '10.0.0.20',
      port: 2222,
      user: '',
      roles: ['storage'],
      groups: ['lab-a'],
      bmc: { type: 'ipmi', address: '10.0.1.20', user: 'admin' },
      auth: { kind: 'password' },
      notes: 'keep me',
      jump: ['bastion', 'ops@gw:2222'],
      connection: 'ssh',
    });
  });

  it('sends jump hosts split on commas, and none for the local machine', () => {
    const form = { ...emptyForm(), jump: ' bastion ,, root@10.0.0.1:22 ' };
    expect(formToInput(form).jump).toEqual(['bastion', 'root@10.0.0.1:22']);
    expect(formToInput({ ...form, connection: 'local' }).jump).toEqual([]);
  });

  it('sends a typed password only with the password sign-in', () => {
    const form = { ...emptyForm(), auth: 'password' as const, password: 'pw' };
    expect(formToInput(form).password).toBe('pw');
    expect(formToInput({ ...form, auth: 'agent' }).password).toBeUndefined();
  });

  it('sends the key path with the key sign-in, and no BMC when none is chosen', () => {
    const input = formToInput({
      ...emptyForm(),
      auth: 'key',
      keyPath: '~/.ssh/id',
      bmcAddress: 'x',
    });
    expect(input.auth).toEqual({ kind: 'key', keyPath: '~/.ssh/id' });
    expect(input.bmc).toBeNull();
  });

  it('sends a port that is not a number as typed, so the server can say what is wrong', () => {
    expect(formToInput({ ...emptyForm(), port: '70000' }).port).toBe(70000);
    expect(formToInput({ ...emptyForm(), port: 'ssh' }).port).toBe('ssh');
    expect(formToInput({ ...emptyForm(), port: ' ' }).port).toBeUndefined();
  });

  it('splits new group names on commas and merges them with the ticked ones', () => {
    expect(splitNames(' rack-1, ,rack 2\nlab ')).toEqual(['rack-1', 'rack 2', 'lab']);
    const form = { ...emptyForm(), groups: ['lab-a'], newGroups: 'LAB-A, rack-2, rack-2' };
    expect(formGroups(form)).toEqual(['lab-a', 'rack-2']);
  });
});

describe('splitErrors', () => {
  it('puts errors at their fields and the rest on the general line', () => {
    const form = { ...emptyForm(), bmcType: 'redfish' as const, newGroups: 'ok, bad!' };
    const split = splitErrors(
      {
        address: 'not an address',
        'bmc.address': 'required',
        'roles.0': 'one of …',
        'groups.1': 'use letters',
        '': 'whole input',
        weird: 'odd',
      },
      form,
    );
    expect(split.fields).toEqual({
      address: 'not an address',
      'bmc.address': 'required',
      roles: 'one of …',
      groups: '"bad!": use letters',
    });
    expect(split.general).toEqual(['whole input', 'weird: odd']);
  });

  it('sends errors of fields the form does not show to the general line', () => {
    const split = splitErrors({ 'bmc.address': 'required', password: 'empty' }, emptyForm());
    expect(split.fields).toEqual({});
    expect(split.general).toEqual(['bmc.address: required', 'password: empty']);
  });

  it('names the jump hop an error is about, and hides SSH fields of the local machine', () => {
    const form = { ...emptyForm(), jump: 'ok, bad host' };
    expect(splitErrors({ 'jump.1': 'a jump host is [user@]host[:port]' }, form).fields).toEqual({
      jump: '"bad host": a jump host is [user@]host[:port]',
    });
    const local = { ...emptyForm(), connection: 'local' as const };
    expect(splitErrors({ address: 'bad', name: 'taken' }, local)).toEqual({
      fields: { name: 'taken' },
      general: ['address: bad'],
    });
  });
});
