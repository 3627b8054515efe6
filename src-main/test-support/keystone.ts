// Test support: a real OpenStack Keystone (Debian's python3-keystone, 2:22 "zed" on bookworm)
// served by uWSGI, without systemd, on 127.0.0.1. Needs keystone-manage, uwsgi with the python3
// plugin (apt: python3-keystone uwsgi-core uwsgi-plugin-python3; .ci/run installs them). Specs
// guard with requirements({ commands: KEYSTONE_COMMANDS }) (skip on a dev box, FAIL under CI).
//
//   const ks = await startKeystone({ catalog: flockCatalog(host.services) });
//   ks.url          http://127.0.0.1:<port>        (ks.authUrl = ks.url + '/v3', OS_AUTH_URL)
//   ks.adminUser / ks.adminPassword / ks.project ('admin') / ks.domain ('Default') / ks.region
//   await ks.token() // { token, body } from a real POST /v3/auth/tokens (password, project scope)
//   await ks.stop()  // always: stops uWSGI and removes the temp dir
//
// Each fixture has its own temp dir: keystone.conf, an SQLite database in WAL mode (the default
// rollback journal gives "database is locked" under concurrent requests), fernet and credential
// key repositories (two fresh keys each, written as `keystone-manage fernet_setup` /
// `credential_setup` lay them out). The database is made by `keystone-manage db_sync` and
// `bootstrap` (admin user/project, roles admin/member/reader, the region, identity endpoints)
// once per keystone version and cached as a template in /var/cache/stx-lab (the temp dir when not
// root): those two take ~10 s of CPU. Then
//   uwsgi --http-socket 127.0.0.1:PORT --wsgi-file /usr/bin/keystone-wsgi-public
//         --master --processes 1 --threads 1 (+ "Connection: close", see below)
// and, through Keystone's own REST API with the admin token, the identity endpoints are pointed
// at this port and the catalog entries are created (POST /v3/services, POST /v3/endpoints per
// interface). Default port: a free one (5000 may be held by a parallel run); `port: 5000` asks
// for it and fails clearly when it is taken.
// bcrypt rounds are lowered to the minimum (4) so a token takes milliseconds, not seconds.
// `tls: true` (or a TestCa from ./test-ca) serves HTTPS (uwsgi --https-socket); ks.ca.caPath is
// the CA to trust. Not the Debian `keystone` package: its postinst runs dbconfig and starts a
// keystone on :5000 via /etc/init.d. uWSGI runs under `setpriv --pdeathsig SIGTERM`, so it stops
// if the test process dies; the next start removes such leftovers. Start: ~5 s of CPU (uWSGI
// importing keystone), 25-30 s wall on this 2-core machine under load; a token: < 1 s.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { assertPortFree, freePort, killTree, onExit, requestJson } from './fixture-util';
import {
  KEYSTONE_ADMIN_PASSWORD,
  keyRepository,
  keystoneConf,
  PLACEHOLDER,
  preparedDatabase,
  RUN_PREFIX,
  sweepStaleRuns,
} from './keystone-setup';
import { makeTestCa, type TestCa } from './test-ca';

export { KEYSTONE_ADMIN_PASSWORD } from './keystone-setup';

export const KEYSTONE_COMMANDS = ['keystone-manage', 'uwsgi', 'python3', 'setpriv'];
const WSGI = '/usr/bin/keystone-wsgi-public';

export type Interface = 'public' | 'internal' | 'admin';

export interface CatalogEntry {
  readonly name: string;
  readonly type: string;
  /** The endpoint URL for every interface (or per interface). */
  readonly url: string | Partial<Record<Interface, string>>;
  readonly interfaces?: readonly Interface[];
  readonly region?: string;
}

/** sysinv (platform) and fm (faultmanagement) entries for the given test-service URLs. */
export function flockCatalog(
  urls: { readonly sysinv: string | { url: string }; readonly fm: string | { url: string } } = {
    sysinv: 'http://127.0.0.1:6385',
    fm: 'http://127.0.0.1:18002',
  },
): CatalogEntry[] {
  const u = (x: string | { url: string }): string => (typeof x === 'string' ? x : x.url);
  return [
    { name: 'sysinv', type: 'platform', url: u(urls.sysinv) },
    { name: 'fm', type: 'faultmanagement', url: u(urls.fm) },
  ];
}

