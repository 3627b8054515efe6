import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataSchemas } from './data-schemas';

const dir = join(import.meta.dirname, '../../../resources/schemas');

describe('published JSON Schemas', () => {
  for (const [name, schema] of Object.entries(dataSchemas())) {
    it(`${name} matches the zod schema`, () => {
      const text = `${JSON.stringify(schema, null, 2)}\n`;
      if (process.env.UPDATE_SCHEMAS) writeFileSync(join(dir, name), text);
      // Compared as data: the file may be reformatted (prettier) without going stale.
      expect(JSON.parse(readFileSync(join(dir, name), 'utf8'))).toEqual(schema);
    });
  }
});
