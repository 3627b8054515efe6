// Opens the app's SQLite store: WAL, foreign keys, integrity check, numbered migrations.
// A database that cannot be opened or fails its check is moved aside and a fresh one made,
// so the app always starts; the caller gets a notice to show the user.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';

import type { StoreNotice } from '../../shared/models/app';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export interface OpenedStore {
  readonly db: Db;
  readonly file: string;
  readonly notice: StoreNotice | null;
}

export interface OpenOptions {
  /** Path of an ABI-matching better-sqlite3 binary (the Electron face passes one). */
  readonly nativeBinding?: string | undefined;
  readonly migrations?: readonly Migration[];
  /** Clock for the moved-aside file name (tests pin it). */
  readonly now?: () => Date;
}

export const DB_FILE = 'stx-lab.sqlite';

/** The file is not a usable database: only this moves it aside (never locks, permissions, ABI). */
class CorruptDatabase extends Error {}

function corruption(err: unknown): CorruptDatabase | undefined {
  if (err instanceof CorruptDatabase) return err;
  const code = (err as { code?: unknown } | null)?.code;
  // SQLITE_CORRUPT and its extended codes (SQLITE_CORRUPT_INDEX, …), SQLITE_NOTADB.
  if (typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code)) {
    return new CorruptDatabase(err instanceof Error ? err.message : code);
  }
  return undefined;
}

function openChecked(file: string, options: OpenOptions): Db {
  const db = new Database(
    file,
    options.nativeBinding ? { nativeBinding: options.nativeBinding } : {},
  );
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    const verdict = rows.map((r) => r.integrity_check).join('; ');
    if (verdict !== 'ok') throw new CorruptDatabase(`integrity check failed: ${verdict}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, options.migrations ?? MIGRATIONS);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

export function migrate(db: Db, migrations: readonly Migration[]): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(
      `the database is at schema version ${current}, newer than this app knows (${latest}); ` +
        'it was written by a newer StarlingX Lab Console',
    );
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return latest;
}

function moveAside(file: string, now: Date): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const target = `${file}.broken-${stamp}`;
  renameSync(file, target);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, target + suffix);
  }
  return target;
}

export function openStore(dataDir: string, options: OpenOptions = {}): OpenedStore {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, DB_FILE);
  try {
    return { db: openChecked(file, options), file, notice: null };
  } catch (err) {
    // Locks, permissions, a binary that does not load, a newer schema: the data is fine, so
    // refuse to start rather than hide it. Only a file that is not a sound database moves aside.
    const corrupt = corruption(err);
    if (!corrupt || !existsSync(file)) throw err;
    const reason = corrupt.message;
    const movedTo = moveAside(file, (options.now ?? (() => new Date()))());
    const db = openChecked(file, options);
    return { db, file, notice: { movedTo, reason } };
  }
}
