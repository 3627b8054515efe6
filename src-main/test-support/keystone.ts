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
// key repositories. Set-up: `keystone-manage db_sync` (once per keystone version: the synced
// database is cached as a template in /var/cache/stx-lab, or the temp dir when not root),
// fernet_setup, credential_setup, bootstrap (admin user/project, roles admin/member/reader,
// RegionOne, identity endpoints public/internal/admin). Then
//   uwsgi --http-socket 127.0.0.1:PORT --wsgi-file /usr/bin/keystone-wsgi-public
//         --master --processes 2 --threads 1
// and the catalog entries are created through Keystone's own REST API with the admin token
// (POST /v3/services, POST /v3/endpoints for each interface). Default port: a free one (5000
// may be held by a parallel run); `port: 5000` asks for it and fails clearly when it is taken.
// bcrypt rounds are lowered to the minimum (4) so a token takes milliseconds, not seconds.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync } from 'node:fs';
import { closeSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { assertPortFree, freePort, killTree, onExit } from './fixture-util';

const run = promisify(execFile);
export const KEYSTONE_COMMANDS = ['keystone-manage', 'uwsgi', 'python3'];
const WSGI = '/usr/bin/keystone-wsgi-public';
export const KEYSTONE_ADMIN_PASSWORD = 'stx-Keystone-admin-7';

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
}

export interface Keystone {
  /** http://127.0.0.1:PORT (no path). */
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
  token(password?: string): Promise<{ status: number; token: string | null; body: unknown }>;
  stop(): Promise<void>;
}

function keystoneConf(dir: string): string {
  return [
    '[DEFAULT]',
    'use_stderr = true',
    '[database]',
    `connection = sqlite:///${join(dir, 'keystone.db')}`,
    '[fernet_tokens]',
    `key_repository = ${join(dir, 'fernet-keys')}`,
    '[fernet_receipts]',
    `key_repository = ${join(dir, 'fernet-keys')}`,
    '[credential]',
    `key_repository = ${join(dir, 'credential-keys')}`,
    '[token]',
    'provider = fernet',
    'expiration = 3600',
    '[identity]',
    'password_hash_rounds = 4',
    '',
  ].join('\n');
}

