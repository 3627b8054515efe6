import { describe, expect, it } from 'vitest';

import { CheckDefSchema } from '@shared/models/checks';

import {
  emptyFields,
  fieldsOf,
  parseAssertions,
  parseHeaders,
  parseTarget,
  validateHttpCheck,
} from './http-check-form';

describe('parseTarget', () => {
  it('takes URLs and catalog references', () => {
    expect(parseTarget('http://127.0.0.1:6385/v1/ihosts')).toEqual({
      kind: 'url',
      url: 'http://127.0.0.1:6385/v1/ihosts',
    });
    expect(parseTarget('platform:/v1/ihosts')).toEqual({
      kind: 'catalog',
      serviceType: 'platform',
      path: '/v1/ihosts',
    });
    expect(parseTarget('ftp://x/')).toBe('Only http and https URLs.');
    expect(parseTarget('nonsense')).toMatch(/Not a URL/);
    expect(parseTarget('  ')).toMatch(/Give a URL/);
  });
});

describe('parseHeaders and parseAssertions', () => {
  it('reads Name: value lines and names the bad line', () => {
    expect(parseHeaders('Accept: application/json\n\nX-A:  1 ')).toEqual({
      Accept: 'application/json',
      'X-A': '1',
    });
    expect(parseHeaders('Accept application/json')).toBe('Line 1: write headers as "Name: value".');
  });

  it('reads one assertion per line', () => {
    expect(
      parseAssertions(
        '$.ihosts exists\n$.ihosts[0].hostname == controller-0\n$.n >= 2\n$.s in ["OK", 3]\n$.id == 7',
      ),
    ).toEqual([
      { path: '$.ihosts', op: 'exists' },
      { path: '$.ihosts[0].hostname', op: 'equals', value: 'controller-0' },
      { path: '$.n', op: 'gte', value: 2 },
      { path: '$.s', op: 'oneOf', value: ['OK', 3] },
      { path: '$.id', op: 'equals', value: 7 },
    ]);
    expect(parseAssertions('$.a ==')).toBe('Line 1: "==" needs a value.');
    expect(parseAssertions('\n$.a exists 3')).toBe('Line 2: "exists" takes no value.');
    expect(parseAssertions('$.a length>= many')).toBe('Line 1: "length>=" compares numbers.');
    expect(parseAssertions('$.a type list')).toMatch(/^Line 1: type is one of array/);
    expect(parseAssertions('$.a in 3')).toMatch(/takes a JSON list/);
    expect(parseAssertions('ihosts exists')).toMatch(/^Line 1: write/);
  });
});

describe('validateHttpCheck', () => {
  it('turns good fields into a draft', () => {
    const r = validateHttpCheck({
      ...emptyFields(),
      name: 'fm-alarms',
      target: 'faultmanagement:/v1/alarms',
      expectedStatus: '200, 204',
      assertions: '$.ialarms exists',
      timeoutSec: '2.5',
      budgetMs: '300',
    });
    expect(r).toEqual({
      ok: true,
      check: {
        id: 'fm-alarms',
        method: 'GET',
        endpoint: { type: 'faultmanagement', path: '/v1/alarms' },
        headers: { Accept: 'application/json' },
        expect: {
          status: [200, 204],
          assertions: [{ path: '$.ialarms', op: 'exists', quantifier: 'every' }],
        },
        timeoutMs: 2500,
        budgetMs: 300,
      },
    });
    // The contract's own schema accepts what the form makes, and the form reads it back.
    if (!r.ok) return;
    expect(CheckDefSchema.safeParse(r.check).success).toBe(true);
    expect(fieldsOf(r.check)).toMatchObject({
      target: 'faultmanagement:/v1/alarms',
      expectedStatus: '200, 204',
      assertions: '$.ialarms exists',
      timeoutSec: '2.5',
    });
  });

  it('gives an error per bad field', () => {
    const r = validateHttpCheck({
      ...emptyFields(),
      name: 'bad name!',
      target: '',
      body: '{}',
      expectedStatus: '700',
      timeoutSec: '0',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual([
      'body',
      'expectedStatus',
      'name',
      'target',
      'timeoutSec',
    ]);
    expect(r.errors.expectedStatus).toBe('"700" is not an HTTP status (100–599).');
    expect(r.errors.body).toBe('A GET request carries no body.');
  });
});