export interface KeystoneOptions {
  /** Service catalog entries besides keystone itself. Default: flockCatalog() (6385, 18002). */
  readonly catalog?: readonly CatalogEntry[];
  readonly port?: number;
  readonly region?: string;
  readonly startTimeoutMs?: number;
  /** Serve HTTPS: `true` makes a test CA in the fixture's dir (see `ca`), or pass your own. */
  readonly tls?: boolean | TestCa;
}

export interface Keystone {
  /** http://127.0.0.1:PORT, or https:// with `tls` (no path). */
  readonly url: string;
  /** url + '/v3'. */
  readonly authUrl: string;
  readonly port: number;
  readonly adminUser: string;
  readonly adminPassword: string;
  readonly project: string;
  readonly domain: string;
  readonly region: string;
  readonly dir: string;
  /** uWSGI's log (requests and keystone's warnings). */
  readonly logPath: string;
  /** With `tls`: the CA that signed the server certificate (ca.caPath is what clients trust). */
  readonly ca: TestCa | undefined;
  token(password?: string): Promise<{ status: number; token: string | null; body: unknown }>;
  stop(): Promise<void>;
}

async function api(
  url: string,
  method: string,
  path: string,
  token: string | undefined,
  body: unknown,
  ca: string | undefined,
): Promise<{ status: number; token: string | null; body: unknown }> {
  const res = await requestJson(`${url}${path}`, {
    method,
    headers: token ? { 'X-Auth-Token': token } : {},
    body,
    ...(ca ? { ca } : {}),
  });
  const subject = res.headers['x-subject-token'];
  return {
    status: res.status,
    token: typeof subject === 'string' ? subject : null,
    body: res.body,
  };
}

type Call = (
  method: string,
  path: string,
  token?: string,
  body?: unknown,
) => Promise<{ status: number; body: unknown }>;

/** Points the identity endpoints at `identityUrl` and adds `entries`, all through the API. */
async function registerCatalog(
  call: Call,
  token: string,
  identityUrl: string,
  entries: readonly CatalogEntry[],
  region: string,
): Promise<void> {
  const eps = await call('GET', '/v3/endpoints', token);
  for (const ep of (eps.body as { endpoints: { id: string; url: string }[] }).endpoints) {
    if (ep.url !== PLACEHOLDER) continue;
    const fixed = await call('PATCH', `/v3/endpoints/${ep.id}`, token, {
      endpoint: { url: identityUrl },
    });
    if (fixed.status !== 200) throw new Error(`PATCH /v3/endpoints/${ep.id}: ${fixed.status}`);
  }
  for (const entry of entries) {
    const svc = await call('POST', '/v3/services', token, {
      service: { name: entry.name, type: entry.type, enabled: true },
    });
    if (svc.status !== 201) throw new Error(`POST /v3/services ${entry.name}: ${svc.status}`);
    const id = (svc.body as { service: { id: string } }).service.id;
    for (const iface of entry.interfaces ?? (['public', 'internal', 'admin'] as const)) {
      const url = typeof entry.url === 'string' ? entry.url : entry.url[iface];
      if (!url) continue;
      const endpoint = { service_id: id, interface: iface, url, region_id: entry.region ?? region };
      const ep = await call('POST', '/v3/endpoints', token, { endpoint });
      if (ep.status !== 201)
        throw new Error(`POST /v3/endpoints ${entry.name} ${iface}: ${ep.status}`);
    }
  }
}

