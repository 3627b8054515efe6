// OpenSSH known_hosts: parsing (every entry keeps its file and line) and host-key checking over
// several files, the way ssh(1) decides. Malformed lines are reported, never fatal.
//
// Decision (matches OpenSSH's check_hostkeys_by_key_or_type in hostfile.c):
//  - only plain entries (no marker) whose host patterns match the dialled name count;
//  - an entry with the SAME key type and the same key → `known`;
//  - else an entry with the same key type and another key → `changed` (ssh refuses);
//  - else → `unknown`, even when keys of OTHER types are pinned for the host: ssh then asks as for
//    a new host ("keys of different type are already known for this host"). We report those
//    entries in `otherTypes` so the prompt can warn the same way.
//  - `@revoked` wins over everything. We are stricter than ssh: a revoked key is refused for
//    every host, whatever the host field of the @revoked line says.
//  - `@cert-authority` lines are parsed and kept but never used for plain host keys.
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { HostKeyCheck, HostKeyVerifier } from './types';
import { decodeKeyField, fingerprintSha256, keyTypeOf } from './fingerprint';

export type KnownHostsMarker = 'revoked' | 'cert-authority' | null;

export type HostField =
  | { readonly kind: 'patterns'; readonly patterns: readonly string[] }
  | { readonly kind: 'hashed'; readonly salt: Buffer; readonly hash: Buffer };

export interface KnownHostEntry {
  readonly file: string;
  readonly line: number;
  readonly marker: KnownHostsMarker;
  readonly hosts: HostField;
  /** The hosts field as written. */
  readonly hostsText: string;
  readonly keyType: string;
  readonly keyBlob: Buffer;
  readonly fingerprint: string;
  readonly comment: string;
}

export interface KnownHostsProblem {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

export interface ParsedKnownHosts {
  readonly entries: KnownHostEntry[];
  readonly problems: KnownHostsProblem[];
}

/** The name ssh looks up: `host` for port 22, `[host]:port` otherwise; lower-cased. */
export function hostLookupName(host: string, port: number): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

/** `|1|salt|hmac` for a lookup name, as `ssh-keygen -H` and HashKnownHosts write it. */
export function hashHostName(name: string, salt: Buffer = randomBytes(20)): string {
  const hash = createHmac('sha1', salt).update(name).digest();
  return `|1|${salt.toString('base64')}|${hash.toString('base64')}`;
}

function parseHostField(text: string): HostField | string {
  if (text.startsWith('|')) {
    const m = /^\|1\|([A-Za-z0-9+/]+={0,2})\|([A-Za-z0-9+/]+={0,2})$/.exec(text);
    if (!m) return 'hashed host field is not |1|salt|hash';
    const salt = Buffer.from(m[1]!, 'base64');
    const hash = Buffer.from(m[2]!, 'base64');
    if (salt.length !== 20 || hash.length !== 20) return 'hashed host field has the wrong length';
    return { kind: 'hashed', salt, hash };
  }
  const patterns = text.split(',');
  if (patterns.some((p) => p === '' || p === '!')) return 'empty host pattern in the host list';
  return { kind: 'patterns', patterns };
}

/** One known_hosts file's text → entries and problems. */
export function parseKnownHosts(text: string, file: string): ParsedKnownHosts {
  const entries: KnownHostEntry[] = [];
  const problems: KnownHostsProblem[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.replace(/\r$/, '').trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const fields = trimmed.split(/[ \t]+/);
    let marker: KnownHostsMarker = null;
    if (fields[0]?.startsWith('@')) {
      const m = fields.shift();
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else {
        problems.push({ file, line, reason: `unknown marker ${m}` });
        return;
      }
    }
    const [hostsText, keyType, base64, ...rest] = fields;
    if (hostsText === undefined || keyType === undefined || base64 === undefined) {
      problems.push({ file, line, reason: 'expected: [marker] hosts keytype key [comment]' });
      return;
    }
    if (/^\d+$/.test(keyType)) {
      problems.push({ file, line, reason: 'SSH protocol 1 key lines are not supported' });
      return;
    }
    const hosts = parseHostField(hostsText);
    if (typeof hosts === 'string') {
      problems.push({ file, line, reason: hosts });
      return;
    }
    const keyBlob = decodeKeyField(keyType, base64);
    if (!keyBlob) {
      problems.push({ file, line, reason: `the key is not valid base64 of a ${keyType} key` });
      return;
    }
    entries.push({
      file,
      line,
      marker,
      hosts,
      hostsText,
      keyType,
      keyBlob,
      fingerprint: fingerprintSha256(keyBlob),
      comment: rest.join(' '),
    });
  });
  return { entries, problems };
}

