// Keystone v3: password auth scoped to a project, the token kept (never logged, never stored)
// and renewed before it expires, the catalog parsed, endpoints chosen by service type,
// interface and region.
import type { CheckFailureCause, KeystoneParams } from '../../shared/models/checks';
import type { HttpClient, HttpFailure } from './http';

export interface CatalogEndpoint {
  readonly id?: string;
  readonly interface: string;
  readonly region: string;
  readonly url: string;
}

export interface CatalogEntry {
  readonly type: string;
  readonly name: string;
  readonly endpoints: readonly CatalogEndpoint[];
}

export interface KeystoneToken {
  readonly token: string;
  readonly expiresAt: Date | null;
  readonly catalog: readonly CatalogEntry[];
  readonly ms: number;
}

export class KeystoneError extends Error {
  constructor(
    readonly kind: CheckFailureCause,
    message: string,
    readonly ms = 0,
  ) {
    super(message);
  }
}

/** `http://h:5000`, `http://h:5000/`, `http://h:5000/v3` → `http://h:5000/v3`. */
export function v3Base(url: string): string {
  const u = url.replace(/\/+$/, '');
  return /\/v3$/.test(u) ? u : `${u}/v3`;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function parseCatalog(raw: unknown): CatalogEntry[] {
  if (!Array.isArray(raw)) return [];
  const out: CatalogEntry[] = [];
  for (const s of raw) {
    if (s === null || typeof s !== 'object') continue;
    const o = s as Record<string, unknown>;
    const eps = Array.isArray(o.endpoints) ? o.endpoints : [];
    out.push({
      type: str(o.type),
      name: str(o.name),
      endpoints: eps
        .filter((e): e is Record<string, unknown> => e !== null && typeof e === 'object')
        .map((e) => ({
          ...(typeof e.id === 'string' ? { id: e.id } : {}),
          interface: str(e.interface),
          region: str(e.region) || str(e.region_id),
          url: str(e.url),
        }))
        .filter((e) => e.url !== ''),
    });
  }
  return out;
}

/** The endpoint URL for a service type; region optional (any when absent, else exact). */
export function endpointFor(
  catalog: readonly CatalogEntry[],
  type: string,
  iface: string,
  region?: string,
): string {
  const entries = catalog.filter((c) => c.type === type);
  if (!entries.length) {
    const types = [...new Set(catalog.map((c) => c.type))].sort().join(', ');
    throw new KeystoneError(
      'endpoint',
      `no service of type "${type}" in the catalog (it has: ${types || 'nothing'})`,
    );
  }
  const eps = entries.flatMap((e) => e.endpoints);
  const hit = eps.find(
    (e) => e.interface === iface && (region === undefined || e.region === region),
  );
  if (!hit) {
    const have = eps.map((e) => `${e.interface}@${e.region}`).join(', ');
    throw new KeystoneError(
      'endpoint',
      `no ${iface} endpoint of "${type}"${region ? ` in region ${region}` : ''} (it has: ${have || 'none'})`,
    );
  }
  return hit.url;
}

/** Renew when less than this is left. */
const RENEW_MS = 5 * 60_000;

export class KeystoneClient {
  #current: KeystoneToken | undefined;
  #inflight: Promise<KeystoneToken> | undefined;

  constructor(
    private readonly http: HttpClient,
    private readonly params: KeystoneParams & { password: string },
    private readonly now: () => number = Date.now,
  ) {}

  /** A valid token (issued or renewed as needed; concurrent callers share one request). */
  async token(signal?: AbortSignal): Promise<KeystoneToken> {
    const t = this.#current;
    if (t && (t.expiresAt === null || t.expiresAt.getTime() - this.now() > RENEW_MS)) return t;
    this.#inflight ??= this.#issue(signal).finally(() => (this.#inflight = undefined));
    this.#current = await this.#inflight;
    return this.#current;
  }

  /** Drop the token (e.g. after a 401 from a service) so the next call authenticates again. */
  invalidate(): void {
    this.#current = undefined;
  }

  async #issue(signal?: AbortSignal): Promise<KeystoneToken> {
    const p = this.params;
    const url = new URL(`${v3Base(p.url)}/auth/tokens`);
    const body = JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: {
            user: { name: p.user, domain: { name: p.userDomain }, password: p.password },
          },
        },
        scope: { project: { name: p.project, domain: { name: p.projectDomain } } },
      },
    });
    let res;
    try {
      res = await this.http.request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body,
        timeoutMs: 15_000,
        ...(signal ? { signal } : {}),
      });
    } catch (e) {
      const f = e as HttpFailure;
      throw new KeystoneError(f.kind ?? 'network', `Keystone ${url.origin}: ${f.message}`);
    }
    const ms = res.ms;
    if (res.status === 401) {
      throw new KeystoneError(
        'auth',
        `Keystone refused the credentials of ${p.user} for project ${p.project} (401 Unauthorized)`,
        ms,
      );
    }
    if (res.status !== 201 && res.status !== 200) {
      throw new KeystoneError(
        'status',
        `Keystone answered ${res.status} to POST /v3/auth/tokens: ${res.body.toString('utf8').slice(0, 200)}`,
        ms,
      );
    }
    const token = res.headers['x-subject-token'];
    if (typeof token !== 'string' || token === '') {
      throw new KeystoneError('auth', 'Keystone answered without an X-Subject-Token header', ms);
    }
    let json: unknown;
    try {
      json = JSON.parse(res.body.toString('utf8'));
    } catch {
      throw new KeystoneError('invalid-json', 'Keystone token response is not JSON', ms);
    }
    const tok = (json as { token?: { expires_at?: string; catalog?: unknown } }).token ?? {};
    const exp = tok.expires_at ? new Date(tok.expires_at) : null;
    return {
      token,
      expiresAt: exp && !Number.isNaN(exp.getTime()) ? exp : null,
      catalog: parseCatalog(tok.catalog),
      ms,
    };
  }
}
