import { describe, expect, it } from 'vitest';

import { keyTypeName, sshHostPort } from './host-key';

describe('host key wording', () => {
  it('writes host and port as OpenSSH does', () => {
    expect(sshHostPort('node1', 22)).toBe('node1');
    expect(sshHostPort('127.0.0.1', 2222)).toBe('[127.0.0.1]:2222');
  });

  it('names key types as OpenSSH does', () => {
    expect(keyTypeName('ssh-ed25519')).toBe('ED25519');
    expect(keyTypeName('ecdsa-sha2-nistp256')).toBe('ECDSA');
    expect(keyTypeName('rsa-sha2-512')).toBe('RSA');
    expect(keyTypeName('ED25519')).toBe('ED25519');
  });
});
