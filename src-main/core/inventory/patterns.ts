// ONE parser for host patterns, shared by the CLI and the UI (Ansible-style, plus `@group`):
//   all | *            every host
//   name, node*        a host name or a glob (`*`, `?`)
//   node[01-16]        ranges, `-` or `:` (`[1:8]`, step `[0:10:2]`, letters `[a:f]`); padding kept
//   @group             a group; a bare group name works when no host has that name
//   a,b  a:b           union (`:` separates only outside brackets and not as `host:port`)
//   &x  !x             intersection, exclusion (applied after the unions, as Ansible does)
//   ~regex             a JavaScript regular expression over host names
// Unknown names are reported, not fatal; syntax errors carry the column (1-based).
import { AppError } from '../../shared/errors';

/** What resolution needs: plain data, so an Inventory (or a DTO of it) serves as it is. */
export interface PatternInventory {
  /** `groups`: every group the host is in, directly or through child groups. */
  readonly hosts: readonly { readonly name: string; readonly groups: readonly string[] }[];
  readonly groups: readonly { readonly name: string }[];
}

/** Host names of a group (with its child groups' hosts), in inventory order. */
export function membersOf(inv: PatternInventory, group: string): string[] {
  return inv.hosts.filter((h) => group === 'all' || h.groups.includes(group)).map((h) => h.name);
}

export interface PatternResult {
  /** Matching host names, in inventory order. */
  readonly hosts: string[];
  /** Terms that matched nothing (reported, not fatal). */
  readonly unknown: string[];
  readonly error?: { readonly message: string; readonly column: number };
}

const MAX_EXPANSION = 100_000;

/** Ansible's expand_hostname_range: expands every `[a:b]` / `[a:b:s]` (and `[a-b]` when allowed). */
export function expandHostRanges(pattern: string, options: { dash?: boolean } = {}): string[] {
  const open = pattern.indexOf('[');
  if (open < 0) return [pattern];
  const close = pattern.indexOf(']', open);
  if (close < 0)
    throw new AppError('invalid_input', `unclosed "[" in "${pattern}"`, { column: open + 1 });
  const head = pattern.slice(0, open);
  const body = pattern.slice(open + 1, close);
  const tail = pattern.slice(close + 1);
  const sep = body.includes(':') ? ':' : options.dash && body.includes('-') ? '-' : undefined;
  if (sep === undefined) {
    throw new AppError('invalid_input', `"[${body}]" is not a range like [1:8]`, {
      column: open + 1,
    });
  }
  const parts = body.split(sep);
  if (parts.length > 3)
    throw new AppError('invalid_input', `too many parts in range "[${body}]"`, {
      column: open + 1,
    });
  const [begText = '', end = '', stepText = '1'] = parts;
  const beg = begText === '' ? '0' : begText;
  const fail = (msg: string): never => {
    throw new AppError('invalid_input', `host range "[${body}]" ${msg}`, { column: open + 1 });
  };
  if (end === '') fail('must specify an end value');
  if (!/^\d+$/.test(stepText) || Number(stepText) < 1) fail('has an invalid step');
  const step = Number(stepText);
  let seq: string[] = [];
  if (/^[A-Za-z]$/.test(beg) && /^[A-Za-z]$/.test(end)) {
    const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const b = letters.indexOf(beg);
    const e = letters.indexOf(end);
    if (b > e) fail('must have begin <= end');
    for (let i = b; i <= e; i += step) seq.push(letters[i]!);
  } else if (/^\d+$/.test(beg) && /^\d+$/.test(end)) {
    const padded = beg.length > 1 && beg.startsWith('0');
    if (padded && beg.length !== end.length)
      fail('must use equal-length begin and end when zero-padded');
    const b = Number(beg);
    const e = Number(end);
    if (b > e) fail('must have begin <= end');
    if ((e - b) / step > MAX_EXPANSION) fail('is too large');
    for (let i = b; i <= e; i += step)
      seq.push(padded ? String(i).padStart(beg.length, '0') : String(i));
  } else fail('must be numbers or single letters');
  const rest = expandHostRanges(tail, options);
  if (seq.length * rest.length > MAX_EXPANSION) fail('expands to too many names');
  seq = seq.flatMap((s) => rest.map((r) => `${head}${s}${r}`));
  return seq;
}

type Op = '|' | '&' | '!';
interface Term {
  readonly op: Op;
  readonly text: string;
  readonly column: number;
}

/**
 * Splits into terms: `,` and `:` separate (outside brackets); `&` and `!` also start a new term
 * (`@lab&@ctl`, `@rack3 & @cuda12 ! gpu07`). In a `~regex` term only `,` separates.
 */
