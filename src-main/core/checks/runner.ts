// Runs checks: URL from the check or the Keystone catalog, the token attached, status, JSON
// assertions, body text and latency budget checked; at most `concurrency` at once. Every
// failure is a failed result with its cause, never a throw.
import type { CheckDef, CheckEvent, CheckResult } from '../../shared/models/checks';
import { evaluate } from './assertions';
import { HttpFailure, type HttpClient } from './http';
import { endpointFor, KeystoneError, v3Base, type KeystoneToken } from './keystone';

/** A Keystone token source (KeystoneClient, or one that replays a failed authentication). */
export interface TokenSource {
  token(signal?: AbortSignal): Promise<KeystoneToken>;
  invalidate(): void;
}

export interface RunOptions {
  readonly http: HttpClient;
  readonly keystone?: TokenSource;
  /** Default interface/region for catalog references (a check's own win). */
  readonly iface: 'public' | 'internal' | 'admin';
  readonly region?: string;
  readonly concurrency: number;
  /** enforce: over budget fails; warn: passes, marked overBudget. Default enforce. */
  readonly budgets?: 'enforce' | 'warn';
  readonly insecure: boolean;
  readonly via?: string;
  readonly signal?: AbortSignal;
  readonly onEvent?: (e: CheckEvent) => void;
}

const EXCERPT = 2048;

/**
 * Joins a catalog endpoint and a check path. The path is appended (never replaces the
 * endpoint's own path); a leading version segment already in the endpoint (`…/v1` + `/v1/x`)
 * is not repeated. Identity endpoints are first normalised to their /v3 base.
 */
export function joinEndpoint(base: string, path: string, type?: string): string {
  const b = new URL(type === 'identity' ? v3Base(base) : base);
  const basePath = b.pathname.replace(/\/+$/, '');
  let p = path.startsWith('/') ? path : `/${path}`;
  const last = basePath.split('/').pop() ?? '';
  if (
    last &&
    /^v\d+(\.\d+)?$/.test(last) &&
    (p === `/${last}` || p.startsWith(`/${last}/`) || p.startsWith(`/${last}?`))
  ) {
    p = p.slice(last.length + 1) || '/';
  }
  const [pathPart, query] = p.split('?', 2) as [string, string | undefined];
  b.pathname = pathPart === '/' && basePath !== '' ? `${basePath}/` : `${basePath}${pathPart}`;
  if (query !== undefined) b.search = `?${query}`;
  return b.toString();
}

function fail(
  c: CheckDef,
  url: string,
  o: RunOptions,
  cause: CheckResult['cause'],
  message: string,
  extra: Partial<CheckResult> = {},
): CheckResult {
  return {
    id: c.id,
    name: c.name ?? c.id,
    ...(c.service ? { service: c.service } : {}),
    method: c.method,
    url,
    ok: false,
    status: null,
    latencyMs: 0,
    ...(c.budgetMs ? { budgetMs: c.budgetMs } : {}),
    ...(cause ? { cause } : {}),
    message,
    assertions: [],
    excerpt: '',
    insecure: o.insecure,
    ...(o.via ? { via: o.via } : {}),
    ...extra,
  };
}

