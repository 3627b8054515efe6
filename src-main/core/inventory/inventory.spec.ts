import { describe, expect, it } from 'vitest';
import { parseAnsibleIni } from './ansible-ini';
import { InventoryBuilder, posError, varToString } from './inventory';
import { membersOf } from './patterns';

describe('variable precedence (as Ansible merges group vars)', () => {
  it('all < parent < child < host; same-depth siblings by priority then name', () => {
    const inv = parseAnsibleIni(
      [
        '[all:vars]',
        'v_all=all',
        'v_depth=all',
        '[parent:children]',
        'alpha',
        'beta',
        '[parent:vars]',
        'v_depth=parent',
        '[alpha]',
        'h1',
        '[beta]',
        'h1 v_host=host',
        '[alpha:vars]',
        'v_depth=alpha',
        'v_sib=alpha',
        '[beta:vars]',
        'v_sib=beta',
        'v_host=beta',
      ].join('\n'),
      'p.ini',
    );
    expect(inv.hosts[0]!.vars).toEqual({
      v_all: 'all',
      v_depth: 'alpha',
      v_sib: 'beta',
      v_host: 'host',
    });
    expect(inv.hosts[0]!.groups).toEqual(['alpha', 'beta', 'parent']);
  });

  it('ansible_group_priority reorders siblings', () => {
    const inv = parseAnsibleIni(
      '[a]\nh\n[b]\nh\n[a:vars]\nx=a\nansible_group_priority=10\n[b:vars]\nx=b\n',
      'p.ini',
    );
    expect(inv.hosts[0]!.vars.x).toBe('a');
  });

  it('a deeper group wins even when declared first', () => {
    const inv = parseAnsibleIni(
      '[leaf:vars]\nx=leaf\n[leaf]\nh\n[mid:children]\nleaf\n[mid:vars]\nx=mid\n',
      'p.ini',
    );
    expect(inv.hosts[0]!.vars.x).toBe('leaf');
  });
});

describe('InventoryBuilder', () => {
  it('membersOf follows children and keeps inventory order', () => {
    const b = new InventoryBuilder('mem');
    const at = { file: 'mem', line: 1, column: 1 };
    b.addHost('g2', 'z', at);
    b.addHost('g1', 'a', at);
    b.addChild('top', 'g1', at);
    b.addChild('top', 'g2', at);
    const inv = b.build();
    expect(membersOf(inv, 'top')).toEqual(['z', 'a']);
    expect(membersOf(inv, 'all')).toEqual(['z', 'a']);
    expect(membersOf(inv, 'nope')).toEqual([]);
  });

  it('jump from ansible_ssh_common_args on a group reaches every host', () => {
    const inv = parseAnsibleIni(
      '[lab]\nn1\nn2\n[lab:vars]\nansible_ssh_common_args=-J ops@bastion:2222,inner\n',
      'j.ini',
    );
    expect(inv.hosts.map((h) => h.jump)).toEqual([
      ['ops@bastion:2222', 'inner'],
      ['ops@bastion:2222', 'inner'],
    ]);
  });

  it('bmc without type warns and assumes redfish; roles deduplicate', () => {
    const inv = parseAnsibleIni(
      '[lab]\nn1 bmc_address=10.0.0.5 stx_roles=worker,worker,storage\n',
      'b.ini',
    );
    expect(inv.hosts[0]).toMatchObject({
      bmc: { type: 'redfish', address: '10.0.0.5', user: null },
      roles: ['worker', 'storage'],
    });
    expect(inv.warnings[0]).toMatchObject({
      file: 'b.ini',
      line: 2,
      message: expect.stringMatching(/assuming redfish/) as string,
    });
  });

  it('posError and varToString', () => {
    const e = posError({ file: 'f', line: 3, column: 9 }, 'bad');
    expect(e.message).toBe('f:3:9: bad');
    expect(e.details).toMatchObject({ file: 'f', line: 3, column: 9 });
    expect(varToString(['a', 1])).toBe('["a",1]');
    expect(varToString(null)).toBe('');
    expect(varToString(false)).toBe('false');
  });
});
