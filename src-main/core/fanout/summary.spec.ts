import { describe, expect, it } from 'vitest';

import { AppError } from '../../shared/errors';
import { LocalExecutor } from '../ssh/local-exec';
import type { Executor, SshTarget } from '../ssh/types';
import { type FanoutResult, type HostResult, runFanout } from './fanout';
import { groupOutputs } from './grouping';
import { formatUnified } from './line-diff';
import { exitStatus, failedHosts, formatSummaryLine, summarize } from './summary';

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

const lab = result(
  ...Array.from({ length: 41 }, (_, i) => host(`ok${i}`, { stdout: 'v1\n' })),
  host('odd1', { stdout: 'v2\n' }),
  host('odd2', { stdout: 'v3\n' }),
  host('bad', { state: 'failed', exitCode: 1 }),
  host('down1', { state: 'error', exitCode: null, errorKind: 'unreachable', error: 'no route' }),
  host('down2', { state: 'error', exitCode: null, errorKind: 'unreachable', error: 'timeout' }),
  host('rekey', {
    state: 'error',
    exitCode: null,
    errorKind: 'refused',
    error: 'host key changed',
  }),
);

describe('summarize', () => {
  it('prints the line in the issue style', () => {
    const s = summarize(lab);
    expect(s.line).toBe('41 ok · 2 differ · 1 failed · 3 unreachable');
    expect(s.counts).toEqual({ ok: 41, differ: 2, failed: 1, unreachable: 3 });
    expect(s.buckets).toMatchObject({
      ok0: 'ok',
      odd1: 'differ',
      bad: 'failed',
      rekey: 'unreachable',
    });
  });

  it('names only non-zero buckets besides ok', () => {
    expect(summarize(result(host('a'), host('b'))).line).toBe('2 ok');
    expect(summarize(result()).line).toBe('0 ok');
    expect(formatSummaryLine({ ok: 0, differ: 0, failed: 0, unreachable: 3 })).toBe(
      '0 ok · 3 unreachable',
    );
  });

  it('counts timeout, cancelled and could-not-run as failed', () => {
    const s = summarize(
      result(
        host('a'),
        host('t', { state: 'timeout', exitCode: null }),
        host('c', { state: 'cancelled', exitCode: null }),
        host('e', {
          state: 'error',
          exitCode: null,
          errorKind: 'other',
          error: 'command not found: x',
        }),
      ),
    );
    expect(s.line).toBe('1 ok · 3 failed');
  });

  it('follows the grouping it is given (e.g. ignoring trailing whitespace)', () => {
    const r = result(host('a', { stdout: 'x\n' }), host('b', { stdout: 'x\r\n' }));
    expect(summarize(r).line).toBe('1 ok · 1 differ');
    expect(summarize(r, { ignoreTrailingWhitespace: true }).line).toBe('2 ok');
    expect(summarize(r, groupOutputs(r, { ignoreTrailingWhitespace: true })).line).toBe('2 ok');
  });

  it('all different: the first host is the reference, the rest differ', () => {
    const r = result(
      host('a', { stdout: '1' }),
      host('b', { stdout: '2' }),
      host('c', { stdout: '3' }),
    );
    expect(summarize(r).line).toBe('1 ok · 2 differ');
  });
});

describe('failedHosts', () => {
  it('picks failed, unreachable and refused hosts by default, in order', () => {
    expect(failedHosts(lab)).toEqual(['bad', 'down1', 'down2', 'rekey']);
  });

  it('is configurable', () => {
    const r = result(
      host('ok'),
      host('odd', { stdout: 'other' }),
      host('t', { state: 'timeout', exitCode: null }),
      host('c', { state: 'cancelled', exitCode: null }),
      host('e', { state: 'error', exitCode: null, errorKind: 'other' }),
      host('u', { state: 'error', exitCode: null, errorKind: 'unreachable' }),
    );
    expect(failedHosts(r)).toEqual(['t', 'e', 'u']);
    expect(failedHosts(r, { include: ['cancelled', 'timeout'] })).toEqual(['t', 'c']);
    expect(failedHosts(r, { include: ['differ'] })).toEqual(['odd']);
    expect(failedHosts(r, { include: ['unreachable', 'refused'] })).toEqual(['u']);
  });
});

describe('exitStatus', () => {
  it('is 0 when every host exited 0, even with differing output', () => {
    expect(exitStatus(result(host('a'), host('b', { stdout: 'x' })))).toBe(0);
    expect(exitStatus(result())).toBe(0);
  });
  it('is 1 when some command failed, timed out or could not run', () => {
    expect(exitStatus(result(host('a'), host('b', { state: 'failed', exitCode: 2 })))).toBe(1);
    expect(exitStatus(result(host('a'), host('t', { state: 'timeout', exitCode: null })))).toBe(1);
    expect(
      exitStatus(result(host('e', { state: 'error', exitCode: null, errorKind: 'other' }))),
    ).toBe(1);
  });
  it('is 2 when some host was unreachable or refused, whatever else happened', () => {
    expect(exitStatus(lab)).toBe(2);
    expect(
      exitStatus(result(host('r', { state: 'error', exitCode: null, errorKind: 'refused' }))),
    ).toBe(2);
  });
});

describe('fan-out to summary on real processes', () => {
  it('groups, diffs, summarises and picks the hosts to run again', async () => {
    const local = new LocalExecutor();
    const targets: SshTarget[] = ['c0', 'c1', 'w0', 'w1', 'w2', 's0', 'gone'].map((name) => ({
      name,
      host: 'localhost',
      port: 22,
      user: '',
      auth: { kind: 'agent' },
      jump: [],
      local: true,
    }));
    const release: Record<string, string> = { w2: '22.12', s0: 'broken' };
    // Real child processes; the wrapper only gives each "host" its own environment.
    const lab: Executor = {
      exec: (t, o) =>
        t.name === 'gone'
          ? Promise.reject(new AppError('unavailable', 'gone: connect ETIMEDOUT'))
          : local.exec(t, { ...o, env: { STX_RELEASE: release[t.name] ?? '22.06' } }),
    };
    const script = 'echo "os=debian"; echo "release=$STX_RELEASE"; [ "$STX_RELEASE" != broken ]';
    const r = await runFanout({
      targets,
      executor: lab,
      forks: 3,
      command: { argv: ['sh', '-c', script] },
    });
    const g = groupOutputs(r);
    const s = summarize(r, g);
    expect(s.line).toBe('4 ok · 1 differ · 1 failed · 1 unreachable');
    const w2 = g.groups[g.hostGroup['w2']!]!;
    expect(formatUnified(w2.diff!.stdout, 'majority', 'w2')).toBe(
      '--- majority\n+++ w2\n@@ -1,2 +1,2 @@\n os=debian\n-release=22.06\n+release=22.12\n',
    );
    expect(failedHosts(r)).toEqual(['s0', 'gone']);
    expect(exitStatus(r)).toBe(2);
  });
});
