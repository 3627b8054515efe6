// The OS secret store for the desktop face. Refuses Linux's `basic_text` backend (a fixed key,
// i.e. plaintext in disguise); then passwords are kept in memory only and the UI says so.
import { safeStorage } from 'electron';

import type { Cipher } from '../core/secrets/secret-store';

export type CipherResult = { cipher: Cipher } | { refused: string };

export function osCipher(): CipherResult {
  if (!safeStorage.isEncryptionAvailable()) {
    return { refused: 'the OS secret store is not available' };
  }
  const backend =
    process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : process.platform;
  if (backend === 'basic_text' || backend === 'unknown') {
    return {
      refused:
        `the OS secret store backend is "${backend}", which does not protect secrets; ` +
        'install and unlock a keyring (GNOME Keyring, KWallet) to keep passwords between sessions',
    };
  }
  return {
    cipher: {
      backend,
      encrypt: (plain) => safeStorage.encryptString(plain),
      decrypt: (data) => safeStorage.decryptString(data),
    },
  };
}
