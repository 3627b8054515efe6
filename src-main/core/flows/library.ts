// The flow library: built-in flows (resources/flows) and the user's (<dataDir>/flows), each read
// and checked; what the library screen and `flows.get` show.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, extname, isAbsolute, join, relative, resolve } from 'node:path';

import { AppError } from '../../shared/errors';
import type {
  FlowDetail,
  FlowLibrary,
  FlowSummary,
  FlowValidation,
} from '../../shared/models/flows';
import type { KindRegistry } from './kinds/kind';
import { parseFlow, stepInfo, type ParseResult, type ParsedFlow } from './parse';

const MAX_FLOW_BYTES = 5_000_000;

export function checkFlowPath(file: string): string {
  const ext = extname(file).toLowerCase();
  if (ext !== '.yaml' && ext !== '.yml') {
    throw AppError.field('invalid_input', 'file', 'a flow is a .yaml or .yml file');
  }
  return resolve(file);
}

export function readFlowText(file: string): string {
  const path = checkFlowPath(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') throw AppError.field('not_found', 'file', `no such flow file: ${path}`);
    throw AppError.field('invalid_input', 'file', `cannot read ${path}: ${(e as Error).message}`);
  }
  if (text.length > MAX_FLOW_BYTES) {
    throw AppError.field('invalid_input', 'file', `${path} is too large for a flow`);
  }
  return text;
}

function summaryOf(file: string, origin: 'builtin' | 'user', r: ParseResult): FlowSummary {
  const fallbackId = basename(file, extname(file));
  if (r.ok) {
    return {
      file,
      origin,
      id: r.flow.id,
      title: r.flow.title,
      description: r.flow.description,
      inputs: r.flow.inputs,
      stepCount: r.flow.steps.length,
      errors: [],
    };
  }
  const p = r.partial ?? {};
  return {
    file,
    origin,
    id: p.id ?? fallbackId,
    title: p.title ?? fallbackId,
    description: p.description ?? '',
    inputs: p.inputs ?? [],
    stepCount: 0,
    errors: r.errors,
  };
}

function flowFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => /\.ya?ml$/i.test(f))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

export class FlowLibraryReader {
  constructor(
    private readonly kinds: KindRegistry,
    private readonly builtinDir: () => string,
    readonly userDir: string,
  ) {}

  /**
   * A file the contract may read: only flows of the library (built-in or the user folder), so a
   * window (or a stolen web token) cannot make the app read other files. The CLI reads any path.
   */
  libraryFile(file: string): string {
    const path = checkFlowPath(file);
    const inside = (dir: string): boolean => {
      const rel = relative(resolve(dir), path);
      return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
    };
    if (!inside(this.builtinDir()) && !inside(this.userDir)) {
      throw AppError.field(
        'forbidden',
        'file',
        `${path} is not in the flow library; put it in ${this.userDir}`,
      );
    }
    return path;
  }

  origin(file: string): 'builtin' | 'user' {
    return resolve(file).startsWith(resolve(this.builtinDir())) ? 'builtin' : 'user';
  }

  list(): FlowLibrary {
    mkdirSync(this.userDir, { recursive: true });
    const flows: FlowSummary[] = [];
    for (const [dir, origin] of [
      [this.builtinDir(), 'builtin'],
      [this.userDir, 'user'],
    ] as const) {
      for (const file of flowFiles(dir)) {
        let r: ParseResult;
        try {
          r = parseFlow(readFlowText(file), file, this.kinds);
        } catch (e) {
          r = { ok: false, errors: [{ file, line: 1, column: 1, message: (e as Error).message }] };
        }
        flows.push(summaryOf(file, origin, r));
      }
    }
    return { builtinDir: this.builtinDir(), userDir: this.userDir, flows };
  }

  get(file: string): FlowDetail {
    const path = checkFlowPath(file);
    const text = readFlowText(path);
    const r = parseFlow(text, path, this.kinds);
    return {
      ...summaryOf(path, this.origin(path), r),
      text,
      steps: r.ok ? r.flow.steps.map(stepInfo) : [],
      vars: r.ok ? r.flow.vars : {},
    };
  }

  validate(file: string | undefined, text: string | undefined): FlowValidation {
    const name = file ?? '(text)';
    const r = parseFlow(text ?? readFlowText(name), file ? resolve(file) : name, this.kinds);
    return r.ok
      ? { ok: true, errors: [], steps: r.flow.steps.map(stepInfo), inputs: r.flow.inputs }
      : { ok: false, errors: r.errors };
  }

  /** A flow that can run, or invalid_input with every problem at its line. */
  load(file: string, text?: string): ParsedFlow {
    const path = text === undefined ? checkFlowPath(file) : file;
    const r = parseFlow(text ?? readFlowText(path), path, this.kinds);
    if (r.ok) return r.flow;
    throw new AppError(
      'invalid_input',
      r.errors.map((e) => `${e.file}:${e.line}:${e.column}: ${e.message}`).join('\n'),
      {
        // One field entry (forms); every problem with its place is in `problems`.
        fields: [
          {
            path: 'file',
            message: `${r.errors.length} problem(s), the first at line ${r.errors[0]?.line ?? 1}`,
          },
        ],
        problems: r.errors,
      },
    );
  }
}
