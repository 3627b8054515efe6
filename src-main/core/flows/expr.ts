// `${…}` expressions of flows: a small, safe evaluator (no eval, no function calls, no
// prototype access). Grammar:
//   expr    := or ;  or := and ('||' and)* ;  and := cmp ('&&' cmp)*
//   cmp     := add (('=='|'!='|'<'|'<='|'>'|'>=') add)?
//   add     := unary (('+'|'-') unary)* ;  unary := ('!'|'-') unary | postfix
//   postfix := primary ('.' name | '[' expr ']')* ;  primary := number | string | true | false
//            | null | name | '(' expr ')'
// Names at the root are the scope's keys (inputs, vars, steps, hosts, run). A string that is
// exactly one `${…}` keeps the value's type; otherwise the pieces are joined as text.

export class ExprError extends Error {
  /** 0-based offset in the expression text. */
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'ExprError';
  }
}

export type Scope = Readonly<Record<string, unknown>>;

type Tok =
  | { t: 'num'; v: number; at: number }
  | { t: 'str'; v: string; at: number }
  | { t: 'name'; v: string; at: number }
  | { t: 'op'; v: string; at: number }
  | { t: 'end'; at: number };

const OPS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '+', '-', '.', '[', ']', '(', ')'];

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ t: 'num', v: Number(m[0]), at: i });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ t: 'name', v: m[0], at: i });
      i += m[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let v = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        v += src[j];
        j++;
      }
      if (j >= src.length) throw new ExprError('a string is not closed', i);
      out.push({ t: 'str', v, at: i });
      i = j + 1;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExprError(`unexpected character "${c}"`, i);
    out.push({ t: 'op', v: op, at: i });
    i += op.length;
  }
  out.push({ t: 'end', at: src.length });
  return out;
}

const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

function member(obj: unknown, key: unknown, at: number): unknown {
  if (obj === null || obj === undefined) return undefined;
  const k = typeof key === 'number' ? key : String(key);
  if (typeof k === 'string' && FORBIDDEN.has(k)) throw new ExprError(`"${k}" is not allowed`, at);
  if (Array.isArray(obj) && k === 'length') return obj.length;
  if (typeof obj !== 'object') return undefined;
  return Object.prototype.hasOwnProperty.call(obj, k)
    ? (obj as Record<string | number, unknown>)[k]
    : undefined;
}

function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return Boolean(v);
}

class Parser {
  private i = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly scope: Scope,
    /** false: syntax only (every name is known and undefined). */
    private readonly checkNames = true,
  ) {}

  private peek(): Tok {
    return this.toks[this.i] as Tok;
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.v === v;
  }
  private expect(v: string): void {
    if (!this.isOp(v)) throw new ExprError(`expected "${v}"`, this.peek().at);
    this.i++;
  }

  parseAll(): unknown {
    const v = this.or();
    const t = this.peek();
    if (t.t !== 'end') throw new ExprError('unexpected text after the expression', t.at);
    return v;
  }

  private or(): unknown {
    let v = this.and();
    while (this.isOp('||')) {
      this.i++;
      const r = this.and();
      v = truthy(v) ? v : r;
    }
    return v;
  }
  private and(): unknown {
    let v = this.cmp();
    while (this.isOp('&&')) {
      this.i++;
      const r = this.cmp();
      v = truthy(v) ? r : v;
    }
    return v;
  }
  private cmp(): unknown {
    const l = this.add();
    const t = this.peek();
    if (t.t !== 'op' || !['==', '!=', '<', '<=', '>', '>='].includes(t.v)) return l;
    this.i++;
    const r = this.add();
    switch (t.v) {
      case '==':
        return looseEq(l, r);
      case '!=':
        return !looseEq(l, r);
      default: {
        const [a, b] =
          typeof l === 'number' || typeof r === 'number'
            ? [Number(l), Number(r)]
            : [String(l), String(r)];
        if (t.v === '<') return a < b;
        if (t.v === '<=') return a <= b;
        if (t.v === '>') return a > b;
        return a >= b;
      }
    }
  }
  private add(): unknown {
    let v = this.unary();
    for (;;) {
      if (this.isOp('+')) {
        this.i++;
        const r = this.unary();
        v = typeof v === 'number' && typeof r === 'number' ? v + r : text(v) + text(r);
      } else if (this.isOp('-')) {
        const at = this.peek().at;
        this.i++;
        const r = this.unary();
        if (typeof v !== 'number' || typeof r !== 'number') {
          if (this.checkNames) throw new ExprError('"-" needs two numbers', at);
          v = 0;
        } else v = v - r;
      } else return v;
    }
  }
  private unary(): unknown {
    if (this.isOp('!')) {
      this.i++;
      return !truthy(this.unary());
    }
    if (this.isOp('-')) {
      const at = this.peek().at;
      this.i++;
      const v = this.unary();
      if (typeof v !== 'number') {
        if (this.checkNames) throw new ExprError('"-" needs a number', at);
        return 0;
      }
      return -v;
    }
    return this.postfix();
  }
  private postfix(): unknown {
    let v = this.primary();
    for (;;) {
      if (this.isOp('.')) {
        this.i++;
        const t = this.peek();
        if (t.t !== 'name') throw new ExprError('expected a name after "."', t.at);
        this.i++;
        v = member(v, t.v, t.at);
      } else if (this.isOp('[')) {
        const at = this.peek().at;
        this.i++;
        const k = this.or();
        this.expect(']');
        v = member(v, k, at);
      } else return v;
    }
  }
  private primary(): unknown {
    const t = this.peek();
    this.i++;
    if (t.t === 'num' || t.t === 'str') return t.v;
    if (t.t === 'name') {
      if (t.v === 'true') return true;
      if (t.v === 'false') return false;
      if (t.v === 'null') return null;
      if (!this.checkNames) return undefined;
      if (!Object.prototype.hasOwnProperty.call(this.scope, t.v)) {
        const known = Object.keys(this.scope).join(', ');
        throw new ExprError(`unknown name "${t.v}" (known: ${known})`, t.at);
      }
      return this.scope[t.v];
    }
    if (t.t === 'op' && t.v === '(') {
      const v = this.or();
      this.expect(')');
      return v;
    }
    throw new ExprError(t.t === 'end' ? 'the expression ends too early' : 'unexpected token', t.at);
  }
}

