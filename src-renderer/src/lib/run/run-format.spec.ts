import type { ExecReport, HostResult } from '@shared/models/fanout';
import { describe, expect, it } from 'vitest';

import {
  failedHosts,
  formatDuration,
  hostList,
  parseForks,
  parseTimeout,
  patternOf,
  rowsSummary,
  stateLook,
  summaryParts,
} from './run-format';

function result(host: string, state: HostResult['state']): HostResult {
  return {
    host,
    state,
    exitCode: state === 'ok' ? 0 : 1,
    signal: null,
    stdout: '',
    stderr: '',
    durationMs: 1,
    truncated: false,
    error: null,
    errorKind: state === 'error' ? 'unreachable' : null,
  };
}

describe('run format', () => {
  it('labels states, naming why a host was not reached', () => {
    expect(stateLook('error', 'unreachable').label).toBe('Unreachable');
    expect(stateLook('error', 'refused').label).toBe('Refused');
    expect(stateLook('timeout').label).toBe('Timed out');
  });

  it('formats durations and host lists', () => {
    expect(formatDuration(12.4)).toBe('12 ms');
    expect(formatDuration(1234)).toBe('1.23 s');
    expect(formatDuration(61_000)).toBe('1 min 01 s');
    expect(hostList(['a', 'b', 'c'], 2)).toBe('a, b and 1 more');
  });

  it('runs again on failed, unreachable and timed-out hosts, not on cancelled ones', () => {
    const report = {
      hosts: [
        result('a', 'ok'),
        result('b', 'failed'),
        result('c', 'error'),
        result('d', 'timeout'),
        result('e', 'cancelled'),
      ],
    } as unknown as ExecReport;
    expect(patternOf(failedHosts(report))).toBe('b,c,d');
  });

  it('splits the summary line and checks the form numbers', () => {
    expect(summaryParts('41 ok · 2 differ')).toEqual([
      { text: '41 ok', bucket: 'ok' },
      { text: '2 differ', bucket: 'differ' },
    ]);
    expect(parseForks(' 10 ')).toBe(10);
    expect(typeof parseForks('0')).toBe('string');
    expect(parseTimeout('')).toBeUndefined();
    expect(parseTimeout('2.5')).toBe(2.5);
    expect(typeof parseTimeout('-1')).toBe('string');
  });

  it('sums up rows when a cancelled run has no report', () => {
    expect(
      rowsSummary([
        { state: 'ok', errorKind: null },
        { state: 'error', errorKind: 'refused' },
        { state: 'running', errorKind: null },
        { state: 'cancelled', errorKind: null },
      ]),
    ).toBe('1 ok · 1 unreachable · 2 cancelled');
  });
});
