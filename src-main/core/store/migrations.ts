// Numbered schema migrations. Append only: never edit a migration that has shipped.
// `PRAGMA user_version` records the last one applied.

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'inventory',
    sql: `
      CREATE TABLE hosts (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
        address     TEXT NOT NULL,
        port        INTEGER NOT NULL DEFAULT 22 CHECK (port BETWEEN 1 AND 65535),
        user        TEXT,
        roles       TEXT NOT NULL DEFAULT '[]',   -- JSON array of role names
        bmc_type    TEXT CHECK (bmc_type IN ('redfish', 'ipmi')),
        bmc_address TEXT,
        bmc_user    TEXT,
        auth_kind   TEXT NOT NULL DEFAULT 'agent' CHECK (auth_kind IN ('agent', 'key', 'password')),
        key_path    TEXT,                         -- a path, never key material
        notes       TEXT NOT NULL DEFAULT '',
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      );
      CREATE TABLE groups (
        name        TEXT PRIMARY KEY COLLATE NOCASE,
        description TEXT NOT NULL DEFAULT ''
      );
      CREATE TABLE host_groups (
        host_id    INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
        group_name TEXT NOT NULL REFERENCES groups(name) ON DELETE CASCADE ON UPDATE CASCADE,
        PRIMARY KEY (host_id, group_name)
      );
      -- Secrets encrypted by the OS secret store (Electron safeStorage). Ciphertext only.
      CREATE TABLE secrets (
        ref        TEXT PRIMARY KEY,
        ciphertext BLOB NOT NULL,
        backend    TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE audit (
        id     INTEGER PRIMARY KEY,
        at     TEXT NOT NULL,
        actor  TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX audit_at ON audit(at);
    `,
  },
  {
    version: 2,
    name: 'jump chains and the local machine',
    sql: `
      ALTER TABLE hosts ADD COLUMN proxy_jump TEXT NOT NULL DEFAULT '[]'; -- JSON array of hops
      ALTER TABLE hosts ADD COLUMN connection TEXT NOT NULL DEFAULT 'ssh'
        CHECK (connection IN ('ssh', 'local'));
      -- The machine the console runs on is a host from the first start (child processes, no SSH).
      INSERT OR IGNORE INTO hosts (name, address, port, connection, notes, created_at, updated_at)
        VALUES ('localhost', '127.0.0.1', 22, 'local',
                'This machine: commands run as local processes, without SSH.',
                strftime('%Y-%m-%dT%H:%M:%fZ'), strftime('%Y-%m-%dT%H:%M:%fZ'));
    `,
  },
];
