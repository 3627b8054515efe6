// Reads a flow file: YAML (positions kept) → zod → kinds' parameters → `needs` graph →
// expressions. Every problem names file, line and column; a flow with problems never runs.
import {
  isMap,
  isNode,
  isScalar,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
} from 'yaml';

import type { FlowInputSpec, FlowProblem, FlowStepInfo } from '../../shared/models/flows';
import { checkTemplate, hasExpression } from './expr';
import { FlowSchema, type FlowDoc, type FlowStepDoc } from './flow-schema';
import type { KindRegistry } from './kinds/kind';

export interface ParsedStep extends FlowStepDoc {
  readonly needsList: readonly string[];
  readonly line: number;
}

export interface ParsedFlow {
  readonly file: string;
  readonly text: string;
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly inputs: readonly FlowInputSpec[];
  readonly vars: Readonly<Record<string, unknown>>;
  /** In run order (dependencies first, else file order). */
  readonly steps: readonly ParsedStep[];
}

export type ParseResult =
  | { readonly ok: true; readonly flow: ParsedFlow; readonly errors: readonly [] }
  | {
      readonly ok: false;
      readonly errors: readonly FlowProblem[];
      /** What could be read despite the problems (for the library listing). */
      readonly partial?: Partial<Pick<ParsedFlow, 'id' | 'title' | 'description' | 'inputs'>>;
    };

type Path = readonly PropertyKey[];

class Positions {
  constructor(
    private readonly doc: Document,
    private readonly lc: LineCounter,
    private readonly file: string,
  ) {}

  /** The node at a path (a missing key: its parent); `key` points at a mapping key instead. */
  at(path: Path, message: string, opts: { key?: string; offset?: number } = {}): FlowProblem {
    let node: unknown;
    for (let n = path.length; n >= 0; n--) {
      node = this.doc.getIn(path.slice(0, n) as unknown[], true);
      if (isNode(node) && node.range) break;
    }
    let pos = isNode(node) && node.range ? node.range[0] : 0;
    if (opts.key !== undefined && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === opts.key);
      if (pair && isNode(pair.key) && pair.key.range) pos = pair.key.range[0];
    } else if (opts.offset !== undefined && isScalar(node) && node.range) {
      const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
      if (node.type === 'PLAIN' || quoted) pos = node.range[0] + (quoted ? 1 : 0) + opts.offset;
    }
    const { line, col } = this.lc.linePos(pos);
    return { file: this.file, line, column: col, message };
  }

  line(path: Path): number {
    const node = this.doc.getIn(path as unknown[], true) as Node | undefined;
    return node?.range ? this.lc.linePos(node.range[0]).line : 1;
  }
}

function inputSpecs(doc: FlowDoc): FlowInputSpec[] {
  return Object.entries(doc.inputs ?? {}).map(([name, d]) => ({
    name,
    type: d.type,
    title: d.title ?? name,
    description: d.description ?? '',
    required: d.required ?? d.default === undefined,
    ...(d.default !== undefined ? { default: d.default } : {}),
    ...(d.choices ? { choices: d.choices } : {}),
    ...(d.min !== undefined ? { min: d.min } : {}),
    ...(d.max !== undefined ? { max: d.max } : {}),
  }));
}

/** Every string in a value with its path (for expression checks). */
function* strings(value: unknown, path: PropertyKey[]): Generator<[string, PropertyKey[]]> {
  if (typeof value === 'string') yield [value, path];
  else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* strings(value[i], [...path, i]);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) yield* strings(v, [...path, k]);
  }
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** Steps ordered so that every step comes after what it needs (stable in file order). */
function order(steps: readonly ParsedStep[]): ParsedStep[] | { cycle: string[] } {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const done = new Set<string>();
  const visiting: string[] = [];
  const out: ParsedStep[] = [];
  const visit = (s: ParsedStep): string[] | null => {
    if (done.has(s.id)) return null;
    const at = visiting.indexOf(s.id);
    if (at >= 0) return [...visiting.slice(at), s.id];
    visiting.push(s.id);
    for (const n of s.needsList) {
      const dep = byId.get(n);
      const cycle = dep ? visit(dep) : null;
      if (cycle) return cycle;
    }
    visiting.pop();
    done.add(s.id);
    out.push(s);
    return null;
  };
  for (const s of steps) {
    const cycle = visit(s);
    if (cycle) return { cycle };
  }
  return out;
}

