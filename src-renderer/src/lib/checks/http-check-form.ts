// The "new HTTP check" form: text fields in, a checked definition (or errors per field) out.
// The backend validates again (zod); this only spares the user a round trip for plain mistakes.

import type { Assertion, CheckDefInput } from '@shared/models/checks';

export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof METHODS)[number];

/** What a person writes between the path and the value, and the contract's operator. */
const OPS: Record<string, Assertion['op']> = {
  '==': 'equals',
  '!=': 'notEquals',
  exists: 'exists',
  absent: 'absent',
  contains: 'contains',
  matches: 'matches',
  type: 'type',
  '>=': 'gte',
  '<=': 'lte',
  'length>=': 'lengthGte',
  'length<=': 'lengthLte',
  in: 'oneOf',
};
const NO_VALUE = new Set(['exists', 'absent']);
const NUMERIC = new Set(['>=', '<=', 'length>=', 'length<=']);
const TYPES = new Set(['array', 'object', 'string', 'number', 'boolean', 'null']);

export interface HttpCheckFields {
  name: string;
  method: HttpMethod;
  /** Absolute http(s) URL, or a catalog reference "service-type:/path" (e.g. platform:/v1/ihosts). */
  target: string;
  headers: string;
  body: string;
  expectedStatus: string;
  assertions: string;
  timeoutSec: string;
  budgetMs: string;
}

export type JsonAssertion = Pick<Assertion, 'path' | 'op'> & { readonly value?: unknown };

export type CheckTarget =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'catalog'; readonly serviceType: string; readonly path: string };

/** A value as JSON when it reads as JSON (`3`, `true`, `"x"`, `[1,2]`), else the text itself. */
export function jsonish(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export type FieldErrors = Partial<Record<keyof HttpCheckFields, string>>;

export function emptyFields(): HttpCheckFields {
  return {
    name: '',
    method: 'GET',
    target: '',
    headers: 'Accept: application/json',
    body: '',
    expectedStatus: '200',
    assertions: '',
    timeoutSec: '10',
    budgetMs: '',
  };
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/i;
const CATALOG = /^([a-z][a-z0-9-]*):(\/(?!\/)\S*)$/;
const HEADER = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*:\s*(.*)$/;

export function parseTarget(text: string): CheckTarget | string {
  const t = text.trim();
  if (!t) return 'Give a URL (https://…) or a catalog reference such as platform:/v1/ihosts.';
  const ref = CATALOG.exec(t);
  if (ref && !/^https?$/.test(ref[1] as string)) {
    return { kind: 'catalog', serviceType: ref[1] as string, path: ref[2] as string };
  }
  try {
    const url = new URL(t);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'Only http and https URLs.';
    return { kind: 'url', url: url.toString() };
  } catch {
    return 'Not a URL, nor a catalog reference (type:/path).';
  }
}

export function parseHeaders(text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line) continue;
    const m = HEADER.exec(line);
    if (!m) return `Line ${i + 1}: write headers as "Name: value".`;
    out[m[1] as string] = (m[2] as string).trim();
  }
  return out;
}

export function parseStatuses(text: string): number[] | string {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (parts.length === 0) return 'Give the expected status, e.g. 200 or 200, 204.';
  const out: number[] = [];
  for (const p of parts) {
    const n = Number(p);
    if (!Number.isInteger(n) || n < 100 || n > 599)
      return `"${p}" is not an HTTP status (100–599).`;
    out.push(n);
  }
  return out;
}

/**
 * One per line: `$.ihosts exists`, `$.ihosts[0].hostname == controller-0`, `$.ihosts length>= 1`,
 * `$.status in ["OK","degraded"]`, `$.isystems type array`.
 */
export function parseAssertions(text: string): JsonAssertion[] | string {
  const out: JsonAssertion[] = [];
  const ops = Object.keys(OPS)
    .map((o) => o.replace(/[$()*+.?[\]^{|}]/g, '\\$&'))
    .join('|');
  const re = new RegExp(`^(\\$\\S*)\\s+(${ops})(?:\\s+(.+))?$`);
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const m = re.exec(line);
    const at = `Line ${i + 1}`;
    if (!m) return `${at}: write "$.path == value", "$.path exists", "$.path length>= 1" …`;
    const word = m[2] as string;
    const value = m[3]?.trim();
    if (NO_VALUE.has(word)) {
      if (value) return `${at}: "${word}" takes no value.`;
      out.push({ path: m[1] as string, op: OPS[word] as Assertion['op'] });
      continue;
    }
    if (!value) return `${at}: "${word}" needs a value.`;
    if (NUMERIC.has(word) && !Number.isFinite(Number(value)))
      return `${at}: "${word}" compares numbers.`;
    if (word === 'type' && !TYPES.has(value))
      return `${at}: type is one of ${[...TYPES].join(', ')}.`;
    if (word === 'matches') {
      try {
        new RegExp(value);
      } catch {
        return `${at}: not a regular expression.`;
      }
    }
    const parsed = NUMERIC.has(word)
      ? Number(value)
      : word === 'contains' || word === 'matches' || word === 'type'
        ? value
        : jsonish(value);
    if (word === 'in' && !Array.isArray(parsed))
      return `${at}: "in" takes a JSON list, e.g. ["a","b"].`;
    out.push({ path: m[1] as string, op: OPS[word] as Assertion['op'], value: parsed });
  }
  return out;
}

