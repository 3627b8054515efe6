// The keystone fixture's preparation: keystone.conf, the key repositories, the database
// (keystone-manage db_sync + bootstrap, WAL mode, cached as a template per keystone version) and
// the sweep of runs whose owner died. See keystone.ts for the whole picture.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { killTree, processAlive } from './fixture-util';

const run = promisify(execFile);
export const RUN_PREFIX = 'stx-keystone-';
/** The identity endpoints' URL in the template; startKeystone points them at the real port. */
export const PLACEHOLDER = 'http://keystone.invalid:5000/v3';
const TEMPLATE_REV = 1;
export const KEYSTONE_ADMIN_PASSWORD = 'stx-Keystone-admin-7';

export function keystoneConf(dir: string): string {
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
    throw new Error(`keystone-manage ${args[0]} failed: ${err.message}\n${tail}`, { cause: e });
  }
}

async function python(code: string, ...args: string[]): Promise<string> {
  return (await run('python3', ['-c', code, ...args])).stdout.trim();
}

const WAL =
  'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute("pragma journal_mode=wal").fetchone()[0]); c.execute("pragma wal_checkpoint(TRUNCATE)"); c.close()';

/**
 * The database: db_sync + bootstrap (admin user/project/roles, the region, identity endpoints at
 * a placeholder URL that startKeystone corrects through the API), in WAL mode. Both take many
 * seconds of CPU, so the result is cached as a template per keystone version and copied.
 */
export async function preparedDatabase(dir: string, region: string): Promise<void> {
  const db = join(dir, 'keystone.db');
  const conf = join(dir, 'keystone.conf');
  let version = '';
  try {
    version = (await run('dpkg-query', ['-W', '-f=${Version}', 'python3-keystone'])).stdout;
  } catch {
    // not a Debian install: no template cache
  }
  const root = process.getuid?.() === 0;
  const cacheDir =
    process.env.STX_LAB_CACHE ?? (root ? '/var/cache/stx-lab' : join(tmpdir(), 'stx-lab-cache'));
  const name = `keystone-${version.replace(/[^A-Za-z0-9.+-]/g, '_')}-${TEMPLATE_REV}-${region}.db`;
  const template = join(cacheDir, name);
  if (version && existsSync(template)) {
    copyFileSync(template, db);
    return;
  }
  if ((await python(WAL, db)) !== 'wal') throw new Error('could not put SQLite in WAL mode');
  await manage(conf, ['db_sync']);
  await manage(conf, [
    'bootstrap',
    ...['--bootstrap-username', 'admin', '--bootstrap-password', KEYSTONE_ADMIN_PASSWORD],
    ...['--bootstrap-project-name', 'admin', '--bootstrap-role-name', 'admin'],
    ...['--bootstrap-region-id', region, '--bootstrap-public-url', PLACEHOLDER],
    ...['--bootstrap-internal-url', PLACEHOLDER, '--bootstrap-admin-url', PLACEHOLDER],
  ]);
  await python(WAL, db);
  if (!version) return;
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${template}.${process.pid}.tmp`;
  copyFileSync(db, tmp);
  renameSync(tmp, template); // atomic: a parallel builder just wins or loses the race
}

/** A key repository as `keystone-manage fernet_setup` makes it: 0 (staged) and 1 (primary). */
export function keyRepository(path: string): void {
  mkdirSync(path, { mode: 0o700 });
  for (const n of ['0', '1']) {
    writeFileSync(join(path, n), randomBytes(32).toString('base64url') + '=', { mode: 0o600 });
  }
}

/** Stops and removes runs whose owning process died without stop() (SIGKILL, a timeout). */
export function sweepStaleRuns(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(RUN_PREFIX)) continue;
    const dir = join(tmpdir(), name);
    let owner: number;
    try {
      owner = Number(readFileSync(join(dir, 'owner.pid'), 'utf8'));
    } catch {
      continue; // not fully created yet
    }
    if (processAlive(owner)) continue;
    try {
      const uwsgi = Number(readFileSync(join(dir, 'uwsgi.pid'), 'utf8'));
      if (processAlive(uwsgi, dir)) killTree(uwsgi);
    } catch {
      // never started
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
