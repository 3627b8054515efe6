// Check suites as data: resources/checks/*.yaml (built-in) validated with file:line:column
// errors; a suite may `include` other suites. User suites come from SQLite (see store.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

import { z } from 'zod';

import { AppError } from '../../shared/errors';
import {
  CheckDefSchema,
  SuiteNameSchema,
  type CheckDef,
  type SuiteSummary,
} from '../../shared/models/checks';
import { dataError, parseYamlData } from '../os/yaml-data';

export const SuiteFileSchema = z.strictObject({
  name: SuiteNameSchema,
  title: z.string().min(1),
  description: z.string().default(''),
  include: z.array(SuiteNameSchema).default([]),
  checks: z.array(CheckDefSchema).default([]),
});
export type SuiteFile = z.output<typeof SuiteFileSchema> & { readonly file: string };

export function parseSuite(text: string, file: string): SuiteFile {
  const s = parseYamlData(text, file, SuiteFileSchema);
  if (s.checks.length === 0 && s.include.length === 0) {
    throw dataError({ file, line: 1, column: 1 }, 'a suite needs checks or include');
  }
  const seen = new Set<string>();
  for (const c of s.checks) {
    if (seen.has(c.id))
      throw dataError({ file, line: 1, column: 1 }, `check id "${c.id}" used twice`);
    seen.add(c.id);
  }
  return { ...s, file };
}

/** Reads a suite file given on the command line (any path). */
export function loadSuiteFile(file: string): SuiteFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AppError('not_found', `suite file not readable: ${file} (${(e as Error).message})`);
  }
  return parseSuite(text, file);
}

export function loadSuites(dir: string): SuiteFile[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n));
  } catch (e) {
    throw new AppError('not_found', `checks folder not readable: ${dir} (${(e as Error).message})`);
  }
  const out: SuiteFile[] = [];
  for (const n of names.sort()) {
    const file = join(dir, n);
    const s = loadSuiteFile(file);
    const stem = basename(n).replace(/\.ya?ml$/, '');
    if (s.name !== stem)
      throw dataError(
        { file, line: 1, column: 1 },
        `name "${s.name}" must equal the file name "${stem}"`,
      );
    out.push(s);
  }
  return out;
}

/** The checks of a suite with its includes expanded (depth first; cycles refused). */
export function expandSuite(
  name: string,
  find: (name: string) => Pick<SuiteFile, 'name' | 'include' | 'checks'> | undefined,
  stack: string[] = [],
): CheckDef[] {
  if (stack.includes(name))
    throw new AppError(
      'invalid_input',
      `suites include each other: ${[...stack, name].join(' → ')}`,
    );
  const s = find(name);
  if (!s) throw new AppError('not_found', `no check suite named "${name}"`);
  const out: CheckDef[] = [];
  const ids = new Set<string>();
  for (const inc of s.include) {
    for (const c of expandSuite(inc, find, [...stack, name])) {
      if (!ids.has(c.id)) out.push(c);
      ids.add(c.id);
    }
  }
  for (const c of s.checks) {
    if (!ids.has(c.id)) out.push(c);
    ids.add(c.id);
  }
  return out;
}

export function summary(
  s: SuiteFile | (Omit<SuiteFile, 'file'> & { file?: string }),
  source: 'builtin' | 'user',
  checks: readonly CheckDef[],
): SuiteSummary {
  return {
    name: s.name,
    title: s.title,
    description: s.description,
    source,
    ...(s.file && source === 'builtin' ? { file: s.file } : {}),
    checks,
  };
}
