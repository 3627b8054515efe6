// JSON Schemas for the services catalog (resources/services/*.yaml) and check suites
// (resources/checks/*.yaml), published in resources/schemas/ from the zod schemas that load them.
// data-schemas.spec.ts keeps the files in step; regenerate with
// `UPDATE_SCHEMAS=1 npx vitest run src-main/core/services/data-schemas.spec.ts`.
import { z } from 'zod';

import { SuiteFileSchema } from '../checks/suites';
import { CatalogSchema } from './catalog';

function publish(schema: z.ZodType, id: string, title: string): Record<string, unknown> {
  const json = z.toJSONSchema(schema, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return { ...json, $id: id, title };
}

export function servicesDataSchemas(): Record<string, Record<string, unknown>> {
  return {
    'services.schema.json': publish(
      CatalogSchema,
      'https://starlingx.io/lab-console/schemas/services.schema.json',
      'StarlingX Lab Console Flock service catalog',
    ),
    'checks.schema.json': publish(
      SuiteFileSchema,
      'https://starlingx.io/lab-console/schemas/checks.schema.json',
      'StarlingX Lab Console API check suite',
    ),
  };
}