function looseEq(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  if (typeof a === 'boolean' || typeof b === 'boolean') return truthy(a) === truthy(b);
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return false;
  return text(a) === text(b);
}

/** A value as text inside a string: objects as JSON, null/undefined as ''. */
export function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  if (typeof v === 'string') return v;
  return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : '';
}

export function evaluate(expression: string, scope: Scope): unknown {
  return new Parser(tokenize(expression), scope).parseAll();
}

export interface TemplatePart {
  readonly literal?: string;
  readonly expr?: string;
  /** Offset of the expression text (after `${`) in the template. */
  readonly offset: number;
}

/** Splits `a ${x} b` into parts; `$${` is a literal `${`. */
export function splitTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let i = 0;
  let lit = '';
  while (i < template.length) {
    if (template.startsWith('$${', i)) {
      lit += '${';
      i += 3;
      continue;
    }
    if (template.startsWith('${', i)) {
      const end = template.indexOf('}', i + 2);
      if (end < 0) throw new ExprError('"${" is not closed with "}"', i);
      if (lit) parts.push({ literal: lit, offset: i - lit.length });
      lit = '';
      parts.push({ expr: template.slice(i + 2, end), offset: i + 2 });
      i = end + 1;
      continue;
    }
    lit += template[i];
    i++;
  }
  if (lit) parts.push({ literal: lit, offset: i - lit.length });
  return parts;
}

export function hasExpression(s: string): boolean {
  return splitTemplate(s).some((p) => p.expr !== undefined);
}

/** Evaluates a template: one whole `${…}` keeps its type; else text. Offsets are the template's. */
export function interpolate(template: string, scope: Scope): unknown {
  const parts = splitTemplate(template);
  const only = parts.length === 1 ? parts[0] : undefined;
  const run = (p: TemplatePart): unknown => {
    try {
      return evaluate(p.expr as string, scope);
    } catch (e) {
      if (e instanceof ExprError) throw new ExprError(e.message, p.offset + e.offset);
      throw e;
    }
  };
  if (only?.expr !== undefined) return run(only);
  return parts.map((p) => (p.expr !== undefined ? text(run(p)) : p.literal)).join('');
}

/** Deeply interpolates every string of a value (objects and arrays are copied). */
export function interpolateDeep(value: unknown, scope: Scope): unknown {
  if (typeof value === 'string') return interpolate(value, scope);
  if (Array.isArray(value)) return value.map((v) => interpolateDeep(v, scope));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = interpolateDeep(v, scope);
    return out;
  }
  return value;
}

/** Checks the syntax of every `${…}` (names are checked at run time). Returns the first error. */
export function checkTemplate(template: string): ExprError | null {
  try {
    for (const p of splitTemplate(template)) {
      if (p.expr === undefined) continue;
      try {
        new Parser(tokenize(p.expr), {}, false).parseAll();
      } catch (e) {
        if (e instanceof ExprError) return new ExprError(e.message, p.offset + e.offset);
        throw e;
      }
    }
    return null;
  } catch (e) {
    if (e instanceof ExprError) return e;
    throw e;
  }
}