export async function startKeystone(options: KeystoneOptions = {}): Promise<Keystone> {
  const port = options.port ?? (await freePort());
  if (options.port !== undefined) await assertPortFree(port, 'startKeystone');
  const region = options.region ?? 'RegionOne';
  sweepStaleRuns();
  const dir = mkdtempSync(join(tmpdir(), RUN_PREFIX));
  writeFileSync(join(dir, 'owner.pid'), String(process.pid));
  const conf = join(dir, 'keystone.conf');
  const logPath = join(dir, 'uwsgi.log');
  let proc: ChildProcess | undefined;
  let stopped = false;
  const cleanup = (): void => {
    // Only while it runs: after its exit the pid may belong to someone else.
    if (proc?.pid && proc.exitCode === null && proc.signalCode === null) killTree(proc.pid);
    rmSync(dir, { recursive: true, force: true });
  };
  const unhook = onExit(cleanup);
  try {
    writeFileSync(conf, keystoneConf(dir));
    chmodSync(dir, 0o700);
    for (const d of ['fernet-keys', 'credential-keys']) keyRepository(join(dir, d));
    await preparedDatabase(dir, region);
    const ca = options.tls === true ? await makeTestCa(dir) : options.tls || undefined;
    const url = `${ca ? 'https' : 'http'}://127.0.0.1:${port}`;
    const call = (method: string, path: string, token?: string, body?: unknown) =>
      api(url, method, path, token, body, ca?.caPath);
    const socket = ca
      ? ['--https-socket', `127.0.0.1:${port},${ca.certPath},${ca.keyPath}`]
      : ['--http-socket', `127.0.0.1:${port}`];
    const log = openSync(logPath, 'a');
    // pdeathsig: if this process dies without stop(), uWSGI gets SIGTERM (--die-on-term) and
    // the next start removes the directory (sweepStaleRuns).
    proc = spawn(
      'setpriv',
      [
        ...['--pdeathsig', 'SIGTERM', '--', 'uwsgi'],
        ...['--plugin', 'python3', ...socket, '--wsgi-file', WSGI],
        // One worker, one thread: SQLite allows one writer, and even in WAL mode a transaction
        // that read first and then writes fails at once with "database is locked" when another
        // process wrote meanwhile (seen with 2 workers: 1 of 12 concurrent logins failed).
        ...['--master', '--processes', '1', '--threads', '1', '--die-on-term', '--need-app'],
        ...['--buffer-size', '65535', '--env', `OS_KEYSTONE_CONFIG_FILES=${conf}`],
        // --http-socket closes the connection after each response but answers HTTP/1.1 without
        // saying so; clients that keep connections alive (undici) then lose the next request.
        ...['--add-header', 'Connection: close'],
      ],
      { stdio: ['ignore', log, log] },
    );
    closeSync(log);
    if (proc.pid) writeFileSync(join(dir, 'uwsgi.pid'), String(proc.pid));
    let exitCode: number | null | undefined;
    const exited = new Promise<void>((r) => proc!.once('exit', (c) => ((exitCode = c), r())));
    const deadline = Date.now() + (options.startTimeoutMs ?? 240_000);
    for (;;) {
      const tail = (): string => readFileSync(logPath, 'utf8').split('\n').slice(-20).join('\n');
      if (exitCode !== undefined) throw new Error(`uwsgi exited (${exitCode}):\n${tail()}`);
      const up = await requestJson(`${url}/v3`, ca ? { ca: ca.caPath } : {}).then(
        (r) => r.status === 200,
        () => false,
      );
      if (up) break;
      if (Date.now() > deadline)
        throw new Error(`Keystone did not answer on ${url}/v3:\n${tail()}`);
      await new Promise((r) => setTimeout(r, 200));
    }

    const token = (password = KEYSTONE_ADMIN_PASSWORD) =>
      call('POST', '/v3/auth/tokens', undefined, {
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: 'admin', domain: { id: 'default' }, password } },
          },
          scope: { project: { name: 'admin', domain: { id: 'default' } } },
        },
      });
    const admin = await token();
    if (admin.status !== 201 || !admin.token) {
      throw new Error(
        `Keystone refused the admin password (${admin.status}): ${JSON.stringify(admin.body)}`,
      );
    }
    await registerCatalog(
      call,
      admin.token,
      `${url}/v3`,
      options.catalog ?? flockCatalog(),
      region,
    );
    return {
      url,
      authUrl: `${url}/v3`,
      port,
      adminUser: 'admin',
      adminPassword: KEYSTONE_ADMIN_PASSWORD,
      project: 'admin',
      domain: 'Default',
      region,
      dir,
      logPath,
      ca,
      token,
      async stop() {
        if (stopped) return;
        stopped = true;
        if (proc?.pid && exitCode === undefined) {
          proc.kill('SIGTERM'); // --die-on-term: the master stops its workers
          await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000).unref())]);
        }
        cleanup();
        unhook();
      },
    };
  } catch (err) {
    stopped = true;
    cleanup();
    unhook();
    throw err;
  }
}
