// Test helper: real keys from ssh-keygen in a temp dir, and what ssh-keygen says about them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RealKey {
  readonly keyType: string;
  readonly blob: Buffer;
  /** `type base64` as in a .pub file, without the comment. */
  readonly publicLine: string;
  /** The fingerprint `ssh-keygen -lf` printed. */
  readonly keygenFingerprint: string;
}

export function tempDir(prefix = 'stx-ssh-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

let counter = 0;

export function makeKey(dir: string, type: 'ed25519' | 'ecdsa' | 'rsa'): RealKey {
  counter += 1;
  const file = join(dir, `key-${type}-${counter}`);
  const bits = type === 'rsa' ? ['-b', '2048'] : [];
  execFileSync('ssh-keygen', ['-q', '-t', type, ...bits, '-N', '', '-C', 'test', '-f', file]);
  const [keyType, base64] = readFileSync(`${file}.pub`, 'utf8').trim().split(/\s+/);
  const out = execFileSync('ssh-keygen', ['-lf', `${file}.pub`], { encoding: 'utf8' });
  const keygenFingerprint = out.split(/\s+/)[1] ?? '';
  return {
    keyType: keyType!,
    blob: Buffer.from(base64!, 'base64'),
    publicLine: `${keyType} ${base64}`,
    keygenFingerprint,
  };
}

/** Runs ssh-keygen with args; returns stdout (exit status ignored: -F exits 1 when not found). */
export function keygen(args: string[]): string {
  try {
    return execFileSync('ssh-keygen', args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    const e = err as { stdout?: string };
    return e.stdout ?? '';
  }
}
