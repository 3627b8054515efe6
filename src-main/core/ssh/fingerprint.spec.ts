import { afterAll, describe, expect, it } from 'vitest';
import { decodeKeyField, fingerprintSha256, keyTypeOf, parsePublicKeyLine } from './fingerprint';
import { makeKey, tempDir } from './testdata/keys';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('fingerprintSha256', () => {
  for (const type of ['ed25519', 'ecdsa', 'rsa'] as const) {
    it(`matches ssh-keygen -lf for a real ${type} key`, () => {
      const key = makeKey(tmp.dir, type);
      expect(fingerprintSha256(key.blob)).toBe(key.keygenFingerprint);
      expect(fingerprintSha256(key.blob)).not.toMatch(/=$/);
    });
  }
});

describe('keyTypeOf', () => {
  it('reads the type string from real blobs', () => {
    expect(keyTypeOf(makeKey(tmp.dir, 'ed25519').blob)).toBe('ssh-ed25519');
    expect(keyTypeOf(makeKey(tmp.dir, 'ecdsa').blob)).toBe('ecdsa-sha2-nistp256');
    expect(keyTypeOf(makeKey(tmp.dir, 'rsa').blob)).toBe('ssh-rsa');
  });
  it('refuses garbage', () => {
    expect(() => keyTypeOf(Buffer.from([0, 0]))).toThrow(/too short/);
    expect(() => keyTypeOf(Buffer.from([0, 0, 1, 0, 1, 2]))).toThrow(/key type/);
  });
});

describe('public key lines', () => {
  it('parses a .pub line and checks the type matches the blob', () => {
    const key = makeKey(tmp.dir, 'ed25519');
    const parsed = parsePublicKeyLine(`${key.publicLine} me@host`);
    expect(parsed?.keyType).toBe('ssh-ed25519');
    expect(parsed?.blob.equals(key.blob)).toBe(true);
    const b64 = key.publicLine.split(' ')[1]!;
    expect(decodeKeyField('ssh-rsa', b64)).toBeUndefined();
    expect(decodeKeyField('ssh-ed25519', 'not base64!')).toBeUndefined();
  });
});
