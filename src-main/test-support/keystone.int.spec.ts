// The keystone fixture against itself: a real Keystone under uWSGI issues a project-scoped token
// for admin with the Flock services in its catalog, validates it, and refuses a wrong password.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { flockCatalog, KEYSTONE_COMMANDS, startKeystone, type Keystone } from './keystone';
import { requirements } from './requirements';

const ok = requirements({ commands: KEYSTONE_COMMANDS });

interface CatalogService {
  name: string;
  type: string;
  endpoints: { interface: string; region: string; region_id: string; url: string }[];
}

describe.skipIf(!ok)('Keystone (python3-keystone under uWSGI)', () => {
  let ks: Keystone;
  beforeAll(async () => {
    ks = await startKeystone({
      catalog: flockCatalog({ sysinv: 'http://127.0.0.1:16385', fm: 'http://127.0.0.1:28002' }),
    });
  }, 300_000);
  afterAll(async () => {
    await ks?.stop();
  }, 30_000);

  it('answers the version document without a token', async () => {
    const res = await fetch(ks.authUrl);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { version: { id: string; status: string } };
    expect(body.version).toMatchObject({ status: 'stable' });
    expect(body.version.id).toMatch(/^v3\.\d+$/);
  });

  it('issues a project-scoped token with the Flock services in the catalog', async () => {
    const res = await fetch(`${ks.authUrl}/auth/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: {
            methods: ['password'],
            password: {
              user: { name: ks.adminUser, domain: { name: ks.domain }, password: ks.adminPassword },
            },
          },
          scope: { project: { name: ks.project, domain: { name: ks.domain } } },
        },
      }),
    });
    expect(res.status).toBe(201);
    const token = res.headers.get('x-subject-token');
    expect(token).toMatch(/^gAAAAA/); // fernet
    const body = (await res.json()) as {
      token: { project: { name: string }; roles: { name: string }[]; catalog: CatalogService[] };
    };
    expect(body.token.project.name).toBe('admin');
    expect(body.token.roles.map((r) => r.name).sort()).toEqual(['admin', 'member', 'reader']);
    const byType = new Map(body.token.catalog.map((s) => [s.type, s]));
    for (const [type, name, url] of [
      ['platform', 'sysinv', 'http://127.0.0.1:16385'],
      ['faultmanagement', 'fm', 'http://127.0.0.1:28002'],
      ['identity', 'keystone', ks.authUrl],
    ] as const) {
      const svc = byType.get(type);
      expect(svc?.name).toBe(name);
      expect(svc?.endpoints.map((e) => e.interface).sort()).toEqual([
        'admin',
        'internal',
        'public',
      ]);
      for (const e of svc!.endpoints) expect(e).toMatchObject({ region: ks.region, url });
    }

    // The token validates (what the Flock test services do), and a made-up one does not.
    const check = (subject: string) =>
      fetch(`${ks.authUrl}/auth/tokens`, {
        headers: { 'X-Auth-Token': token!, 'X-Subject-Token': subject },
      });
    expect((await check(token!)).status).toBe(200);
    expect((await check(`${token!.slice(0, -4)}AAAA`)).status).toBe(404);
  });

  it('refuses a wrong password with 401', async () => {
    const res = await ks.token('not-the-password');
    expect(res.status).toBe(401);
    expect(res.token).toBeNull();
    expect(res.body).toMatchObject({ error: { code: 401, title: 'Unauthorized' } });
  });

  it('keeps concurrent writes working (SQLite in WAL mode)', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => ks.token()));
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(201));
  });

  it('fails clearly when the asked-for port is taken', async () => {
    await expect(startKeystone({ port: ks.port })).rejects.toThrow(/already in use/);
  });
});