/** OpenSSH glob: `*` any run, `?` exactly one character; case-insensitive unless asked. */
export function globMatch(pattern: string, text: string, caseSensitive = false): boolean {
  const p = caseSensitive ? pattern : pattern.toLowerCase();
  const t = caseSensitive ? text : text.toLowerCase();
  // Iterative matcher with backtracking on the last `*` (no regex: patterns are data).
  let pi = 0;
  let ti = 0;
  let star = -1;
  let mark = 0;
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === t[ti])) {
      pi += 1;
      ti += 1;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi;
      mark = ti;
      pi += 1;
    } else if (star >= 0) {
      pi = star + 1;
      mark += 1;
      ti = mark;
    } else return false;
  }
  while (pi < p.length && p[pi] === '*') pi += 1;
  return pi === p.length;
}

/** OpenSSH pattern-list semantics: a matching `!pattern` vetoes; else any positive match wins. */
export function patternListMatches(
  patterns: readonly string[],
  name: string,
  caseSensitive = false,
): boolean {
  let positive = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (globMatch(p.slice(1), name, caseSensitive)) return false;
    } else if (globMatch(p, name, caseSensitive)) positive = true;
  }
  return positive;
}

/** Whether an entry's host field names this lookup name (see hostLookupName). */
export function entryMatchesName(
  entry: Pick<KnownHostEntry, 'hosts'>,
  lookupName: string,
): boolean {
  const h = entry.hosts;
  if (h.kind === 'hashed') {
    return createHmac('sha1', h.salt).update(lookupName).digest().equals(h.hash);
  }
  return patternListMatches(h.patterns, lookupName);
}

export interface EntryRef {
  readonly file: string;
  readonly line: number;
  readonly fingerprint: string;
  readonly keyType: string;
}

export interface KnownHostsCheck extends HostKeyCheck {
  /** Entries for this host pinning a different key of the same type (changed). */
  readonly conflicts: readonly EntryRef[];
  /** Entries for this host with keys of other types (the "different type known" warning). */
  readonly otherTypes: readonly EntryRef[];
}

const ref = (e: KnownHostEntry): EntryRef => ({
  file: e.file,
  line: e.line,
  fingerprint: e.fingerprint,
  keyType: e.keyType,
});

/** The decision over entries already parsed, in file order. */
export function checkEntries(
  entries: readonly KnownHostEntry[],
  host: string,
  port: number,
  keyBlob: Buffer,
): KnownHostsCheck {
  const keyType = keyTypeOf(keyBlob);
  const fingerprint = fingerprintSha256(keyBlob);
  const revoked = entries.find((e) => e.marker === 'revoked' && e.keyBlob.equals(keyBlob));
  if (revoked) {
    return {
      status: 'revoked',
      keyType,
      fingerprint,
      match: ref(revoked),
      conflicts: [],
      otherTypes: [],
    };
  }
  const name = hostLookupName(host, port);
  const mine = entries.filter((e) => e.marker === null && entryMatchesName(e, name));
  const sameType = mine.filter((e) => e.keyType === keyType);
  const otherTypes = mine.filter((e) => e.keyType !== keyType).map(ref);
  const hit = sameType.find((e) => e.keyBlob.equals(keyBlob));
  if (hit)
    return { status: 'known', keyType, fingerprint, match: ref(hit), conflicts: [], otherTypes };
  const conflicts = sameType.map(ref);
  const first = conflicts[0];
  if (first)
    return { status: 'changed', keyType, fingerprint, match: first, conflicts, otherTypes };
  return { status: 'unknown', keyType, fingerprint, conflicts, otherTypes };
}

export interface KnownHostsVerifierOptions {
  /** In order: ~/.ssh/known_hosts, /etc/ssh/ssh_known_hosts, the app's own file. Missing files are fine. */
  readonly files: readonly string[];
}

interface Cached {
  readonly stamp: string;
  readonly parsed: ParsedKnownHosts;
}

/** Checks host keys against several known_hosts files, re-reading a file when it changes. */
export class KnownHostsVerifier implements HostKeyVerifier {
  readonly files: readonly string[];
  private readonly cache = new Map<string, Cached>();

  constructor(options: KnownHostsVerifierOptions) {
    this.files = [...options.files];
  }

  private load(file: string): ParsedKnownHosts {
    let stamp: string;
    try {
      const st = statSync(file);
      stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {
      this.cache.delete(file);
      return { entries: [], problems: [] };
    }
    const hit = this.cache.get(file);
    if (hit?.stamp === stamp) return hit.parsed;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      const reason = `cannot read: ${(err as Error).message}`;
      return { entries: [], problems: [{ file, line: 0, reason }] };
    }
    const parsed = parseKnownHosts(text, file);
    this.cache.set(file, { stamp, parsed });
    return parsed;
  }

  entries(): KnownHostEntry[] {
    return this.files.flatMap((f) => this.load(f).entries);
  }

  problems(): KnownHostsProblem[] {
    return this.files.flatMap((f) => this.load(f).problems);
  }

  /** Plain entries naming this host and port, in file order (like `ssh-keygen -F`). */
  lookup(host: string, port: number): KnownHostEntry[] {
    const name = hostLookupName(host, port);
    return this.entries().filter((e) => e.marker === null && entryMatchesName(e, name));
  }

  check(host: string, port: number, keyBlob: Buffer): KnownHostsCheck {
    return checkEntries(this.entries(), host, port, keyBlob);
  }
}
