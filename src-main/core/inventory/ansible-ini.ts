// Ansible INI inventories, read the way ansible's ini inventory plugin reads them: sections
// [group], [group:children], [group:vars]; host lines split like shlex (`#` comments), inline
// key=value vars whose values go through a literal_eval (quotes, numbers, lists); `host:port`;
// ranges node[01:16] / [a:f] / [0:10:2]; hosts outside a section are `ungrouped`. A group used
// in :vars or :children that is never declared is an error, as in Ansible. Every error names
// file, line and column. Values are data: nothing is ever run or expanded.
import { readFileSync } from 'node:fs';
import { AppError } from '../../shared/errors';
import {
  InventoryBuilder,
  posError,
  type Inventory,
  type SourcePos,
  type VarEntry,
  type VarValue,
} from './inventory';
import { expandHostRanges } from './patterns';
import { shlexSplit } from './ssh-args';

/** Python's ast.literal_eval for the small set of literals inventories use; else the raw text. */
export function literalValue(text: string): VarValue {
  const p = new LiteralParser(text.trim());
  try {
    const v = p.value();
    p.skipWs();
    if (p.i !== p.s.length) return text;
    return v;
  } catch {
    return text;
  }
}

class LiteralParser {
  i = 0;
  constructor(readonly s: string) {}
  skipWs(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i += 1;
  }
  value(): VarValue {
    this.skipWs();
    const c = this.s[this.i];
    if (c === "'" || c === '"') return this.str(c);
    if (c === '[' || c === '(') return this.list(c === '[' ? ']' : ')');
    const m = /^(?:[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|True|False|None)(?![\w.])/.exec(
      this.s.slice(this.i),
    );
    if (!m) throw new Error('not a literal');
    this.i += m[0].length;
    if (m[0] === 'True') return true;
    if (m[0] === 'False') return false;
    if (m[0] === 'None') return null;
    return Number(m[0]);
  }
  str(q: string): string {
    let out = '';
    this.i += 1;
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (c === q) {
        this.i += 1;
        return out;
      }
      if (c === '\\' && this.i + 1 < this.s.length) {
        const n = this.s[this.i + 1]!;
        out +=
          ({ n: '\n', t: '\t', '\\': '\\', "'": "'", '"': '"' } as Record<string, string>)[n] ??
          `\\${n}`;
        this.i += 2;
      } else {
        out += c;
        this.i += 1;
      }
    }
    throw new Error('unterminated string');
  }
  list(close: string): VarValue[] {
    const out: VarValue[] = [];
    this.i += 1;
    for (;;) {
      this.skipWs();
      if (this.s[this.i] === close) {
        this.i += 1;
        return out;
      }
      out.push(this.value());
      this.skipWs();
      if (this.s[this.i] === ',') this.i += 1;
      else if (this.s[this.i] !== close) throw new Error('bad list');
    }
  }
}

/** Splits Ansible's `host:port` / `[v6]:port` off a host pattern (ranges allowed). */
export function splitHostPort(pattern: string): { pattern: string; port?: number } {
  const v6 = /^\[([0-9A-Fa-f:.]+)\]:(\d+)$/.exec(pattern);
  if (v6) return { pattern: v6[1]!, port: Number(v6[2]) };
  const m = /^(.+):(\d+)$/.exec(pattern);
  if (m && !m[1]!.replace(/\[[^\]]*\]/g, '').includes(':'))
    return { pattern: m[1]!, port: Number(m[2]) };
  return { pattern };
}

/** Expands a host pattern of an inventory file, errors at `pos` (column of the pattern). */
export function expandInventoryHost(
  raw: string,
  pos: SourcePos,
): { names: string[]; port?: number } {
  const { pattern, port } = splitHostPort(raw);
  if (port !== undefined && (port < 1 || port > 65535)) throw posError(pos, `bad port in "${raw}"`);
  try {
    const names = pattern.includes('[') ? expandHostRanges(pattern) : [pattern];
    return port === undefined ? { names } : { names, port };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const rel = typeof err.details?.column === 'number' ? err.details.column - 1 : 0;
    throw posError({ ...pos, column: pos.column + rel }, err.message);
  }
}