async function manage(conf: string, args: string[]): Promise<void> {
  try {
    await run('keystone-manage', ['--config-file', conf, ...args], { maxBuffer: 8 << 20 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    const tail = (err.stderr ?? '').trim().split('\n').slice(-15).join('\n');
    throw new Error(`keystone-manage ${args[0]} failed: ${err.message}\n${tail}`);
  }
}

async function python(code: string, ...args: string[]): Promise<string> {
  return (await run('python3', ['-c', code, ...args])).stdout.trim();
}

const WAL = 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute("pragma journal_mode=wal").fetchone()[0]); c.execute("pragma wal_checkpoint(TRUNCATE)"); c.close()';

/** A db_sync'ed WAL database, cached per keystone version (db_sync takes several seconds). */
async function syncedDatabase(dir: string): Promise<void> {
  const db = join(dir, 'keystone.db');
  const conf = join(dir, 'keystone.conf');
  let version = '';
  try {
    version = (await run('dpkg-query', ['-W', '-f=${Version}', 'python3-keystone'])).stdout;
  } catch {
    // not a Debian install: no template cache
  }
  const root = process.getuid?.() === 0;
  const cacheDir = process.env.STX_LAB_CACHE ?? (root ? '/var/cache/stx-lab' : join(tmpdir(), 'stx-lab-cache'));
  const template = join(cacheDir, `keystone-${version.replace(/[^A-Za-z0-9.+-]/g, '_')}.db`);
  if (version && existsSync(template)) {
    copyFileSync(template, db);
    return;
  }
  if ((await python(WAL, db)) !== 'wal') throw new Error('could not put the SQLite database in WAL mode');
  await manage(conf, ['db_sync']);
  await python(WAL, db);
  if (!version) return;
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${template}.${process.pid}.tmp`;
  copyFileSync(db, tmp);
  renameSync(tmp, template); // atomic: a parallel builder just wins or loses the race
}

async function api(url: string, method: string, path: string, token: string | undefined, body?: unknown) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (token) headers['X-Auth-Token'] = token;
  const res = await fetch(`${url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, token: res.headers.get('x-subject-token'), body: text ? JSON.parse(text) : null };
}

export async function startKeystone(options: KeystoneOptions = {}): Promise<Keystone> {
  const port = options.port ?? (await freePort());
  if (options.port !== undefined) await assertPortFree(port, 'startKeystone');
  const url = `http://127.0.0.1:${port}`;
  const region = options.region ?? 'RegionOne';
  const dir = mkdtempSync(join(tmpdir(), 'stx-keystone-'));
  const conf = join(dir, 'keystone.conf');
  const logPath = join(dir, 'uwsgi.log');
  let proc: ChildProcess | undefined;
  let stopped = false;
  const cleanup = (): void => {
    if (proc?.pid) killTree(proc.pid);
    rmSync(dir, { recursive: true, force: true });
  };
  const unhook = onExit(cleanup);
  try {
    writeFileSync(conf, keystoneConf(dir));
    for (const d of ['fernet-keys', 'credential-keys']) mkdirSync(join(dir, d), { mode: 0o700 });
    chmodSync(dir, 0o700);
    const uid = String(process.getuid?.() ?? 0);
    const owner = ['--keystone-user', uid, '--keystone-group', String(process.getgid?.() ?? 0)];
    await Promise.all([
      syncedDatabase(dir),
      manage(conf, ['fernet_setup', ...owner]),
      manage(conf, ['credential_setup', ...owner]),
    ]);
    await manage(conf, [
      'bootstrap',
      ...['--bootstrap-username', 'admin', '--bootstrap-password', KEYSTONE_ADMIN_PASSWORD],
      ...['--bootstrap-project-name', 'admin', '--bootstrap-role-name', 'admin'],
      ...['--bootstrap-region-id', region, '--bootstrap-public-url', `${url}/v3`],
      ...['--bootstrap-internal-url', `${url}/v3`, '--bootstrap-admin-url', `${url}/v3`],
    ]);

    const log = openSync(logPath, 'a');
    proc = spawn(
      'uwsgi',
      [
        ...['--plugin', 'python3', '--http-socket', `127.0.0.1:${port}`, '--wsgi-file', WSGI],
        ...['--master', '--processes', '2', '--threads', '1', '--die-on-term', '--need-app'],
        ...['--buffer-size', '65535', '--env', `OS_KEYSTONE_CONFIG_FILES=${conf}`],
        // --http-socket closes the connection after each response but answers HTTP/1.1 without
        // saying so; clients that keep connections alive (undici) then lose the next request.
        ...['--add-header', 'Connection: close'],
      ],
      { stdio: ['ignore', log, log] },
    );
    closeSync(log);
    let exitCode: number | null | undefined;
    const exited = new Promise<void>((r) => proc!.once('exit', (c) => ((exitCode = c), r())));
    const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
    for (;;) {
      const tail = (): string => readFileSync(logPath, 'utf8').split('\n').slice(-20).join('\n');
      if (exitCode !== undefined) throw new Error(`uwsgi exited (${exitCode}):\n${tail()}`);
      const up = await fetch(`${url}/v3`).then((r) => r.status === 200, () => false);
      if (up) break;
      if (Date.now() > deadline) throw new Error(`Keystone did not answer on ${url}/v3:\n${tail()}`);
      await new Promise((r) => setTimeout(r, 200));
    }

    const token = (password = KEYSTONE_ADMIN_PASSWORD) =>
      api(url, 'POST', '/v3/auth/tokens', undefined, {
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
      throw new Error(`Keystone refused the admin password (${admin.status}): ${JSON.stringify(admin.body)}`);
    }
    for (const entry of options.catalog ?? flockCatalog()) {
      const svc = await api(url, 'POST', '/v3/services', admin.token, {
        service: { name: entry.name, type: entry.type, enabled: true },
      });
      if (svc.status !== 201) throw new Error(`POST /v3/services ${entry.name}: ${svc.status}`);
      const id = (svc.body as { service: { id: string } }).service.id;
      for (const iface of entry.interfaces ?? (['public', 'internal', 'admin'] as const)) {
        const epUrl = typeof entry.url === 'string' ? entry.url : entry.url[iface];
        if (!epUrl) continue;
        const ep = await api(url, 'POST', '/v3/endpoints', admin.token, {
          endpoint: { service_id: id, interface: iface, url: epUrl, region_id: entry.region ?? region },
        });
        if (ep.status !== 201) throw new Error(`POST /v3/endpoints ${entry.name} ${iface}: ${ep.status}`);
      }
    }

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
