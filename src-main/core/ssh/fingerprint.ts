// Host-key fingerprints exactly as OpenSSH prints them, and the key type inside a wire blob.
import { createHash } from 'node:crypto';
import { AppError } from '../../shared/errors';

/** `SHA256:` + unpadded base64 of SHA-256 over the key blob, as `ssh-keygen -lf` prints it. */
export function fingerprintSha256(keyBlob: Buffer): string {
  const digest = createHash('sha256').update(keyBlob).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

/** The algorithm name at the start of an SSH wire-format public key blob, e.g. `ssh-ed25519`. */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) throw new AppError('invalid_input', 'the key blob is too short');
  const len = keyBlob.readUInt32BE(0);
  if (len === 0 || len > 64 || 4 + len > keyBlob.length) {
    throw new AppError('invalid_input', 'the key blob does not start with a key type string');
  }
  const type = keyBlob.subarray(4, 4 + len).toString('latin1');
  if (!/^[\x21-\x7e]+$/.test(type)) {
    throw new AppError('invalid_input', 'the key blob does not start with a key type string');
  }
  return type;
}

/** Decodes the base64 key field of a known_hosts / .pub line; undefined when it is not a key. */
export function decodeKeyField(keyType: string, base64: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return undefined;
  const blob = Buffer.from(base64, 'base64');
  try {
    return keyTypeOf(blob) === keyType ? blob : undefined;
  } catch {
    return undefined;
  }
}

/** The blob and type of an OpenSSH public key line (`type base64 [comment]`). */
export function parsePublicKeyLine(line: string): { keyType: string; blob: Buffer } | undefined {
  const [keyType, base64] = line.trim().split(/\s+/);
  if (keyType === undefined || base64 === undefined) return undefined;
  const blob = decodeKeyField(keyType, base64);
  return blob ? { keyType, blob } : undefined;
}