const HEADER = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:[#;].*)?$/;

interface Pending {
  readonly pos: SourcePos;
  readonly state: 'vars' | 'children';
  readonly parent: string;
}

/** Parses INI inventory text. `file` is used for positions only. */
export function parseAnsibleIni(text: string, file: string): Inventory {
  const b = new InventoryBuilder(file);
  const declared = new Set<string>(['all', 'ungrouped']);
  const pending = new Map<string, Pending>();
  let group = 'ungrouped';
  let state: 'hosts' | 'vars' | 'children' = 'hosts';
  const declare = (name: string) => {
    declared.add(name);
    pending.delete(name);
  };
  text.split('\n').forEach((rawLine, index) => {
    const raw = rawLine.replace(/\r$/, '');
    const lineNo = index + 1;
    const indent = raw.length - raw.trimStart().length;
    const line = raw.trim();
    const pos = (offset = 0): SourcePos => ({ file, line: lineNo, column: indent + offset + 1 });
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const header = HEADER.exec(line);
    if (header) {
      group = header[1]!;
      const kind = header[2] ?? 'hosts';
      if (kind !== 'hosts' && kind !== 'vars' && kind !== 'children') {
        throw posError(
          pos(group.length + 2),
          `section [${group}:${kind}] has unknown type: ${kind}`,
        );
      }
      state = kind;
      b.group(group, pos(1));
      if (state === 'vars') {
        if (!declared.has(group) && !pending.has(group))
          pending.set(group, { pos: pos(), state, parent: group });
      } else declare(group);
      return;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      throw posError(
        pos(),
        `invalid section entry "${line}": no spaces are allowed in section names`,
      );
    }
    if (state === 'vars') {
      const eq = line.indexOf('=');
      if (eq < 0) throw posError(pos(), `expected key=value, got: ${line}`);
      const key = line.slice(0, eq).trim();
      if (key === '') throw posError(pos(), 'a variable needs a name before "="');
      const value = literalValue(line.slice(eq + 1).trim());
      b.setGroupVar(group, key, { value, pos: pos() });
      return;
    }
    if (state === 'children') {
      const child = line.split(/\s+/)[0]!.replace(/[#;].*$/, '');
      if (!declared.has(child)) pending.set(child, { pos: pos(), state, parent: group });
      b.addChild(group, child, pos());
      return;
    }
    const split = shlexSplit(line, { comments: true });
    if (split.error) {
      throw posError(
        pos(split.error.offset),
        `error parsing host definition: ${split.error.message}`,
      );
    }
    const [first, ...rest] = split.tokens;
    if (!first) return;
    const vars = new Map<string, VarEntry>();
    for (const t of rest) {
      const eq = t.value.indexOf('=');
      if (eq <= 0)
        throw posError(
          pos(t.offset),
          `expected key=value host variable assignment, got: ${t.value}`,
        );
      vars.set(t.value.slice(0, eq), {
        value: literalValue(t.value.slice(eq + 1)),
        pos: pos(t.offset),
      });
    }
    const { names, port } = expandInventoryHost(first.value, pos(first.offset));
    if (port !== undefined) vars.set('ansible_port', { value: port, pos: pos(first.offset) });
    for (const name of names) b.addHost(group, name, pos(first.offset), vars);
  });
  for (const [name, p] of pending) {
    if (declared.has(name)) continue;
    throw posError(
      p.pos,
      p.state === 'vars'
        ? `section [${name}:vars] is not valid for undefined group: ${name}`
        : `section [${p.parent}:children] includes undefined group: ${name}`,
    );
  }
  return b.build();
}

/** Reads an INI inventory file. */
export function loadAnsibleIni(file: string): Inventory {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not_found' : 'unavailable';
    throw new AppError(code, `cannot read ${file}: ${(err as Error).message}`, { file });
  }
  return parseAnsibleIni(text, file);
}
