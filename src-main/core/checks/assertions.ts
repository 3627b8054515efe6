// JSON assertions of a check, evaluated against a parsed body. Each gives ok + a message that
// says what was expected and what was there.
import { isDeepStrictEqual } from 'node:util';

import type { Assertion, AssertionResult } from '../../shared/models/checks';
import { isMulti, JsonPathError, parsePath, select } from './jsonpath';

function show(v: unknown): string {
  const s = v === undefined ? 'undefined' : JSON.stringify(v);
  return s.length > 200 ? `${s.slice(0, 197)}...` : s;
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

function holds(a: Assertion, v: unknown): string | undefined {
  const val = a.value;
  switch (a.op) {
    case 'exists':
    case 'absent':
      return undefined;
    case 'equals':
      return isDeepStrictEqual(v, val) ? undefined : `expected ${show(val)}, got ${show(v)}`;
    case 'notEquals':
      return isDeepStrictEqual(v, val) ? `expected anything but ${show(val)}` : undefined;
    case 'contains':
      if (typeof v === 'string')
        return v.includes(String(val)) ? undefined : `${show(v)} does not contain ${show(val)}`;
      if (Array.isArray(v))
        return v.some((x) => isDeepStrictEqual(x, val)) ? undefined : `array has no ${show(val)}`;
      return `cannot look inside ${typeName(v)}`;
    case 'matches': {
      let re: RegExp;
      try {
        re = new RegExp(String(val));
      } catch (e) {
        return `bad pattern: ${(e as Error).message}`;
      }
      return typeof v === 'string' && re.test(v)
        ? undefined
        : `${show(v)} does not match /${String(val)}/`;
    }
    case 'type':
      return typeName(v) === val ? undefined : `expected ${String(val)}, got ${typeName(v)}`;
    case 'gte':
    case 'lte': {
      if (typeof v !== 'number' || typeof val !== 'number')
        return `expected numbers, got ${typeName(v)}`;
      const ok = a.op === 'gte' ? v >= val : v <= val;
      return ok ? undefined : `${v} is not ${a.op === 'gte' ? '≥' : '≤'} ${val}`;
    }
    case 'lengthGte':
    case 'lengthLte': {
      const len =
        Array.isArray(v) || typeof v === 'string'
          ? v.length
          : v !== null && typeof v === 'object'
            ? Object.keys(v).length
            : undefined;
      if (len === undefined || typeof val !== 'number') return `no length on ${typeName(v)}`;
      const ok = a.op === 'lengthGte' ? len >= val : len <= val;
      return ok ? undefined : `length ${len} is not ${a.op === 'lengthGte' ? '≥' : '≤'} ${val}`;
    }
    case 'oneOf':
      return Array.isArray(val) && val.some((x) => isDeepStrictEqual(x, v))
        ? undefined
        : `${show(v)} is not one of ${show(val)}`;
  }
}

export function evaluate(a: Assertion, body: unknown): AssertionResult {
  const base = { path: a.path, op: a.op };
  let matches: unknown[];
  let multi: boolean;
  try {
    const segs = parsePath(a.path);
    multi = isMulti(segs);
    matches = select(body, segs);
  } catch (e) {
    return { ...base, ok: false, message: e instanceof JsonPathError ? e.message : String(e) };
  }
  const actual = matches.length ? show(matches[0]) : undefined;
  const withActual = actual !== undefined ? { actual } : {};
  if (a.op === 'absent') {
    return matches.length === 0
      ? { ...base, ok: true, message: `${a.path} is absent` }
      : { ...base, ok: false, message: `${a.path} is present`, ...withActual };
  }
  if (matches.length === 0) return { ...base, ok: false, message: `${a.path} matches nothing` };
  if (a.op === 'exists') return { ...base, ok: true, message: `${a.path} exists`, ...withActual };
  const fails = matches.map((m) => ({ m, why: holds(a, m) }));
  const bad = fails.filter((f) => f.why !== undefined);
  const ok = a.quantifier === 'some' ? bad.length < fails.length : bad.length === 0;
  if (ok)
    return {
      ...base,
      ok,
      message: `${a.path} ${a.op} ${a.value === undefined ? '' : show(a.value)}`.trim(),
      ...withActual,
    };
  const first = bad[0]!;
  const where = multi ? ` (${bad.length} of ${matches.length} matches)` : '';
  return { ...base, ok, message: `${a.path}: ${first.why}${where}`, actual: show(first.m) };
}
