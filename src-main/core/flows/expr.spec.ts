import { describe, expect, it } from 'vitest';

import {
  checkTemplate,
  evaluate,
  ExprError,
  interpolate,
  interpolateDeep,
  splitTemplate,
} from './expr';

const scope = {
  inputs: { name: 'lab-1', n: 3, on: true, empty: '' },
  vars: { list: ['a', 'b'], nested: { deep: { x: 7 } } },
  steps: { detect: { outputs: { os: 'debian', count: 2 }, status: 'succeeded' } },
  hosts: ['node1', 'node2'],
};

describe('expressions', () => {
  it('reads paths, indexes and lengths', () => {
    expect(evaluate('inputs.name', scope)).toBe('lab-1');
    expect(evaluate('vars.nested.deep.x', scope)).toBe(7);
    expect(evaluate('vars.list[1]', scope)).toBe('b');
    expect(evaluate("vars.nested['deep'].x", scope)).toBe(7);
    expect(evaluate('hosts.length', scope)).toBe(2);
    expect(evaluate('steps.detect.outputs.os', scope)).toBe('debian');
    expect(evaluate('steps.detect.outputs.missing', scope)).toBeUndefined();
  });

  it('compares, combines and does arithmetic', () => {
    expect(evaluate("steps.detect.outputs.os == 'debian' && inputs.n > 2", scope)).toBe(true);
    expect(evaluate("inputs.name != 'lab-1' || !inputs.on", scope)).toBe(false);
    expect(evaluate('inputs.n + 1 - 2', scope)).toBe(2);
    expect(evaluate("'v' + inputs.n", scope)).toBe('v3');
    expect(evaluate('-(inputs.n) >= -3', scope)).toBe(true);
    expect(evaluate("inputs.empty || 'fallback'", scope)).toBe('fallback');
    expect(evaluate('inputs.n == "3"', scope)).toBe(true);
  });

  it('refuses unknown names, prototype access and bad syntax with the offset', () => {
    expect(() => evaluate('secrets.x', scope)).toThrow(/unknown name "secrets"/);
    expect(() => evaluate('inputs.constructor', scope)).toThrow(/not allowed/);
    expect(() => evaluate('inputs["__proto__"]', scope)).toThrow(/not allowed/);
    expect(() => evaluate('inputs.', scope)).toThrow(ExprError);
    try {
      evaluate('inputs.n >', scope);
    } catch (e) {
      expect((e as ExprError).offset).toBe(10);
    }
    expect(() => evaluate('a; b', { a: 1, b: 2 })).toThrow(/unexpected character ";"/);
    expect(() => evaluate('process.exit(1)', scope)).toThrow(/unknown name "process"/);
  });

  it('interpolates templates: one whole expression keeps its type', () => {
    expect(interpolate('${inputs.n}', scope)).toBe(3);
    expect(interpolate('${inputs.on}', scope)).toBe(true);
    expect(interpolate('host ${inputs.name} has ${steps.detect.outputs.count} disks', scope)).toBe(
      'host lab-1 has 2 disks',
    );
    expect(interpolate('list: ${vars.list}', scope)).toBe('list: ["a","b"]');
    expect(interpolate('cost $${literal}', scope)).toBe('cost ${literal}');
    expect(interpolateDeep({ a: ['${inputs.n}', 'x-${inputs.name}'], b: 5 }, scope)).toEqual({
      a: [3, 'x-lab-1'],
      b: 5,
    });
  });

  it('checks syntax without a scope and points at the column in the template', () => {
    expect(checkTemplate('ok ${inputs.whatever}')).toBeNull();
    const err = checkTemplate('run ${inputs.a ==}');
    expect(err?.message).toMatch(/ends too early/);
    expect(err?.offset).toBe(17);
    expect(checkTemplate('x ${unclosed')?.message).toMatch(/not closed/);
    expect(splitTemplate('a${b}c')).toEqual([
      { literal: 'a', offset: 0 },
      { expr: 'b', offset: 3 },
      { literal: 'c', offset: 5 },
    ]);
  });
});
