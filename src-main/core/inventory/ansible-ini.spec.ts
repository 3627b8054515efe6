import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { literalValue, loadAnsibleIni, parseAnsibleIni, splitHostPort } from './ansible-ini';
import { membersOf } from './patterns';

const data = (...p: string[]) => join(import.meta.dirname, 'testdata', ...p);

describe('the StarlingX lab in INI', () => {
  const inv = loadAnsibleIni(data('lab.ini'));
  const host = (name: string) => inv.hosts.find((h) => h.name === name)!;

  it('expands ranges as Ansible does (padding, letters, step, host:port)', () => {
    expect(inv.hosts.map((h) => h.name)).toEqual([
      'bastion.lab.example',
      'controller-0',
      'controller-1',
      'worker-01',
      'worker-02',
      'worker-03',
      'worker-04',
      'compute-a.lab.example',
      'compute-b.lab.example',
      'compute-c.lab.example',
      'storage-0',
      'storage-2',
      'storage-4',
      'build-1',
    ]);
    expect(host('compute-b.lab.example').port).toBe(2222);
    expect(host('worker-01').port).toBe(22);
  });

  it('builds hosts with inherited vars (child group overrides parent, host overrides group)', () => {
    expect(host('controller-0')).toEqual({
      name: 'controller-0',
      address: '10.10.10.2',
      port: 22,
      user: 'admin',
      roles: ['controller'],
      groups: ['controllers', 'lab'],
      bmc: { type: 'redfish', address: '10.10.20.2', user: 'root' },
      auth: { kind: 'agent' },
      jump: ['jump@203.0.113.10'],
      vars: expect.objectContaining({ ansible_user: 'admin', bmc_type: 'redfish' }) as Record<
        string,
        string
      >,
      source: { file: data('lab.ini'), line: 5 },
    });
    expect(host('controller-1')).toMatchObject({
      roles: ['controller', 'worker'],
      bmc: { type: 'ipmi', address: '10.10.20.3', user: 'root' },
    });
    expect(host('worker-03')).toMatchObject({
      user: 'sysadmin',
      roles: ['worker'],
      groups: ['lab', 'workers'],
      bmc: null,
    });
    expect(host('storage-2')).toMatchObject({
      auth: { kind: 'key', keyPath: '~/.ssh/id_storage' },
      roles: ['storage'],
    });
  });

  it('ungrouped hosts, literal lists and ProxyCommand jumps', () => {
    expect(host('bastion.lab.example')).toMatchObject({
      address: '203.0.113.10',
      user: 'jump',
      groups: ['ungrouped'],
      jump: [],
    });
    expect(host('build-1')).toMatchObject({
      roles: ['build'],
      user: 'builder',
      jump: ['jump@203.0.113.10'],
      groups: ['build'],
    });
  });

  it('groups keep direct children, hosts and vars', () => {
    const g = (n: string) => inv.groups.find((x) => x.name === n)!;
    expect(inv.groups.map((x) => x.name)).toEqual([
      'all',
      'ungrouped',
      'controllers',
      'workers',
      'storage',
      'build',
      'lab',
    ]);
    expect(g('all').children).toEqual([
      'ungrouped',
      'controllers',
      'workers',
      'storage',
      'build',
      'lab',
    ]);
    expect(g('lab')).toMatchObject({ children: ['controllers', 'workers', 'storage'], hosts: [] });
    expect(g('lab').vars).toMatchObject({ ansible_user: 'sysadmin', bmc_user: 'root' });
    expect(g('ungrouped').hosts).toEqual(['bastion.lab.example']);
    expect(membersOf(inv, 'lab')).toHaveLength(12);
  });
});

describe('hostile values stay data', () => {
  it('keeps ; $() quotes and backticks verbatim and never runs a ProxyCommand', () => {
    const inv = loadAnsibleIni(data('hostile.ini'));
    expect(inv.hosts.map((h) => h.name)).toEqual(['host;rm -rf /', '$(touch /tmp/pwned)']);
    expect(inv.hosts[0]).toMatchObject({ address: '$(reboot)', user: 'a"b' });
    expect(inv.hosts[0]!.vars.note).toBe('x`id`y');
    expect(inv.hosts[1]).toMatchObject({ port: 2222, jump: [] });
    expect(inv.warnings).toEqual([
      expect.objectContaining({
        line: 4,
        message: expect.stringMatching(/not an "ssh -W/) as string,
      }),
    ]);
  });
});

describe('broken INI files: file, line, column', () => {
  const cases: [string, number, number, RegExp][] = [
    ['bad-section.ini', 1, 6, /unknown type: bogus/],
    ['bad-var.ini', 2, 9, /expected key=value host variable assignment, got: novalue/],
    ['bad-quote.ini', 2, 7, /no closing quotation/],
    ['undefined-child.ini', 5, 1, /\[lab:children\] includes undefined group: ghost/],
    ['undefined-vars.ini', 1, 1, /\[lab:vars\] is not valid for undefined group: lab/],
    ['bad-range.ini', 2, 7, /begin <= end/],
    ['bad-role.ini', 2, 7, /stx_roles "dancer" is not one of controller, worker, storage, build/],
    ['bad-port.ini', 4, 1, /ansible_port "99999" of host node1 is not a port/],
    ['loop.ini', 4, 1, /makes a loop/],
    ['bad-sshargs.ini', 2, 7, /no closing quotation/],
  ];
  for (const [name, line, column, re] of cases) {
    it(name, () => {
      const file = data('broken', name);
      let err: unknown;
      try {
        loadAnsibleIni(file);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AppError);
      const e = err as AppError;
      expect(e.code).toBe('invalid_input');
      expect(e.message).toMatch(re);
      expect(e.message.startsWith(`${file}:${line}:${column}: `)).toBe(true);
      expect(e.details).toMatchObject({ file, line, column });
    });
  }

  it('a missing file is not_found', () => {
    expect(() => loadAnsibleIni(data('nope.ini'))).toThrow(
      expect.objectContaining({ code: 'not_found' }) as Error,
    );
  });
});

describe('helpers', () => {
  it('literal_eval subset', () => {
    expect(literalValue('22')).toBe(22);
    expect(literalValue("'quoted'")).toBe('quoted');
    expect(literalValue('"a b"')).toBe('a b');
    expect(literalValue("['controller', 'worker']")).toEqual(['controller', 'worker']);
    expect(literalValue('True')).toBe(true);
    expect(literalValue('10.0.0.1')).toBe('10.0.0.1');
    expect(literalValue('$(id)')).toBe('$(id)');
    expect(literalValue("'unterminated")).toBe("'unterminated");
  });
  it('host:port', () => {
    expect(splitHostPort('a.example:2222')).toEqual({ pattern: 'a.example', port: 2222 });
    expect(splitHostPort('node[01:10]:2200')).toEqual({ pattern: 'node[01:10]', port: 2200 });
    expect(splitHostPort('node[01:10]')).toEqual({ pattern: 'node[01:10]' });
    expect(splitHostPort('[fd00::1]:22')).toEqual({ pattern: 'fd00::1', port: 22 });
    expect(splitHostPort('fd00::1')).toEqual({ pattern: 'fd00::1' });
  });
  it('comments, CRLF and inline vars on repeated hosts merge', () => {
    const inv = parseAnsibleIni('[a]\r\nh1 x=1 # trailing comment\r\n[b]\r\nh1 y=2\r\n', 'mem.ini');
    expect(inv.hosts).toHaveLength(1);
    expect(inv.hosts[0]).toMatchObject({ groups: ['a', 'b'], vars: { x: '1', y: '2' } });
  });
});
