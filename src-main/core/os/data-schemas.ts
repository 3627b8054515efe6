// The JSON Schemas published in resources/schemas/, derived from the zod schemas that validate
// the data at load time (so editors and the app agree). data-schemas.spec.ts keeps the files in
// step; regenerate with `UPDATE_SCHEMAS=1 npx vitest run src-main/core/os/data-schemas.spec.ts`.
import { z } from 'zod';
import { PackageMapSchema } from '../packages/package-map';
import { OsProfileSchema } from './profiles';

function publish(schema: z.ZodType, id: string, title: string): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  return { ...json, $id: id, title };
}

export function dataSchemas(): Record<string, Record<string, unknown>> {
  return {
    'os-profile.schema.json': publish(
      OsProfileSchema,
      'https://starlingx.io/lab-console/schemas/os-profile.schema.json',
      'StarlingX Lab Console OS profile',
    ),
    'package-map.schema.json': publish(
      PackageMapSchema,
      'https://starlingx.io/lab-console/schemas/package-map.schema.json',
      'StarlingX Lab Console package-name map',
    ),
  };
}
