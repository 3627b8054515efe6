// The flow format's JSON Schema (resources/schemas/flow.schema.json is generated with every
// registered kind's parameters and kept in step by app/features/flows.int.spec.ts).
import { describe, expect, it } from 'vitest';

import { durationMs, flowJsonSchema } from './flow-schema';

describe('flow schema', () => {
  it('describes every field of a step (the published file is checked by the app: see flows.int.spec)', () => {
    const json = flowJsonSchema();
    const steps = (json as { properties: { steps: { items: { properties: object } } } }).properties
      .steps.items.properties;
    expect(Object.keys(steps)).toEqual([
      'id',
      'title',
      'kind',
      'on',
      'with',
      'needs',
      'when',
      'retries',
      'timeout',
      'continue-on-error',
      'say',
      'outputs',
    ]);
  });

  it('reads durations', () => {
    expect([
      durationMs(2),
      durationMs('500ms'),
      durationMs('1.5s'),
      durationMs('5m'),
      durationMs('1h'),
    ]).toEqual([2000, 500, 1500, 300_000, 3_600_000]);
  });
});