export async function runCheck(c: CheckDef, o: RunOptions): Promise<CheckResult> {
  let url = c.url ?? '';
  let token: string | undefined;
  try {
    if (c.endpoint) {
      if (!o.keystone)
        return fail(
          c,
          `catalog:${c.endpoint.type}${c.endpoint.path}`,
          o,
          'config',
          'this check uses the Keystone catalog: give Keystone parameters',
        );
      const t = await o.keystone.token(o.signal);
      const base = endpointFor(
        t.catalog,
        c.endpoint.type,
        c.endpoint.interface ?? o.iface,
        c.endpoint.region ?? o.region,
      );
      url = joinEndpoint(base, c.endpoint.path, c.endpoint.type);
    }
    if (c.auth && o.keystone) token = (await o.keystone.token(o.signal)).token;
  } catch (e) {
    if (e instanceof KeystoneError)
      return fail(c, url || `catalog:${c.endpoint?.type ?? ''}`, o, e.kind, e.message);
    return fail(c, url, o, 'config', (e as Error).message);
  }
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return fail(c, url, o, 'config', `not a URL: ${url}`);
  }
  const isJsonBody = c.body !== undefined && typeof c.body !== 'string';
  const headers: Record<string, string> = {
    accept: 'application/json',
    ...(isJsonBody ? { 'content-type': 'application/json' } : {}),
    ...c.headers,
    ...(token ? { 'x-auth-token': token } : {}),
  };
  const body =
    c.body === undefined ? undefined : isJsonBody ? JSON.stringify(c.body) : (c.body as string);
  let res;
  try {
    const send = () =>
      o.http.request(target, {
        method: c.method,
        headers,
        ...(body !== undefined ? { body } : {}),
        timeoutMs: c.timeoutMs,
        ...(o.signal ? { signal: o.signal } : {}),
      });
    res = await send();
    // A token revoked or expired early: authenticate again once.
    if (res.status === 401 && token && o.keystone) {
      o.keystone.invalidate();
      headers['x-auth-token'] = (await o.keystone.token(o.signal)).token;
      res = await send();
    }
  } catch (e) {
    if (e instanceof HttpFailure) return fail(c, url, o, e.kind, e.message);
    if (e instanceof KeystoneError) return fail(c, url, o, e.kind, e.message);
    return fail(c, url, o, 'network', (e as Error).message);
  }
  const text = res.body.toString('utf8');
  const latencyMs = Math.round(res.ms * 10) / 10;
  const base = { status: res.status, latencyMs, excerpt: text.slice(0, EXCERPT) };
  const statuses = Array.isArray(c.expect.status) ? c.expect.status : [c.expect.status];
  if (!statuses.includes(res.status)) {
    const cause = res.status === 401 || res.status === 403 ? 'auth' : 'status';
    return fail(
      c,
      url,
      o,
      cause,
      `expected ${statuses.join(' or ')}, got ${res.status}${res.status === 401 ? ' Unauthorized' : ''}`,
      base,
    );
  }
  const wantJson = c.expect.json ?? c.expect.assertions.length > 0;
  let json: unknown;
  if (wantJson) {
    try {
      json = JSON.parse(text);
    } catch (e) {
      return fail(c, url, o, 'invalid-json', `response is not JSON: ${(e as Error).message}`, base);
    }
  }
  const assertions = c.expect.assertions.map((a) => evaluate(a, json));
  const bad = assertions.find((a) => !a.ok);
  if (bad) return fail(c, url, o, 'assertion', bad.message, { ...base, assertions });
  if (c.expect.bodyContains !== undefined && !text.includes(c.expect.bodyContains)) {
    return fail(
      c,
      url,
      o,
      'body',
      `body does not contain ${JSON.stringify(c.expect.bodyContains)}`,
      { ...base, assertions },
    );
  }
  const over = c.budgetMs !== undefined && latencyMs > c.budgetMs;
  if (over && o.budgets === 'warn') {
    return {
      ...fail(
        c,
        url,
        o,
        undefined,
        `${res.status} in ${latencyMs} ms (over the ${c.budgetMs} ms budget)`,
        {
          ...base,
          assertions,
          overBudget: true,
        },
      ),
      ok: true,
    };
  }
  if (over) {
    return fail(c, url, o, 'budget', `${latencyMs} ms is over the ${c.budgetMs} ms budget`, {
      ...base,
      assertions,
      overBudget: true,
    });
  }
  return {
    ...fail(c, url, o, undefined, `${res.status} in ${latencyMs} ms`, { ...base, assertions }),
    ok: true,
  };
}

/** Runs checks with at most `concurrency` in flight; results in the checks' order. */
export async function runChecks(
  checks: readonly CheckDef[],
  o: RunOptions,
): Promise<CheckResult[]> {
  const results: CheckResult[] = new Array<CheckResult>(checks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < checks.length) {
      const i = next++;
      const c = checks[i]!;
      o.onEvent?.({ type: 'started', id: c.id });
      const r = await runCheck(c, o).catch((e: unknown) =>
        fail(c, c.url ?? '', o, 'network', (e as Error).message),
      );
      results[i] = r;
      o.onEvent?.({ type: 'result', result: r });
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, checks.length) }, worker));
  return results;
}
