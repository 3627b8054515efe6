// Ansible YAML inventories, read the way ansible's yaml inventory plugin reads them: top-level
// groups, each a mapping of `hosts` / `children` / `vars` (nested to any depth), hosts as
// `name: {vars}` (or null), host ranges and `host:port` as in INI. What Ansible skips with a
// warning we skip with a positioned warning; what it refuses we refuse with file, line, column.
import { readFileSync } from 'node:fs';
import {
  isMap,
  isScalar,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
  type YAMLMap,
} from 'yaml';
import { AppError } from '../../shared/errors';
import { expandInventoryHost, loadAnsibleIni, parseAnsibleIni } from './ansible-ini';
import {
  InventoryBuilder,
  posError,
  type Inventory,
  type SourcePos,
  type VarEntry,
  type VarValue,
} from './inventory';

const SECTIONS = ['hosts', 'children', 'vars'] as const;

class YamlReader {
  readonly b: InventoryBuilder;
  private readonly lc = new LineCounter();
  private doc!: Document;

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {
    this.b = new InventoryBuilder(file);
  }

  pos(node: unknown): SourcePos {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    const { line, col } = this.lc.linePos(range?.[0] ?? 0);
    return { file: this.file, line, column: col };
  }

  private keyName(key: unknown): string {
    if (isScalar(key) && (typeof key.value === 'string' || typeof key.value === 'number'))
      return String(key.value);
    throw posError(this.pos(key), 'expected a plain name here');
  }

  private value(node: unknown): VarValue {
    if (node === null || node === undefined) return null;
    return (node as Node).toJS(this.doc, { maxAliasCount: 100 }) as VarValue;
  }

  read(): Inventory {
    this.doc = parseDocument(this.text, { lineCounter: this.lc, merge: true, prettyErrors: false });
    const err = this.doc.errors[0];
    if (err) {
      // An error that starts on a line break belongs to the next line (yaml reports BAD_INDENT so).
      const at =
        /[\r\n]/.test(this.text[err.pos[0]] ?? '') && err.pos[1] > err.pos[0]
          ? err.pos[1]
          : err.pos[0];
      const lp = this.lc.linePos(at);
      const reason = err.message.split('\n')[0] ?? err.message;
      throw posError({ file: this.file, line: lp.line, column: lp.col }, `YAML: ${reason}`);
    }
    const root = this.doc.contents;
    if (root === null || (isScalar(root) && root.value === null)) {
      throw posError({ file: this.file, line: 1, column: 1 }, 'the YAML inventory is empty');
    }
    if (!isMap(root))
      throw posError(this.pos(root), 'a YAML inventory must be a mapping of groups');
    for (const pair of root.items)
      this.group(this.keyName(pair.key), pair.value, this.pos(pair.key));
    return this.b.build();
  }

  private group(name: string, data: unknown, at: SourcePos): void {
    const isNull = data === null || (isScalar(data) && data.value === null);
    if (!isNull && !isMap(data)) {
      this.b.warn(at, `skipping "${name}": not a valid group definition (expected a mapping)`);
      return;
    }
    this.b.group(name, at);
    if (isNull) return;
    const map = data as YAMLMap;
    for (const pair of map.items) {
      const key = this.keyName(pair.key);
      const v = pair.value;
      const kpos = this.pos(pair.key);
      if (!(SECTIONS as readonly string[]).includes(key)) {
        this.b.warn(
          kpos,
          `skipping unexpected key "${key}" in group "${name}": only vars, children and hosts are valid`,
        );
        continue;
      }
      if (v === null || (isScalar(v) && v.value === null)) continue;
      if (isScalar(v) && typeof v.value === 'string' && key !== 'vars') {
        // Ansible allows `hosts: name` / `children: name` as a one-entry mapping.
        if (key === 'hosts') this.hosts(name, [{ key: v, value: null }]);
        else this.children(name, [{ key: v, value: null }]);
        continue;
      }
      if (!isMap(v)) {
        throw posError(
          this.pos(v),
          `invalid "${key}" entry for group "${name}": expected a mapping`,
        );
      }
      if (key === 'vars') {
        for (const p of v.items)
          this.b.setGroupVar(name, this.keyName(p.key), {
            value: this.value(p.value),
            pos: this.pos(p.key),
          });
      } else if (key === 'children') this.children(name, v.items);
      else this.hosts(name, v.items);
    }
  }

  private children(parent: string, items: readonly { key: unknown; value: unknown }[]): void {
    for (const p of items) {
      const child = this.keyName(p.key);
      const at = this.pos(p.key);
      this.group(child, p.value, at);
      this.b.addChild(parent, child, at);
    }
  }

  private hosts(group: string, items: readonly { key: unknown; value: unknown }[]): void {
    for (const p of items) {
      const at = this.pos(p.key);
      const { names, port } = expandInventoryHost(this.keyName(p.key), at);
      const vars = new Map<string, VarEntry>();
      const v = p.value;
      if (v !== null && !(isScalar(v) && v.value === null)) {
        if (!isMap(v))
          throw posError(this.pos(v), `host vars of "${this.keyName(p.key)}" must be a mapping`);
        for (const q of v.items)
          vars.set(this.keyName(q.key), { value: this.value(q.value), pos: this.pos(q.key) });
      }
      if (port !== undefined && !vars.has('ansible_port'))
        vars.set('ansible_port', { value: port, pos: at });
      for (const n of names) this.b.addHost(group, n, at, vars);
    }
  }
}

/** Parses YAML inventory text. `file` is used for positions only. */
export function parseAnsibleYaml(text: string, file: string): Inventory {
  return new YamlReader(text, file).read();
}

/** Reads a YAML inventory file. */
export function loadAnsibleYaml(file: string): Inventory {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not_found' : 'unavailable';
    throw new AppError(code, `cannot read ${file}: ${(err as Error).message}`, { file });
  }
  return parseAnsibleYaml(text, file);
}

/** Reads an inventory file, INI or YAML (by extension, else by sniffing the first line). */
export function loadInventoryFile(file: string): Inventory {
  if (/\.ya?ml$/i.test(file)) return loadAnsibleYaml(file);
  if (/\.(ini|cfg)$/i.test(file)) return loadAnsibleIni(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not_found' : 'unavailable';
    throw new AppError(code, `cannot read ${file}: ${(err as Error).message}`, { file });
  }
  const first = text.split('\n').find((l) => l.trim() !== '' && !/^\s*[#;]/.test(l)) ?? '';
  const looksYaml = /^---/.test(first) || /^[^=[\s][^=]*:\s*(#.*)?$/.test(first);
  return looksYaml ? parseAnsibleYaml(text, file) : parseAnsibleIni(text, file);
}
