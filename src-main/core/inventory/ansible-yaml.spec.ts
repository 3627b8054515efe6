import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { loadAnsibleIni } from './ansible-ini';
import { loadAnsibleYaml, loadInventoryFile, parseAnsibleYaml } from './ansible-yaml';

const data = (...p: string[]) => join(import.meta.dirname, 'testdata', ...p);

describe('the StarlingX lab in YAML', () => {
  const yaml = loadAnsibleYaml(data('lab.yml'));

  it('gives the same hosts as the INI version', () => {
    const ini = loadAnsibleIni(data('lab.ini'));
    const strip = (hosts: typeof yaml.hosts) =>
      hosts
        .map(({ source: _s, vars: _v, ...rest }) => rest)
        .sort((a, b) => a.name.localeCompare(b.name));
    expect(strip(yaml.hosts)).toEqual(strip(ini.hosts));
  });

  it('keeps positions of hosts and stringifies list vars', () => {
    const c0 = yaml.hosts.find((h) => h.name === 'controller-0')!;
    expect(c0.source).toEqual({ file: data('lab.yml'), line: 19 });
    expect(c0.vars.stx_roles).toBe('["controller"]');
    expect(c0.groups).toEqual(['controllers', 'lab']);
    const w = yaml.hosts.find((h) => h.name === 'compute-c.lab.example')!;
    expect(w).toMatchObject({ port: 2222, roles: ['worker'] });
  });

  it('sniffs the format by extension or content', () => {
    expect(loadInventoryFile(data('lab.yml')).hosts).toHaveLength(14);
    expect(loadInventoryFile(data('lab.ini')).hosts).toHaveLength(14);
  });
});

describe('hostile YAML values stay data', () => {
  it('keeps newlines, ; $() and quotes', () => {
    const inv = loadAnsibleYaml(data('hostile.yml'));
    expect(inv.hosts[0]).toMatchObject({
      name: 'multi\nline; $(id)',
      address: 'a;b`c`',
      user: `x'y"z`,
      roles: ['worker'],
    });
  });
});

describe('what Ansible skips is a positioned warning', () => {
  it('unexpected keys and non-mapping groups', () => {
    const inv = parseAnsibleYaml('lab:\n  hosts:\n    a:\n  colour: blue\nodd: 5\n', 'mem.yml');
    expect(inv.hosts.map((h) => h.name)).toEqual(['a']);
    expect(inv.warnings.map((w) => [w.line, w.column])).toEqual([
      [4, 3],
      [5, 1],
    ]);
  });
  it('a string for hosts/children is a one-entry mapping; null groups are fine', () => {
    const inv = parseAnsibleYaml('lab:\n  hosts: solo\n  children:\n    empty:\n', 'mem.yml');
    expect(inv.hosts.map((h) => h.name)).toEqual(['solo']);
    expect(inv.groups.find((g) => g.name === 'lab')?.children).toEqual(['empty']);
  });
});

describe('broken YAML files: file, line, column', () => {
  const cases: [string, number, number, RegExp][] = [
    ['bad-indent.yml', 4, 1, /YAML: /],
    ['bad-hosts.yml', 2, 10, /invalid "hosts" entry for group "lab": expected a mapping/],
    ['bad-bmc.yml', 5, 7, /bmc_type "serial" is not redfish or ipmi/],
    ['bad-hostvars.yml', 3, 12, /host vars of "node1" must be a mapping/],
  ];
  for (const [name, line, column, re] of cases) {
    it(name, () => {
      const file = data('broken', name);
      let err: unknown;
      try {
        loadAnsibleYaml(file);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AppError);
      const e = err as AppError;
      expect(e.message).toMatch(re);
      expect(e.message.startsWith(`${file}:${line}:${column}: `)).toBe(true);
      expect(e.details).toMatchObject({ file, line, column });
    });
  }
  it('empty and non-mapping documents', () => {
    expect(() => parseAnsibleYaml('', 'e.yml')).toThrow(/e.yml:1:1: the YAML inventory is empty/);
    expect(() => parseAnsibleYaml('- a\n- b\n', 's.yml')).toThrow(
      /s.yml:1:1: a YAML inventory must be a mapping/,
    );
  });
});
