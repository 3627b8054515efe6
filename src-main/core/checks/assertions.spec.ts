import { describe, expect, it } from 'vitest';

import { AssertionSchema } from '../../shared/models/checks';
import { evaluate } from './assertions';
import { parsePath, select } from './jsonpath';

const ihosts = {
  ihosts: [
    {
      hostname: 'controller-0',
      administrative: 'unlocked',
      uptime: 68379,
      capabilities: { Personality: 'Controller-Active' },
    },
    { hostname: 'worker-0', administrative: 'locked', uptime: 12, capabilities: {} },
  ],
  'odd key': [1, 2, 3],
};
const a = (x: object) => AssertionSchema.parse(x);

describe('JSONPath subset', () => {
  it('selects keys, indexes, wildcards and recursive descent', () => {
    expect(select(ihosts, '$.ihosts[0].hostname')).toEqual(['controller-0']);
    expect(select(ihosts, '$.ihosts[-1].hostname')).toEqual(['worker-0']);
    expect(select(ihosts, '$.ihosts[*].hostname')).toEqual(['controller-0', 'worker-0']);
    expect(select(ihosts, "$['odd key'][1]")).toEqual([2]);
    expect(select(ihosts, '$..Personality')).toEqual(['Controller-Active']);
    expect(select(ihosts, '$.ihosts.length')).toEqual([2]);
    expect(select(ihosts, '$.nothing.here')).toEqual([]);
    expect(select([1, 2], '$')).toEqual([[1, 2]]);
  });
  it('refuses what it does not support, with the position', () => {
    expect(() => parsePath('ihosts')).toThrow(/must start with \$/);
    expect(() => parsePath('$.ihosts[?(@.x)]')).toThrow(/bad path .* at 9/);
  });
});

describe('assertions', () => {
  it('every (default) and some over wildcards', () => {
    const every = evaluate(
      a({ path: '$.ihosts[*].administrative', op: 'equals', value: 'unlocked' }),
      ihosts,
    );
    expect(every).toMatchObject({
      ok: false,
      message: '$.ihosts[*].administrative: expected "unlocked", got "locked" (1 of 2 matches)',
    });
    expect(
      evaluate(
        a({
          path: '$.ihosts[*].administrative',
          op: 'equals',
          value: 'unlocked',
          quantifier: 'some',
        }),
        ihosts,
      ).ok,
    ).toBe(true);
  });
  it.each([
    [{ path: '$.ihosts', op: 'type', value: 'array' }, true],
    [{ path: '$.ihosts', op: 'lengthGte', value: 3 }, false],
    [{ path: '$.ihosts[0].uptime', op: 'gte', value: 100 }, true],
    [{ path: '$.ihosts[1].uptime', op: 'lte', value: 5 }, false],
    [{ path: '$.ihosts[0].hostname', op: 'matches', value: '^controller-\\d+$' }, true],
    [{ path: '$.ihosts[0].hostname', op: 'contains', value: 'troll' }, true],
    [{ path: '$.ihosts[*].administrative', op: 'oneOf', value: ['locked', 'unlocked'] }, true],
    [{ path: '$.ihosts[0].bm_ip', op: 'absent' }, true],
    [{ path: '$.ihosts[0].hostname', op: 'absent' }, false],
    [{ path: '$.ihosts[0].hostname', op: 'notEquals', value: 'controller-1' }, true],
    [
      {
        path: '$.ihosts[0].capabilities',
        op: 'equals',
        value: { Personality: 'Controller-Active' },
      },
      true,
    ],
  ])('%o → %s', (spec, ok) => {
    expect(evaluate(a(spec), ihosts).ok).toBe(ok);
  });
  it('a bad regular expression is a failed assertion, not a throw', () => {
    const r = evaluate(a({ path: '$.ihosts[0].hostname', op: 'matches', value: '(' }), ihosts);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/bad pattern/);
  });
});
