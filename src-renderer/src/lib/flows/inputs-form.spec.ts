import type { FlowInputSpec } from '@shared/models/flows';
import { describe, expect, it } from 'vitest';

import { collectInputs, errorsByInput, initialValues } from './inputs-form';

function spec(
  name: string,
  type: FlowInputSpec['type'],
  more: Partial<FlowInputSpec> = {},
): FlowInputSpec {
  return { name, type, title: name, description: '', required: false, ...more };
}

const SPECS = [
  spec('name', 'string', { required: true }),
  spec('count', 'number', { default: 3, min: 1, max: 5 }),
  spec('force', 'boolean', { default: true }),
  spec('os', 'choice', { choices: ['debian', 'ubuntu'], required: true }),
  spec('password', 'secret'),
  spec('target', 'host-pattern'),
];

describe('inputs form', () => {
  it('starts from the defaults (a required choice takes its first choice)', () => {
    expect(initialValues(SPECS)).toEqual({
      name: '',
      count: '3',
      force: true,
      os: 'debian',
      password: '',
      target: '',
    });
  });

  it('types the values and says what is missing or out of range', () => {
    const values = { ...initialValues(SPECS), count: '9', password: ' s p ' };
    const r = collectInputs(SPECS, values);
    expect(r.errors).toEqual({ name: 'name is required', count: 'at most 5' });
    expect(r.inputs).toEqual({ force: true, os: 'debian', password: ' s p ' });
    const ok = collectInputs(SPECS, { ...values, name: ' lab ', count: '2', target: 'node*' });
    expect(ok.errors).toEqual({});
    expect(ok.inputs).toEqual({
      name: 'lab',
      count: 2,
      force: true,
      os: 'debian',
      password: ' s p ',
      target: 'node*',
    });
  });

  it('refuses a choice that is not offered and a word where a number goes', () => {
    const r = collectInputs(SPECS, {
      ...initialValues(SPECS),
      name: 'x',
      os: 'arch',
      count: 'two',
    });
    expect(r.errors).toEqual({ os: 'one of debian, ubuntu', count: 'enter a number' });
  });

  it('maps server field paths to input names', () => {
    expect(errorsByInput({ 'inputs.name': 'bad', count: 'worse' })).toEqual({
      name: 'bad',
      count: 'worse',
    });
  });
});
