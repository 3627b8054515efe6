// Parsers for what service managers print: `systemctl show`, `journalctl -o short-iso`,
// `ss -Hltunp`, /proc/net/{tcp,udp}{,6} (through `grep -H`), `sm-dump` and `service … status`.
import type { JournalLine, ServiceStatus } from '../../shared/models/services';

export interface UnitProps {
  readonly [key: string]: string;
}

/** `systemctl show -p A,B u1 u2`: one block per unit, separated by a blank line, in order. */
export function parseSystemctlShow(text: string): UnitProps[] {
  const blocks: Record<string, string>[] = [];
  let cur: Record<string, string> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line === '') {
      cur = undefined;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    if (!cur) {
      cur = {};
      blocks.push(cur);
    }
    cur[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return blocks;
}

const SYSTEMD_STATES: readonly ServiceStatus[] = [
  'active',
  'inactive',
  'failed',
  'activating',
  'deactivating',
  'reloading',
];

/** Status from LoadState + ActiveState (a unit that is not loaded is `not-found`). */
export function systemdStatus(p: UnitProps): ServiceStatus {
  if (p.LoadState === 'not-found') return 'not-found';
  const a = p.ActiveState ?? '';
  if ((SYSTEMD_STATES as readonly string[]).includes(a)) return a as ServiceStatus;
  // `maintenance` and `refreshing` (systemd ≥ 254) are transitional.
  if (a === 'maintenance' || a === 'refreshing') return 'reloading';
  return 'unknown';
}

/** `is-enabled`-like answer from UnitFileState: enabled/alias/static/indirect … */
export function systemdEnabled(p: UnitProps): boolean | null {
  const s = p.UnitFileState ?? '';
  if (s === '') return null;
  if (['enabled', 'enabled-runtime', 'alias', 'linked', 'linked-runtime'].includes(s)) return true;
  if (['disabled', 'masked', 'masked-runtime'].includes(s)) return false;
  return null; // static, indirect, generated, transient, bad: not a yes/no
}

/** systemd timestamps (`Mon 2026-11-23 00:31:57 UTC`); empty or `n/a` → null. */
export function systemdTime(v: string | undefined): string | null {
  if (!v || v === 'n/a' || v === '0') return null;
  return v;
}

const JOURNAL = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[.,]\d+)?(?:[+-]\d\d:?\d\d|Z)?)\s+\S+\s+(.*)$/;
const IDENT = /^([^\s:[\]]+(?:\[\d+\])?):\s?(.*)$/;

/** One line of `journalctl -o short-iso` (or a log file with ISO timestamps). */
export function parseJournalLine(line: string): JournalLine {
  const m = JOURNAL.exec(line);
  if (!m) return { at: null, ident: null, message: line };
  const rest = m[2] ?? '';
  const id = IDENT.exec(rest);
  return id
    ? { at: m[1]!, ident: id[1]!, message: id[2] ?? '' }
    : { at: m[1]!, ident: null, message: rest };
}

/** Lines of a journal/log excerpt, without journalctl's `-- No entries --` style markers. */
export function parseJournal(text: string): JournalLine[] {
  return text
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l !== '' && !/^-- .* --$/.test(l))
    .map(parseJournalLine);
}

export interface Listener {
  readonly proto: 'tcp' | 'udp';
  readonly address: string;
  readonly port: number;
  readonly process?: string;
}

function splitHostPort(s: string): { address: string; port: number } | undefined {
  const i = s.lastIndexOf(':');
  if (i < 0) return undefined;
  const port = Number(s.slice(i + 1));
  if (!Number.isInteger(port) || port <= 0) return undefined;
  return {
    address: s
      .slice(0, i)
      .replace(/^\[|\]$/g, '')
      .replace(/%\S+$/, ''),
    port,
  };
}

/** `ss -Hltunp`: `tcp LISTEN 0 4096 127.0.0.1:5000 0.0.0.0:* users:(("uwsgi",pid=12,fd=3))`. */
export function parseSs(text: string): Listener[] {
  const out: Listener[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    const proto = f[0] === 'tcp' || f[0] === 'udp' ? f[0] : undefined;
    if (!proto) continue;
    const local = splitHostPort(f[4]!);
    if (!local) continue;
    const users = /users:\(\("([^"]+)"/.exec(line);
    out.push({ proto, ...local, ...(users ? { process: users[1]! } : {}) });
  }
  return out;
}

/**
 * `grep -H . /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6`: listening TCP sockets
 * (state 0A) and bound UDP sockets (state 07).
 */
export function parseProcNet(text: string): Listener[] {
  const out: Listener[] = [];
  for (const line of text.split('\n')) {
    const m =
      /^\/proc\/net\/(tcp|udp)6?:\s*\d+:\s+([0-9A-Fa-f]+):([0-9A-Fa-f]{4})\s+\S+\s+([0-9A-Fa-f]{2})/.exec(
        line,
      );
    if (!m) continue;
    const proto = m[1] as 'tcp' | 'udp';
    const st = m[4]!.toUpperCase();
    if ((proto === 'tcp' && st !== '0A') || (proto === 'udp' && st !== '07')) continue;
    out.push({ proto, address: hexAddress(m[2]!), port: parseInt(m[3]!, 16) });
  }
  return out;
}

function hexAddress(hex: string): string {
  if (hex.length === 8) {
    const b = Buffer.from(hex, 'hex');
    return `${b[3]}.${b[2]}.${b[1]}.${b[0]}`;
  }
  return hex.toLowerCase(); // IPv6: shown raw, only the port matters here
}

export interface SmServiceState {
  readonly name: string;
  readonly desired: string;
  readonly state: string;
  readonly status: string;
}

/**
 * `sm-dump` (ha/service-mgmt-tools sm_dump.py): a `-Service_Groups---` section and a
 * `-Services---` section of `%-32s %-20s %-20s %-10s` rows (name, desired state, state, status).
 */
export function parseSmDump(text: string): {
  groups: SmServiceState[];
  services: SmServiceState[];
} {
  const groups: SmServiceState[] = [];
  const services: SmServiceState[] = [];
  let into: SmServiceState[] | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (/^-Service_Groups-/.test(line)) into = groups;
    else if (/^-Services-/.test(line)) into = services;
    else if (/^-+$/.test(line)) into = undefined;
    else if (into && line.trim() !== '') {
      const f = line.trim().split(/\s+/);
      into.push({ name: f[0]!, desired: f[1] ?? '', state: f[2] ?? '', status: f[3] ?? '' });
    }
  }
  return { groups, services };
}

/** SM state words → status. enabled-standby is healthy but not running here: inactive. */
export function smStatus(s: SmServiceState): ServiceStatus {
  if (s.status === 'failed' || s.state === 'failed') return 'failed';
  if (s.state === 'enabled-active') return 'active';
  if (s.state === 'enabled-standby' || s.state === 'disabled' || s.state === 'shutdown')
    return 'inactive';
  if (s.state.startsWith('enabling') || s.state.startsWith('enabled-go-')) return 'activating';
  if (s.state === 'disabling') return 'deactivating';
  return 'unknown';
}

/** LSB `service NAME status` exit codes. */
export function sysvStatus(exitCode: number | null): ServiceStatus {
  switch (exitCode) {
    case 0:
      return 'active';
    case 1:
    case 2:
      return 'failed';
    case 3:
      return 'inactive';
    case 4:
      return 'unknown';
    default:
      return 'unknown';
  }
}
