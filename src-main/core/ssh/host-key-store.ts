// The app's own known_hosts file, in OpenSSH format so `ssh -o UserKnownHostsFile=FILE` can use it.
// Writes are atomic (temp file + rename) and the file is kept at 0600. The user's and the system's
// files are only ever read: a re-key reports what they still pin instead of editing them.
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../../shared/errors';
import { fingerprintSha256, keyTypeOf } from './fingerprint';
import {
  entryMatchesName,
  hashHostName,
  hostLookupName,
  parseKnownHosts,
  type KnownHostEntry,
} from './known-hosts';

export interface HostKeyStoreOptions {
  /** The app's known_hosts file (created on first write, 0600). */
  readonly file: string;
  /** Read-only files to report stale pins from (~/.ssh/known_hosts, /etc/ssh/ssh_known_hosts). */
  readonly otherFiles?: readonly string[];
  /** Write hashed host names (HashKnownHosts yes). Default false. */
  readonly hash?: boolean;
}

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export interface StoredEntry {
  readonly file: string;
  readonly line: number;
  /** host:port the entry was found or written for. */
  readonly host: string;
  readonly port: number;
  readonly hostsText: string;
  readonly keyType: string;
  readonly fingerprint: string;
}

export interface TrustResult {
  readonly entry: StoredEntry;
  /** false when the same key was already trusted for that host (nothing written). */
  readonly added: boolean;
}

export interface RekeyTarget extends HostPort {
  /** When given, trusted in the same write after the old entries are removed. */
  readonly newKey?: Buffer;
}

export interface RekeyResult {
  /** Entries removed from the app's file (what the audit entry should list). */
  readonly removed: readonly StoredEntry[];
  readonly added: readonly StoredEntry[];
  /** Entries in the user's/system files that still pin a key for these hosts (never edited). */
  readonly stillPinned: readonly StoredEntry[];
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new AppError('unavailable', `cannot read ${file}: ${(err as Error).message}`, { file });
  }
}

/** Replaces `file` with `text` atomically: temp file in the same folder, fsync, rename; 0600. */
export function writeFileAtomic(file: string, text: string): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  try {
    chmodSync(tmp, 0o600);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

export class HostKeyStore {
  readonly file: string;
  private readonly otherFiles: readonly string[];
  private readonly hash: boolean;

  constructor(options: HostKeyStoreOptions) {
    this.file = options.file;
    this.otherFiles = [...(options.otherFiles ?? [])];
    this.hash = options.hash ?? false;
  }

  /** The app file's entries (and problems) as they are now. */
  read(): ReturnType<typeof parseKnownHosts> {
    return parseKnownHosts(readText(this.file), this.file);
  }

  private lineFor(host: string, port: number, keyBlob: Buffer, hash: boolean): string {
    const name = hostLookupName(host, port);
    if (/[\s,]/.test(name) || name.includes('\0') || /^[!@|#]/.test(name) || /[*?]/.test(name)) {
      throw new AppError('invalid_input', `"${host}" cannot be written as a known_hosts host name`);
    }
    const keyType = keyTypeOf(keyBlob);
    return `${hash ? hashHostName(name) : name} ${keyType} ${keyBlob.toString('base64')}`;
  }

  /**
   * Appends `host keytype key` (hashed if asked) unless that exact key is already trusted. Refuses
   * (conflict) when any file pins a DIFFERENT key of the same type for the host: a changed key
   * only moves on through rekey(), so trust() can never be used to paper over a change.
   */
  trust(
    host: string,
    port: number,
    keyBlob: Buffer,
    options: { hash?: boolean } = {},
  ): TrustResult {
    const text = readText(this.file);
    const { entries } = parseKnownHosts(text, this.file);
    const name = hostLookupName(host, port);
    const keyType = keyTypeOf(keyBlob);
    const existing = entries.find(
      (e) => e.marker === null && e.keyBlob.equals(keyBlob) && entryMatchesName(e, name),
    );
    if (existing) return { entry: toStored(existing, host, port), added: false };
    const pins = [
      ...entries,
      ...this.otherFiles.flatMap((f) => parseKnownHosts(readText(f), f).entries),
    ];
    const clash = pins.find(
      (e) =>
        e.marker === null &&
        e.keyType === keyType &&
        !e.keyBlob.equals(keyBlob) &&
        entryMatchesName(e, name),
    );
    if (clash) {
      throw new AppError(
        'conflict',
        `${name} already has a different ${keyType} key (${clash.fingerprint}) in ${clash.file}:${clash.line}; re-key the host instead`,
        { file: clash.file, line: clash.line, fingerprint: clash.fingerprint },
      );
    }
    const line = this.lineFor(host, port, keyBlob, options.hash ?? this.hash);
    const lines = splitLines(text);
    lines.push(line);
    writeFileAtomic(this.file, joinLines(lines));
    return { entry: this.stored(lines.length, line, host, port, keyBlob), added: true };
  }

  /**
   * Removes every plain entry naming these hosts from the app file, as `ssh-keygen -R` does
   * (whole lines; `@revoked` and `@cert-authority` lines stay), optionally trusting new keys in
   * the same atomic write. Reports user/system entries that still pin a key for these hosts.
   */
  rekey(targets: readonly RekeyTarget[], options: { hash?: boolean } = {}): RekeyResult {
    const text = readText(this.file);
    const { entries } = parseKnownHosts(text, this.file);
    const names = targets.map((t) => ({ ...t, name: hostLookupName(t.host, t.port) }));
    const removed: StoredEntry[] = [];
    const drop = new Set<number>();
    for (const e of entries) {
      if (e.marker !== null) continue;
      const t = names.find((n) => entryMatchesName(e, n.name));
      if (!t) continue;
      drop.add(e.line);
      removed.push(toStored(e, t.host, t.port));
    }
    const lines = splitLines(text).filter((_, i) => !drop.has(i + 1));
    const added: StoredEntry[] = [];
    for (const t of targets) {
      if (!t.newKey) continue;
      const line = this.lineFor(t.host, t.port, t.newKey, options.hash ?? this.hash);
      lines.push(line);
      added.push(this.stored(lines.length, line, t.host, t.port, t.newKey));
    }
    if (removed.length > 0 || added.length > 0) writeFileAtomic(this.file, joinLines(lines));
    return { removed, added, stillPinned: this.pinnedElsewhere(names) };
  }

  private pinnedElsewhere(names: readonly (HostPort & { name: string })[]): StoredEntry[] {
    const out: StoredEntry[] = [];
    for (const file of this.otherFiles) {
      for (const e of parseKnownHosts(readText(file), file).entries) {
        if (e.marker !== null) continue;
        const t = names.find((n) => entryMatchesName(e, n.name));
        if (t) out.push(toStored(e, t.host, t.port));
      }
    }
    return out;
  }

  private stored(
    line: number,
    text: string,
    host: string,
    port: number,
    blob: Buffer,
  ): StoredEntry {
    return {
      file: this.file,
      line,
      host,
      port,
      hostsText: text.split(' ')[0] ?? '',
      keyType: keyTypeOf(blob),
      fingerprint: fingerprintSha256(blob),
    };
  }
}

function toStored(e: KnownHostEntry, host: string, port: number): StoredEntry {
  return {
    file: e.file,
    line: e.line,
    host,
    port,
    hostsText: e.hostsText,
    keyType: e.keyType,
    fingerprint: e.fingerprint,
  };
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

const joinLines = (lines: readonly string[]): string =>
  lines.length ? `${lines.join('\n')}\n` : '';