function positive(text: string, max: number, what: string): number | string {
  const n = Number(text.trim());
  if (!text.trim() || !Number.isFinite(n) || n <= 0) return `Give ${what} as a positive number.`;
  if (n > max) return `At most ${max}.`;
  return n;
}

export function validateHttpCheck(
  f: HttpCheckFields,
): { ok: true; check: CheckDefInput } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const name = f.name.trim();
  if (!NAME.test(name))
    errors.name = 'Letters, digits, dot, dash or underscore; up to 63 characters.';
  const target = parseTarget(f.target);
  if (typeof target === 'string') errors.target = target;
  const headers = parseHeaders(f.headers);
  if (typeof headers === 'string') errors.headers = headers;
  const statuses = parseStatuses(f.expectedStatus);
  if (typeof statuses === 'string') errors.expectedStatus = statuses;
  const assertions = parseAssertions(f.assertions);
  if (typeof assertions === 'string') errors.assertions = assertions;
  const timeout = positive(f.timeoutSec, 600, 'the timeout in seconds');
  if (typeof timeout === 'string') errors.timeoutSec = timeout;
  else if (timeout < 0.1) errors.timeoutSec = 'At least 0.1 s.';
  const budget = f.budgetMs.trim() ? positive(f.budgetMs, 600_000, 'the budget in ms') : undefined;
  if (typeof budget === 'string') errors.budgetMs = budget;
  const body = f.body.trim() ? jsonish(f.body.trim()) : undefined;
  if (body !== undefined && (f.method === 'GET' || f.method === 'HEAD'))
    errors.body = `A ${f.method} request carries no body.`;
  if (
    Object.keys(errors).length > 0 ||
    typeof target === 'string' ||
    typeof headers === 'string' ||
    typeof statuses === 'string' ||
    typeof assertions === 'string' ||
    typeof timeout === 'string' ||
    typeof budget === 'string'
  ) {
    return { ok: false, errors };
  }
  const check: CheckDefInput = {
    id: name,
    method: f.method,
    ...(target.kind === 'url'
      ? { url: target.url }
      : { endpoint: { type: target.serviceType, path: target.path } }),
    headers,
    ...(body !== undefined ? { body } : {}),
    expect: {
      status: statuses.length === 1 && statuses[0] !== undefined ? statuses[0] : statuses,
      assertions: assertions.map((a) => ({ ...a, quantifier: 'every' as const })),
    },
    timeoutMs: Math.round(timeout * 1000),
    ...(budget !== undefined ? { budgetMs: Math.round(budget) } : {}),
  };
  return { ok: true, check };
}

/** The form's fields for an existing check (to edit it). */
export function fieldsOf(c: CheckDefInput): HttpCheckFields {
  const e = c.expect;
  const status = e?.status ?? 200;
  return {
    name: c.id,
    method: c.method ?? 'GET',
    target: c.url ?? (c.endpoint ? `${c.endpoint.type}:${c.endpoint.path ?? '/'}` : ''),
    headers: Object.entries(c.headers ?? {})
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n'),
    body: c.body === undefined ? '' : typeof c.body === 'string' ? c.body : JSON.stringify(c.body),
    expectedStatus: Array.isArray(status) ? status.join(', ') : String(status),
    assertions: (e?.assertions ?? []).map(assertionText).join('\n'),
    timeoutSec: String((c.timeoutMs ?? 10_000) / 1000),
    budgetMs: c.budgetMs === undefined ? '' : String(c.budgetMs),
  };
}

const WORD_OF: Record<string, string> = Object.fromEntries(
  Object.entries(OPS).map(([word, op]) => [op, word]),
);

export function assertionText(a: { path: string; op?: string; value?: unknown }): string {
  const word = WORD_OF[a.op ?? 'exists'] ?? a.op ?? 'exists';
  if (a.value === undefined) return `${a.path} ${word}`;
  const v =
    typeof a.value === 'string' && word !== '==' && word !== '!='
      ? a.value
      : JSON.stringify(a.value);
  return `${a.path} ${word} ${v}`;
}
