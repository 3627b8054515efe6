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
  {
    version: 3,
    name: 'flow runs: steps, per-host results, events and output lines',
    sql: `
      -- n: a small integer key; log rows use n << 32 | seq as their rowid (no extra index).
      CREATE TABLE flow_runs (
        n            INTEGER PRIMARY KEY,
        id           TEXT NOT NULL UNIQUE,
        flow_id      TEXT NOT NULL,
        flow_title   TEXT NOT NULL,
        file         TEXT NOT NULL,
        flow_text    TEXT NOT NULL,              -- the flow as it ran (resume reads it)
        status       TEXT NOT NULL,
        inputs       TEXT NOT NULL DEFAULT '{}', -- JSON, secret inputs left out
        secret_names TEXT NOT NULL DEFAULT '[]', -- JSON array: asked again on resume
        forks        INTEGER NOT NULL,
        actor        TEXT NOT NULL,
        owner_pid    INTEGER,                    -- the process running it (interrupted when gone)
        started_at   TEXT NOT NULL,
        ended_at     TEXT,
        error        TEXT,
        last_seq     INTEGER NOT NULL DEFAULT 0,
        log_lines    INTEGER NOT NULL DEFAULT 0,
        fts_seq      INTEGER NOT NULL DEFAULT 0  -- log lines up to here are in flow_log_fts
      );
      CREATE INDEX flow_runs_started ON flow_runs(started_at);
      CREATE TABLE flow_run_steps (
        run_n      INTEGER NOT NULL REFERENCES flow_runs(n) ON DELETE CASCADE,
        step_id    TEXT NOT NULL,
        position   INTEGER NOT NULL,
        title      TEXT NOT NULL,
        kind       TEXT NOT NULL,
        say        TEXT,
        needs      TEXT NOT NULL DEFAULT '[]',
        status     TEXT NOT NULL,
        attempts   INTEGER NOT NULL DEFAULT 0,
        started_at TEXT,
        ended_at   TEXT,
        summary    TEXT,
        error      TEXT,
        outputs    TEXT NOT NULL DEFAULT '{}',
        confirm    TEXT,                         -- JSON RunConfirmation
        PRIMARY KEY (run_n, step_id)
      ) WITHOUT ROWID;
      CREATE TABLE flow_run_hosts (
        run_n      INTEGER NOT NULL REFERENCES flow_runs(n) ON DELETE CASCADE,
        step_id    TEXT NOT NULL,
        host       TEXT NOT NULL,
        position   INTEGER NOT NULL,
        status     TEXT NOT NULL,
        summary    TEXT,
        started_at TEXT,
        ended_at   TEXT,
        PRIMARY KEY (run_n, step_id, host)
      ) WITHOUT ROWID;
      CREATE TABLE flow_run_events (
        run_n INTEGER NOT NULL REFERENCES flow_runs(n) ON DELETE CASCADE,
        seq   INTEGER NOT NULL,
        at    INTEGER NOT NULL,                  -- ms since the epoch
        body  TEXT NOT NULL,                     -- JSON RunEventBody (never a log batch)
        PRIMARY KEY (run_n, seq)
      ) WITHOUT ROWID;
      CREATE TABLE flow_run_logs (
        id     INTEGER PRIMARY KEY,              -- run_n << 32 | seq
        at     INTEGER NOT NULL,
        step   TEXT,
        host   TEXT,
        stream TEXT NOT NULL,
        text   TEXT NOT NULL
      );
      CREATE VIRTUAL TABLE flow_log_fts USING fts5(text, content='', contentless_delete=1);
    `,
  },
  {
    version: 4,
    name: 'API check runs, results and user suites',
    sql: `
      CREATE TABLE check_runs (
        id           TEXT PRIMARY KEY,
        suite        TEXT NOT NULL,
        started_at   TEXT NOT NULL,
        finished_at  TEXT NOT NULL,
        ok           INTEGER NOT NULL,
        passed       INTEGER NOT NULL,
        failed       INTEGER NOT NULL,
        insecure     INTEGER NOT NULL DEFAULT 0,
        via          TEXT,
        keystone_url TEXT,                        -- the URL and user only, never a password
        keystone     TEXT                         -- JSON KeystoneSummary (no token)
      );
      CREATE INDEX check_runs_started ON check_runs(started_at);
      CREATE TABLE check_results (
        run_id     TEXT NOT NULL REFERENCES check_runs(id) ON DELETE CASCADE,
        position   INTEGER NOT NULL,
        check_id   TEXT NOT NULL,
        at         TEXT NOT NULL,
        ok         INTEGER NOT NULL,
        status     INTEGER,
        latency_ms REAL NOT NULL,
        cause      TEXT,
        message    TEXT NOT NULL,
        body       TEXT NOT NULL,                 -- JSON CheckResult (excerpt included)
        PRIMARY KEY (run_id, position)
      ) WITHOUT ROWID;
      CREATE INDEX check_results_trend ON check_results(check_id, at);
      CREATE TABLE check_suites (
        name        TEXT PRIMARY KEY,
        title       TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        checks      TEXT NOT NULL,                -- JSON CheckDef[]
        updated_at  TEXT NOT NULL
      );
    `,
  },
];
