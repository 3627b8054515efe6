import { describe, expect, it } from 'vitest';

import {
  causeLabel,
  checkLook,
  formatLatency,
  latencyVsBudget,
  normaliseStatus,
  resultStatus,
  sparkline,
  trendSummary,
} from './check-format';

describe('check statuses', () => {
  it('reads the backend words and gives each a word and an icon', () => {
    expect(normaliseStatus('passed')).toBe('pass');
    expect(normaliseStatus('ok')).toBe('pass');
    expect(normaliseStatus('failed')).toBe('fail');
    expect(normaliseStatus('unreachable')).toBe('error');
    expect(normaliseStatus('whatever')).toBe('pending');
    expect(checkLook('pass')).toEqual({ label: 'Passed', icon: 'circle-check', tone: 'ok' });
    expect(checkLook('fail').tone).toBe('danger');
  });
});

describe('latency', () => {
  it('formats milliseconds and seconds', () => {
    expect(formatLatency(3.14)).toBe('3.1 ms');
    expect(formatLatency(42.4)).toBe('42 ms');
    expect(formatLatency(1530)).toBe('1.53 s');
    expect(formatLatency(2000)).toBe('2 s');
    expect(formatLatency(null)).toBe('—');
  });

  it('compares with the budget', () => {
    expect(latencyVsBudget(42, 500)).toEqual({
      text: '42 ms of 500 ms',
      over: false,
      ratio: 0.084,
    });
    expect(latencyVsBudget(900, 500)).toMatchObject({ over: true, ratio: 1 });
    expect(latencyVsBudget(42, null)).toEqual({ text: '42 ms', over: false, ratio: null });
  });
});

describe('sparkline', () => {
  it('spreads points across the width, the slowest at the top', () => {
    const dots = sparkline(
      [
        { latencyMs: 10, ok: true },
        { latencyMs: 20, ok: true },
        { latencyMs: null, ok: false },
      ],
      100,
      24,
    );
    expect(dots).toEqual([
      { x: 2, y: 12, ok: true },
      { x: 50, y: 2, ok: true },
      { x: 98, y: 22, ok: false },
    ]);
    expect(sparkline([{ latencyMs: 5, ok: true }], 100, 24)).toEqual([{ x: 50, y: 2, ok: true }]);
    expect(sparkline([], 100, 24)).toEqual([]);
  });

  it('summarises a trend', () => {
    expect(trendSummary([])).toBe('no runs yet');
    expect(
      trendSummary([
        { latencyMs: 10, ok: true },
        { latencyMs: 30, ok: false },
        { latencyMs: 20, ok: true },
      ]),
    ).toBe('2 of 3 runs passed, median 20 ms');
  });
});

describe('resultStatus', () => {
  it('tells a failed check from one that got no answer', () => {
    expect(resultStatus({ ok: true })).toBe('pass');
    expect(resultStatus({ ok: false, cause: 'auth' })).toBe('fail');
    expect(resultStatus({ ok: false, cause: 'refused' })).toBe('error');
    expect(resultStatus({ ok: false, cause: 'budget' })).toBe('fail');
    expect(resultStatus({ ok: true, overBudget: true })).toBe('slow');
    expect(checkLook('slow')).toEqual({ label: 'Slow', icon: 'hourglass', tone: 'warning' });
    expect(causeLabel('auth')).toBe('Not authorised');
    expect(causeLabel('brand-new')).toBe('brand-new');
    expect(causeLabel(undefined)).toBe('');
  });
});
