import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAnsibleIni } from './ansible-ini';
import { expandHostRanges, previewPattern, resolvePattern } from './patterns';

const inv = loadAnsibleIni(join(import.meta.dirname, 'testdata', 'lab.ini'));
const hosts = (p: string) => resolvePattern(p, inv).hosts;

describe('expandHostRanges', () => {
  it('expands like Ansible, keeping zero padding', () => {
    expect(expandHostRanges('node[01:03]')).toEqual(['node01', 'node02', 'node03']);
    expect(expandHostRanges('n[0:10:5]')).toEqual(['n0', 'n5', 'n10']);
    expect(expandHostRanges('[a:c]x')).toEqual(['ax', 'bx', 'cx']);
    expect(expandHostRanges('r[1:2]n[1:2]')).toEqual(['r1n1', 'r1n2', 'r2n1', 'r2n2']);
    expect(expandHostRanges('n[:2]')).toEqual(['n0', 'n1', 'n2']);
    expect(expandHostRanges('node[01-16]', { dash: true })).toHaveLength(16);
    expect(() => expandHostRanges('n[1-3]')).toThrow(/not a range/);
    expect(() => expandHostRanges('n[01:100]')).toThrow(/equal-length/);
    expect(() => expandHostRanges('n[1:]')).toThrow(/end value/);
    expect(() => expandHostRanges('n[1:2')).toThrow(/unclosed/);
  });
});

describe('resolvePattern', () => {
  it('all, *, names, globs, ranges', () => {
    expect(hosts('all')).toHaveLength(14);
    expect(hosts('*')).toHaveLength(14);
    expect(hosts('controller-1')).toEqual(['controller-1']);
    expect(hosts('worker-0*')).toEqual(['worker-01', 'worker-02', 'worker-03', 'worker-04']);
    expect(hosts('worker-[02-03]')).toEqual(['worker-02', 'worker-03']);
    expect(hosts('worker-[1:2]')).toEqual([]);
    expect(hosts('storage-[0:4]')).toEqual(['storage-0', 'storage-2', 'storage-4']);
  });

  it('@group and bare group names, unions in inventory order', () => {
    expect(hosts('@controllers')).toEqual(['controller-0', 'controller-1']);
    expect(hosts('storage,controllers')).toEqual([
      'controller-0',
      'controller-1',
      'storage-0',
      'storage-2',
      'storage-4',
    ]);
    expect(hosts('build:@controllers')).toEqual(['controller-0', 'controller-1', 'build-1']);
    expect(hosts('ungrouped')).toEqual(['bastion.lab.example']);
  });

  it('& intersection and ! exclusion, Ansible order (unions first)', () => {
    expect(hosts('@lab&@controllers')).toEqual(['controller-0', 'controller-1']);
    expect(hosts('@lab,!@workers,!storage-2')).toEqual([
      'controller-0',
      'controller-1',
      'storage-0',
      'storage-4',
    ]);
    expect(hosts('!@lab,@build')).toEqual(['build-1']);
    expect(hosts('!@lab')).toEqual(['bastion.lab.example', 'build-1']);
    expect(hosts('@lab & controller* & !controller-0')).toEqual(['controller-1']);
    expect(hosts('@lab ! @workers ! storage-*')).toEqual(['controller-0', 'controller-1']);
    expect(hosts('~^(build|bastion)')).toEqual(['bastion.lab.example', 'build-1']);
  });

  it('~regex', () => {
    expect(hosts('~^compute-[ab]\\.')).toEqual(['compute-a.lab.example', 'compute-b.lab.example']);
    expect(resolvePattern('~(', inv).error).toMatchObject({ column: 1 });
  });

  it('reports unknown names without failing', () => {
    const r = resolvePattern('controller-0,ghost,@nogroup', inv);
    expect(r).toEqual({ hosts: ['controller-0'], unknown: ['ghost', '@nogroup'] });
  });

  it('syntax errors carry a column', () => {
    expect(resolvePattern('', inv).error).toEqual({ message: 'the pattern is empty', column: 1 });
    expect(resolvePattern('a,,b', inv).error?.column).toBe(3);
    expect(resolvePattern('@lab,node[5:1]', inv).error).toMatchObject({
      column: 10,
      message: expect.stringMatching(/begin <= end/) as string,
    });
    expect(resolvePattern('@lab,  &', inv).error?.column).toBe(8);
  });

  it('hostile input is only matched, never evaluated', () => {
    expect(resolvePattern('$(reboot);rm', inv)).toEqual({ hosts: [], unknown: ['$(reboot);rm'] });
  });

  it('previewPattern gives count and a sample', () => {
    const p = previewPattern('all', inv, 3);
    expect(p.count).toBe(14);
    expect(p.sample).toEqual(['bastion.lab.example', 'controller-0', 'controller-1']);
  });
});
