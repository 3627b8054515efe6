import { describe, expect, it } from 'vitest';

import type { FanoutResult, HostResult } from './fanout';
import { groupOutputs, normalizeOutput } from './grouping';
import { formatUnified } from './line-diff';

function host(name: string, over: Partial<HostResult> = {}): HostResult {
  return {
    host: name,
    state: 'ok',
    exitCode: 0,
    signal: null,
    stdout: '',
    stderr: '',
    durationMs: 1,
    truncated: false,
    error: null,
    errorKind: null,
    ...over,
  };
}

const result = (...hosts: HostResult[]): FanoutResult => ({
  hosts,
  durationMs: 1,
  cancelled: false,
});

describe('groupOutputs', () => {
  it('puts identical outputs in one majority group', () => {
    const g = groupOutputs(result(host('a', { stdout: 'x\n' }), host('b', { stdout: 'x\n' })));
    expect(g.groups).toHaveLength(1);
    expect(g.groups[0]).toMatchObject({
      hosts: ['a', 'b'],
      isMajority: true,
      diff: null,
      stdout: 'x\n',
    });
    expect(g).toMatchObject({ majority: 0, tied: false, hostGroup: { a: 0, b: 0 }, ungrouped: [] });
  });

  it('sorts groups by size and diffs each odd group against the majority', () => {
    const v1 = 'kernel 6.1\npython3 3.11\npuppet 7\n';
    const v2 = 'kernel 6.1\npython3 3.9\npuppet 7\n';
    const g = groupOutputs(
      result(
        host('n1', { stdout: v2 }),
        host('n2', { stdout: v1 }),
        host('n3', { stdout: v1 }),
        host('n4', { stdout: v1, stderr: 'warning\n' }),
        host('n5', { stdout: v1 }),
      ),
    );
    expect(g.groups.map((x) => x.hosts)).toEqual([['n2', 'n3', 'n5'], ['n1'], ['n4']]);
    expect(g.majority).toBe(0);
    const odd = g.groups[1]!.diff!;
    expect(formatUnified(odd.stdout, 'majority', 'n1')).toBe(
      '--- majority\n+++ n1\n@@ -1,3 +1,3 @@\n kernel 6.1\n-python3 3.11\n+python3 3.9\n puppet 7\n',
    );
    expect(odd.stderr).toBeNull();
    const n4 = g.groups[2]!.diff!;
    expect(n4.stdout.identical).toBe(true);
    expect(n4.stderr?.added).toBe(1);
  });

  it('keys on the exit code too, and picks the healthy majority as the reference', () => {
    const g = groupOutputs(
      result(
        host('a', { state: 'failed', exitCode: 1 }),
        host('b', { state: 'failed', exitCode: 1 }),
        host('c', { state: 'failed', exitCode: 1 }),
        host('d', { stdout: 'found\n' }),
        host('e', { stdout: 'found\n' }),
        host('f', { state: 'failed', exitCode: null, signal: 'SIGKILL' }),
      ),
    );
    expect(g.groups.map((x) => [x.hosts.join(), x.exitCode, x.isMajority])).toEqual([
      ['a,b,c', 1, false],
      ['d,e', 0, true],
      ['f', null, false],
    ]);
    expect(g.majority).toBe(1);
    expect(g.groups[0]!.diff!.stdout.removed).toBe(1);
  });

  it('uses the largest group when no host exited 0', () => {
    const g = groupOutputs(
      result(
        host('a', { state: 'failed', exitCode: 2 }),
        host('b', { state: 'failed', exitCode: 1 }),
        host('c', { state: 'failed', exitCode: 1 }),
      ),
    );
    expect(g.groups[g.majority!]!.hosts).toEqual(['b', 'c']);
  });

  it('breaks ties by target order and says so; all different means all singletons', () => {
    const g = groupOutputs(
      result(host('z', { stdout: '1' }), host('y', { stdout: '2' }), host('x', { stdout: '3' })),
    );
    expect(g.groups.map((x) => x.hosts[0])).toEqual(['z', 'y', 'x']);
    expect(g.majority).toBe(0);
    expect(g.tied).toBe(true);
    expect(g.groups.filter((x) => x.diff !== null)).toHaveLength(2);
    // a tie between a failing and a healthy group is no tie: the healthy one is the reference
    const h = groupOutputs(result(host('a', { state: 'failed', exitCode: 1 }), host('b')));
    expect(h.groups.map((x) => x.hosts[0])).toEqual(['b', 'a']);
    expect(h.tied).toBe(false);
  });

  it('groups empty outputs together and leaves hosts without output ungrouped', () => {
    const g = groupOutputs(
      result(
        host('a'),
        host('b'),
        host('c', { state: 'error', errorKind: 'unreachable', exitCode: null }),
        host('d', { state: 'timeout', exitCode: null, stdout: 'partial' }),
        host('e', { state: 'cancelled', exitCode: null }),
      ),
    );
    expect(g.groups).toHaveLength(1);
    expect(g.groups[0]!.hosts).toEqual(['a', 'b']);
    expect(g.ungrouped).toEqual(['c', 'd', 'e']);
    expect(groupOutputs(result()).majority).toBeNull();
    expect(groupOutputs(result(host('u', { state: 'error' }))).majority).toBeNull();
  });

  it('treats CRLF and trailing blanks as different unless told to ignore them', () => {
    const hosts = result(
      host('lf', { stdout: 'a\nb\n' }),
      host('crlf', { stdout: 'a\r\nb\r\n' }),
      host('blank', { stdout: 'a  \nb\n\n' }),
    );
    const exact = groupOutputs(hosts);
    expect(exact.groups).toHaveLength(3);
    expect(exact.groups[1]!.diff!.stdout).toMatchObject({ removed: 2, added: 2 });
    const loose = groupOutputs(hosts, { ignoreTrailingWhitespace: true });
    expect(loose.groups).toHaveLength(1);
    expect(loose.groups[0]!.stdout).toBe('a\nb\n'); // the first host's output, as it was
    expect(normalizeOutput('x \r\ny\t\n\n\n')).toBe('x\ny');
  });
});
