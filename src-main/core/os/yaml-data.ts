// Data files that drive behaviour (OS profiles, the package-name map) are YAML checked by a zod
// schema. Errors name the file, line and column of the offending node, so whoever edits the
// data sees where the mistake is, not a stack trace.
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { AppError } from '../../shared/errors';

export interface DataPos {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export function dataError(pos: DataPos, reason: string): AppError {
  return new AppError('invalid_input', `${pos.file}:${pos.line}:${pos.column}: ${reason}`, {
    file: pos.file,
    line: pos.line,
    column: pos.column,
    reason,
  });
}

function nodePos(
  doc: Document,
  lc: LineCounter,
  file: string,
  path: readonly PropertyKey[],
): DataPos {
  // Walk up until a node exists: a missing key is reported at its parent mapping.
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) {
      const { line, col } = lc.linePos(node.range[0]);
      return { file, line, column: col };
    }
  }
  return { file, line: 1, column: 1 };
}

/** Parses YAML text and validates it; the result is the schema's output type. */
export function parseYamlData<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
): z.output<S> {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    const { line, col } = lc.linePos(err.pos[0]);
    throw dataError({ file, line, column: col }, `YAML: ${err.message.split('\n')[0]}`);
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
  throw dataError(nodePos(doc, lc, file, issue.path), `${where}: ${issue.message}`);
}