function splitTerms(pattern: string): Term[] {
  const terms: Term[] = [];
  let depth = 0;
  let start = 0;
  const push = (end: number) => {
    const raw = pattern.slice(start, end);
    const ops = /^[\s&!]*/.exec(raw)![0];
    const op: Op = ops.includes('!') ? '!' : ops.includes('&') ? '&' : '|';
    const text = raw.slice(ops.length).trim();
    const opAt = Math.max(ops.lastIndexOf('!'), ops.lastIndexOf('&'));
    // Point at the text, or at the operator when the text is missing.
    const column = start + (text === '' && opAt >= 0 ? opAt : ops.length) + 1;
    terms.push({ op, text, column });
  };
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i]!;
    const sofar = pattern.slice(start, i);
    const body = sofar.replace(/^[\s&!]*/, '');
    const inRegex = body.startsWith('~');
    if (inRegex) {
      if (c === ',') {
        push(i);
        start = i + 1;
      }
      continue;
    }
    if (c === '[') depth += 1;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (depth === 0 && (c === ',' || c === ':')) {
      push(i);
      start = i + 1;
    } else if (depth === 0 && (c === '&' || c === '!') && body.trim() !== '') {
      push(i);
      start = i;
    }
  }
  push(pattern.length);
  return terms;
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

function matchTerm(
  text: string,
  column: number,
  inv: PatternInventory,
  hostNames: Set<string>,
): Set<string> {
  const all = inv.hosts.map((h) => h.name);
  if (text === 'all' || text === '*') return new Set(all);
  if (text.startsWith('~')) {
    let re: RegExp;
    try {
      re = new RegExp(text.slice(1));
    } catch (err) {
      throw new AppError('invalid_input', `bad regular expression: ${(err as Error).message}`, {
        column,
      });
    }
    return new Set(all.filter((n) => re.test(n)));
  }
  if (text.startsWith('@')) {
    const g = text.slice(1);
    if (!inv.groups.some((x) => x.name === g)) return new Set();
    return new Set(membersOf(inv, g));
  }
  let names: string[];
  try {
    names = expandHostRanges(text, { dash: true });
  } catch (err) {
    const e = err as AppError;
    const rel = typeof e.details?.column === 'number' ? e.details.column - 1 : 0;
    throw new AppError('invalid_input', e.message, { column: column + rel });
  }
  const out = new Set<string>();
  for (const name of names) {
    if (/[*?]/.test(name)) {
      const re = globToRegExp(name);
      for (const n of all) if (re.test(n)) out.add(n);
      for (const g of inv.groups)
        if (re.test(g.name)) for (const m of membersOf(inv, g.name)) out.add(m);
    } else if (hostNames.has(name)) out.add(name);
    else if (inv.groups.some((g) => g.name === name))
      for (const m of membersOf(inv, name)) out.add(m);
  }
  return out;
}

/** Resolves a pattern against an inventory. Never throws for user input: errors come back. */
export function resolvePattern(pattern: string, inventory: PatternInventory): PatternResult {
  const unknown: string[] = [];
  const hostNames = new Set(inventory.hosts.map((h) => h.name));
  const trimmed = pattern.trim();
  if (trimmed === '')
    return { hosts: [], unknown, error: { message: 'the pattern is empty', column: 1 } };
  let terms: Term[];
  try {
    terms = splitTerms(pattern);
    const union = new Set<string>();
    const intersections: Set<string>[] = [];
    const exclusions: Set<string>[] = [];
    for (const t of terms) {
      if (t.text === '') {
        throw new AppError('invalid_input', 'empty term in the pattern', { column: t.column });
      }
      const set = matchTerm(t.text, t.column, inventory, hostNames);
      if (set.size === 0) unknown.push(t.text);
      if (t.op === '|') for (const n of set) union.add(n);
      else if (t.op === '&') intersections.push(set);
      else exclusions.push(set);
    }
    // Ansible: a pattern made only of `&`/`!` terms starts from all hosts.
    const base = terms.some((t) => t.op === '|') ? union : new Set(hostNames);
    const hosts = inventory.hosts
      .map((h) => h.name)
      .filter((n) => base.has(n))
      .filter((n) => intersections.every((s) => s.has(n)))
      .filter((n) => !exclusions.some((s) => s.has(n)));
    return { hosts, unknown };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const column = typeof err.details?.column === 'number' ? err.details.column : 1;
    return { hosts: [], unknown, error: { message: err.message, column } };
  }
}

export interface PatternPreview extends PatternResult {
  /** How many hosts matched. */
  readonly count: number;
  /** The first `limit` host names, for the UI's list. */
  readonly sample: string[];
}

/** The same resolution, shaped for the UI's live preview. */
export function previewPattern(
  pattern: string,
  inventory: PatternInventory,
  limit = 50,
): PatternPreview {
  const r = resolvePattern(pattern, inventory);
  return { ...r, count: r.hosts.length, sample: r.hosts.slice(0, limit) };
}
