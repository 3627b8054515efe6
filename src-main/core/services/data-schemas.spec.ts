import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { servicesDataSchemas } from './data-schemas';

const dir = join(import.meta.dirname, '../../../resources/schemas');

describe('published JSON Schemas (services, checks)', () => {
  for (const [name, schema] of Object.entries(servicesDataSchemas())) {
    it(`${name} matches the zod schema`, () => {
      const text = `${JSON.stringify(schema, null, 2)}\n`;
      if (process.env.UPDATE_SCHEMAS) writeFileSync(join(dir, name), text);
      expect(JSON.parse(readFileSync(join(dir, name), 'utf8'))).toEqual(schema);
    });
  }
});
