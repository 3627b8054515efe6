// Where passwords live. Never SQLite in plaintext, never a log line.
// - MemorySecretStore: the browser-host and CLI faces; gone when the process ends.
// - EncryptedSecretStore: the desktop face; ciphertext from the OS secret store
//   (Electron safeStorage, injected as a Cipher so core stays free of Electron) kept in SQLite.
import type { SecretStoreInfo } from '../../shared/models/app';
import type { Db } from '../store/database';

export interface SecretStore {
  readonly info: SecretStoreInfo;
  get(ref: string): string | undefined;
  has(ref: string): boolean;
  set(ref: string, value: string): void;
  delete(ref: string): void;
}

export function hostPasswordRef(hostId: number): string {
  return `host:${hostId}:password`;
}

export class MemorySecretStore implements SecretStore {
  readonly info: SecretStoreInfo;
  readonly #values = new Map<string, string>();

  constructor(note: string) {
    this.info = { backend: 'memory', persistent: false, note };
  }
  get(ref: string): string | undefined {
    return this.#values.get(ref);
  }
  has(ref: string): boolean {
    return this.#values.has(ref);
  }
  set(ref: string, value: string): void {
    this.#values.set(ref, value);
  }
  delete(ref: string): void {
    this.#values.delete(ref);
  }
}

/** The OS-backed encryption the desktop face provides (safeStorage). */
export interface Cipher {
  readonly backend: string;
  encrypt(plain: string): Buffer;
  decrypt(cipher: Buffer): string;
}

export class EncryptedSecretStore implements SecretStore {
  readonly info: SecretStoreInfo;

  constructor(
    private readonly db: Db,
    private readonly cipher: Cipher,
  ) {
    this.info = { backend: cipher.backend, persistent: true, note: '' };
  }
  get(ref: string): string | undefined {
    const row = this.db.prepare('SELECT ciphertext FROM secrets WHERE ref = ?').get(ref) as
      { ciphertext: Buffer } | undefined;
    return row ? this.cipher.decrypt(row.ciphertext) : undefined;
  }
  has(ref: string): boolean {
    return this.db.prepare('SELECT 1 FROM secrets WHERE ref = ?').get(ref) !== undefined;
  }
  set(ref: string, value: string): void {
    this.db
      .prepare(
        `INSERT INTO secrets (ref, ciphertext, backend, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(ref) DO UPDATE SET ciphertext = excluded.ciphertext,
           backend = excluded.backend, updated_at = excluded.updated_at`,
      )
      .run(ref, this.cipher.encrypt(value), this.cipher.backend, new Date().toISOString());
  }
  delete(ref: string): void {
    this.db.prepare('DELETE FROM secrets WHERE ref = ?').run(ref);
  }
}
