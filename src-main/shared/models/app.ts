// Facts about the running app that every face shows somewhere (About, status bar, CLI --version).

export type Face = 'desktop' | 'web' | 'cli';

export interface SecretStoreInfo {
  /** e.g. `gnome_libsecret`, `kwallet5`, `keychain`, `dpapi`, or `memory`. */
  readonly backend: string;
  /** False when secrets live only as long as this process (browser host, CLI, refused backends). */
  readonly persistent: boolean;
  /** Why the store is not persistent, in words for the user; '' when it is. */
  readonly note: string;
}

export interface StoreNotice {
  /** Where the unreadable database was moved. */
  readonly movedTo: string;
  readonly reason: string;
}

export interface AppInfo {
  readonly name: string;
  readonly version: string;
  readonly face: Face;
  readonly dataDir: string;
  readonly secretStore: SecretStoreInfo;
  /** Set when the database could not be opened at start and a fresh one was made. */
  readonly storeNotice: StoreNotice | null;
}