export function parseFlow(text: string, file: string, kinds: KindRegistry): ParseResult {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const { line, col } = lc.linePos(e.pos[0]);
        return { file, line, column: col, message: `YAML: ${e.message.split('\n')[0]}` };
      }),
    };
  }
  const pos = new Positions(doc, lc, file);
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  const parsed = FlowSchema.safeParse(value);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => {
      const where = issue.path.length ? `${issue.path.map(String).join('.')}: ` : '';
      const key = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
      return pos.at(issue.path, `${where}${issue.message}`, key !== undefined ? { key } : {});
    });
    const v = (value ?? {}) as Record<string, unknown>;
    return {
      ok: false,
      errors,
      partial: {
        ...(typeof v.id === 'string' ? { id: v.id } : {}),
        ...(typeof v.title === 'string' ? { title: v.title } : {}),
        ...(typeof v.description === 'string' ? { description: v.description } : {}),
      },
    };
  }
  const flow = parsed.data;
  const errors: FlowProblem[] = [];
  const inputs = inputSpecs(flow);
  const inputNames = new Set(inputs.map((i) => i.name));
  const steps: ParsedStep[] = flow.steps.map((s, i) => ({
    ...s,
    needsList: s.needs === undefined ? [] : typeof s.needs === 'string' ? [s.needs] : s.needs,
    line: pos.line(['steps', i]),
  }));
  const index = new Map<string, number>();
  steps.forEach((s, i) => {
    if (index.has(s.id)) {
      errors.push(pos.at(['steps', i, 'id'], `steps.${i}.id: "${s.id}" is used by another step`));
    } else index.set(s.id, i);
  });

  for (const [name, d] of Object.entries(flow.inputs ?? {})) {
    {
      if (d.type === 'choice' && !d.choices) {
        errors.push(pos.at(['inputs', name], `inputs.${name}: a choice input needs "choices"`));
      }
      if (
        d.type === 'choice' &&
        d.default !== undefined &&
        !d.choices?.includes(String(d.default))
      ) {
        errors.push(
          pos.at(['inputs', name, 'default'], `inputs.${name}.default: not one of the choices`),
        );
      }
    }
  }

  steps.forEach((s, i) => {
    const base: PropertyKey[] = ['steps', i];
    const kind = kinds.get(s.kind);
    if (!kind) {
      errors.push(
        pos.at(
          [...base, 'kind'],
          `steps.${i}.kind: unknown step kind "${s.kind}" (known: ${kinds.names().join(', ')})`,
        ),
      );
    } else {
      if (kind.needsHosts && s.on === undefined) {
        errors.push(pos.at(base, `steps.${i}: kind "${s.kind}" needs hosts: add "on:"`));
      }
      const withValue = s.with ?? {};
      const r = kind.params.safeParse(withValue);
      if (!r.success) {
        for (const issue of r.error.issues) {
          // A value computed at run time (`${…}`) is checked again once it is known.
          const v = valueAt(withValue, issue.path);
          if (typeof v === 'string' && hasExpression(v)) continue;
          const path = [...base, 'with', ...issue.path];
          const where = ['steps', i, 'with', ...issue.path].map(String).join('.');
          const key = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
          errors.push(pos.at(path, `${where}: ${issue.message}`, key !== undefined ? { key } : {}));
        }
      }
    }
    s.needsList.forEach((n, j) => {
      if (!index.has(n)) {
        const path = typeof s.needs === 'string' ? [...base, 'needs'] : [...base, 'needs', j];
        errors.push(pos.at(path, `steps.${i}.needs: there is no step "${n}"`));
      }
    });
  });

  const exprRoots = [
    ['vars', flow.vars ?? {}],
    ...steps.map((s, i) => [['steps', i], s] as const),
  ] as const;
  for (const [root, v] of exprRoots) {
    const basePath = typeof root === 'string' ? [root] : [...root];
    for (const [str, path] of strings(v, basePath)) {
      const err = checkTemplate(str);
      const full = [...path];
      const where = full.map(String).join('.');
      if (err) {
        errors.push(pos.at(full, `${where}: ${err.message}`, { offset: err.offset }));
        continue;
      }
      for (const m of str.matchAll(/\binputs\.([A-Za-z_][A-Za-z0-9_-]*)/g)) {
        if (!inputNames.has(m[1] as string) && str.includes('${')) {
          errors.push(
            pos.at(full, `${where}: there is no input "${m[1]}"`, { offset: m.index ?? 0 }),
          );
        }
      }
      for (const m of str.matchAll(/\bsteps\.([A-Za-z_][A-Za-z0-9_-]*)/g)) {
        if (!index.has(m[1] as string) && str.includes('${')) {
          errors.push(
            pos.at(full, `${where}: there is no step "${m[1]}"`, { offset: m.index ?? 0 }),
          );
        }
      }
    }
  }

  const ordered = errors.length === 0 ? order(steps) : steps;
  if (!Array.isArray(ordered)) {
    const first = ordered.cycle[0] as string;
    const i = index.get(first) ?? 0;
    errors.push(
      pos.at(['steps', i, 'needs'], `steps.${i}.needs: a cycle: ${ordered.cycle.join(' → ')}`),
    );
  }
  if (errors.length > 0 || !Array.isArray(ordered)) {
    errors.sort((a, b) => a.line - b.line || a.column - b.column);
    return {
      ok: false,
      errors,
      partial: { id: flow.id, title: flow.title, description: flow.description ?? '', inputs },
    };
  }
  return {
    ok: true,
    errors: [],
    flow: {
      file,
      text,
      id: flow.id,
      title: flow.title,
      description: flow.description ?? '',
      inputs,
      vars: flow.vars ?? {},
      steps: ordered,
    },
  };
}

export function stepInfo(s: ParsedStep): FlowStepInfo {
  return {
    id: s.id,
    title: s.title ?? s.id,
    kind: s.kind,
    ...(s.on !== undefined ? { on: s.on } : {}),
    needs: s.needsList,
    ...(s.say !== undefined ? { say: s.say } : {}),
    line: s.line,
  };
}
