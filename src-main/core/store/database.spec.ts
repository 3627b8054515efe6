import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

import { DB_FILE, openStore } from './database';
import { MIGRATIONS } from './migrations';

const fresh = (): string => mkdtempSync(join(tmpdir(), 'stx-store-'));

describe('openStore', () => {
  it('creates the database in WAL mode with every migration applied', () => {
    const dir = fresh();
    const { db, notice } = openStore(dir);
    expect(notice).toBeNull();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)?.version);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all();
    expect(tables.map((t) => (t as { name: string }).name)).toEqual(
      expect.arrayContaining(['hosts', 'groups', 'host_groups', 'secrets', 'audit']),
    );
    db.close();
  });

  it('applies only the migrations it has not applied yet', () => {
    const dir = fresh();
    const first = openStore(dir, { migrations: MIGRATIONS.slice(0, 1) });
    first.db.prepare("INSERT INTO groups (name) VALUES ('kept')").run();
    first.db.close();
    const extra = [...MIGRATIONS, { version: 99, name: 'extra', sql: 'CREATE TABLE extra (x)' }];
    const second = openStore(dir, { migrations: extra });
    expect(second.db.pragma('user_version', { simple: true })).toBe(99);
    expect(second.db.prepare('SELECT name FROM groups').all()).toEqual([{ name: 'kept' }]);
    second.db.close();
  });

  it('moves a file that is not a database aside and starts fresh', () => {
    const dir = fresh();
    writeFileSync(
      join(dir, DB_FILE),
      'this is not an SQLite file, it is a shopping list\n'.repeat(100),
    );
    const when = new Date('2026-11-22T10:00:00Z');
    const { db, notice } = openStore(dir, { now: () => when });
    expect(notice?.movedTo).toBe(join(dir, `${DB_FILE}.broken-2026-11-22T10-00-00-000Z`));
    expect(notice?.reason).toMatch(/not a database/);
    expect(existsSync(notice?.movedTo ?? '')).toBe(true);
    expect(db.prepare('SELECT name, connection FROM hosts').all()).toEqual([
      { name: 'localhost', connection: 'local' },
    ]);
    db.close();
  });

  it('moves a database with corrupt pages aside', () => {
    const dir = fresh();
    const file = join(dir, DB_FILE);
    const raw = new Database(file);
    raw.pragma('journal_mode = DELETE');
    raw.exec('CREATE TABLE t (x TEXT); CREATE INDEX t_x ON t(x);');
    const ins = raw.prepare('INSERT INTO t VALUES (?)');
    raw.transaction(() => {
      for (let i = 0; i < 2000; i++) ins.run(`row ${i} ${'x'.repeat(50)}`);
    })();
    raw.close();
    // Scribble over the middle of the file, leaving the header intact.
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(4096 * 4, 0xab), 0, 4096 * 4, 4096 * 3);
    closeSync(fd);
    const { db, notice } = openStore(dir);
    expect(notice).not.toBeNull();
    expect(readdirSync(dir).some((f) => f.includes('.broken-'))).toBe(true);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('refuses a database from a newer app instead of moving it aside', () => {
    const dir = fresh();
    const raw = new Database(join(dir, DB_FILE));
    raw.pragma('user_version = 500');
    raw.close();
    expect(() => openStore(dir)).toThrow(/newer than this app knows/);
    expect(readdirSync(dir).some((f) => f.includes('.broken-'))).toBe(false);
  });

  it('leaves a sound database alone when it cannot be opened for another reason', () => {
    const dir = fresh();
    openStore(dir).db.close();
    expect(() => openStore(dir, { nativeBinding: join(dir, 'missing-binary.node') })).toThrow();
    expect(readdirSync(dir).some((f) => f.includes('.broken-'))).toBe(false);
    const again = openStore(dir);
    expect(again.notice).toBeNull();
    again.db.close();
  });
});
