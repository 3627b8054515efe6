// The published JSON Schema of flows (resources/schemas/flow.schema.json) is generated from the
// zod schema; regenerate with `UPDATE_SCHEMAS=1 npx vitest run src-main/core/flows/flow-schema.spec.ts`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { findResourcesDir } from '../readiness/resources';
import { durationMs, flowJsonSchema } from './flow-schema';

describe('flow schema', () => {
  it('matches the published JSON Schema', () => {
    const json = flowJsonSchema();
    const file = join(findResourcesDir(), 'schemas', 'flow.schema.json');
    if (process.env.UPDATE_SCHEMAS) writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(json);
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
