// A small JSONPath subset for check assertions, evaluated without eval (the popular JSONPath
// libraries evaluate filter scripts; jsonpath-plus had a code-injection CVE, CVE-2024-21534).
// Supported: `$`, `.key`, `['key']`/`["key"]`, `[n]` (negative from the end), `[*]`, `.*`,
// `..key` (recursive descent), `.length` on arrays/strings as a convenience.

export type Segment =
  | { readonly k: 'key'; readonly key: string }
  | { readonly k: 'index'; readonly index: number }
  | { readonly k: 'wild' }
  | { readonly k: 'deep'; readonly key: string | null };

export class JsonPathError extends Error {}

export function parsePath(path: string): Segment[] {
  let i = 0;
  const out: Segment[] = [];
  const fail = (why: string): never => {
    throw new JsonPathError(`bad path "${path}" at ${i + 1}: ${why}`);
  };
  if (path[0] !== '$') fail('must start with $');
  i = 1;
  const ident = (): string => {
    const m = /^[A-Za-z_$][A-Za-z0-9_$-]*/.exec(path.slice(i));
    if (!m) return fail('expected a name');
    i += m[0].length;
    return m[0];
  };
  while (i < path.length) {
    if (path.startsWith('..', i)) {
      i += 2;
      if (path[i] === '*') {
        i++;
        out.push({ k: 'deep', key: null });
      } else out.push({ k: 'deep', key: ident() });
    } else if (path[i] === '.') {
      i++;
      if (path[i] === '*') {
        i++;
        out.push({ k: 'wild' });
      } else out.push({ k: 'key', key: ident() });
    } else if (path[i] === '[') {
      const rest = path.slice(i);
      const m =
        /^\[\s*\*\s*\]/.exec(rest) ??
        /^\[\s*(-?\d+)\s*\]/.exec(rest) ??
        /^\[\s*'((?:[^'\\]|\\.)*)'\s*\]/.exec(rest) ??
        /^\[\s*"((?:[^"\\]|\\.)*)"\s*\]/.exec(rest);
      if (!m) return fail("expected [*], [n] or ['key']");
      i += m[0].length;
      if (m[1] === undefined) out.push({ k: 'wild' });
      else if (/^-?\d+$/.test(m[1]) && !m[0].includes("'") && !m[0].includes('"'))
        out.push({ k: 'index', index: Number(m[1]) });
      else out.push({ k: 'key', key: m[1].replace(/\\(.)/g, '$1') });
    } else fail(`unexpected "${path[i]}"`);
  }
  return out;
}

function children(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v !== null && typeof v === 'object') return Object.values(v);
  return [];
}

function descend(v: unknown, acc: unknown[]): void {
  acc.push(v);
  for (const c of children(v)) descend(c, acc);
}

/** Every value the path selects (empty when nothing matches). */
export function select(root: unknown, path: string | Segment[]): unknown[] {
  const segs = typeof path === 'string' ? parsePath(path) : path;
  let cur: unknown[] = [root];
  for (const s of segs) {
    const next: unknown[] = [];
    for (const v of cur) {
      switch (s.k) {
        case 'key':
          if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, s.key)) {
            next.push((v as Record<string, unknown>)[s.key]);
          } else if (s.key === 'length' && (Array.isArray(v) || typeof v === 'string')) {
            next.push(v.length);
          }
          break;
        case 'index':
          if (Array.isArray(v)) {
            const idx = s.index < 0 ? v.length + s.index : s.index;
            if (idx >= 0 && idx < v.length) next.push(v[idx]);
          }
          break;
        case 'wild':
          next.push(...children(v));
          break;
        case 'deep': {
          const all: unknown[] = [];
          descend(v, all);
          if (s.key === null) next.push(...all.slice(1));
          else
            for (const x of all) {
              if (
                x !== null &&
                typeof x === 'object' &&
                !Array.isArray(x) &&
                Object.hasOwn(x, s.key)
              ) {
                next.push((x as Record<string, unknown>)[s.key]);
              }
            }
          break;
        }
      }
    }
    cur = next;
  }
  return cur;
}

/** Whether the path can select more than one value. */
export function isMulti(segs: Segment[]): boolean {
  return segs.some((s) => s.k === 'wild' || s.k === 'deep');
}
