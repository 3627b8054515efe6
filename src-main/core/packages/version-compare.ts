// Version ordering as the package tools define it: dpkg's (epoch:upstream-revision, `~` sorts
// before everything, even the end) and rpm's rpmvercmp (`~` before the end, `^` after it).
// Results are -1, 0 or 1. Checked against the real `dpkg --compare-versions` and rpm's Lua
// `rpm.vercmp` in version-compare.spec.ts.
import type { PackageFormat } from './package-manager';

export type Ordering = -1 | 0 | 1;

const sign = (n: number): Ordering => (n < 0 ? -1 : n > 0 ? 1 : 0);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));

// ── dpkg (lib/dpkg/version.c) ──

function dpkgOrder(c: string | undefined): number {
  if (c === undefined || c === '') return 0;
  if (isDigit(c)) return 0;
  if (isAlpha(c)) return c.charCodeAt(0);
  if (c === '~') return -1;
  return c.charCodeAt(0) + 256;
}

/** dpkg's verrevcmp over one part (upstream version or revision). */
export function dpkgVerrevcmp(a: string, b: string): Ordering {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const ac = dpkgOrder(a[i]);
      const bc = dpkgOrder(b[j]);
      if (ac !== bc) return sign(ac - bc);
      i++;
      j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    while (isDigit(a[i]) && isDigit(b[j])) {
      if (!firstDiff) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a[i])) return 1;
    if (isDigit(b[j])) return -1;
    if (firstDiff) return sign(firstDiff);
  }
  return 0;
}

export interface Evr {
  readonly epoch: number;
  readonly version: string;
  /** Debian revision / rpm release; '' when absent. */
  readonly release: string;
}

/** `[epoch:]version[-release]` → parts (release after the LAST hyphen, as both tools do). */
export function parseEvr(text: string): Evr {
  const s = text.trim();
  const colon = s.indexOf(':');
  let epoch = 0;
  let rest = s;
  if (colon > 0 && /^\d+$/.test(s.slice(0, colon))) {
    epoch = Number(s.slice(0, colon));
    rest = s.slice(colon + 1);
  }
  const dash = rest.lastIndexOf('-');
  return dash >= 0
    ? { epoch, version: rest.slice(0, dash), release: rest.slice(dash + 1) }
    : { epoch, version: rest, release: '' };
}

/** `dpkg --compare-versions a lt|eq|gt b` as -1 | 0 | 1. */
export function compareDebVersions(a: string, b: string): Ordering {
  const x = parseEvr(a);
  const y = parseEvr(b);
  if (x.epoch !== y.epoch) return sign(x.epoch - y.epoch);
  return dpkgVerrevcmp(x.version, y.version) || dpkgVerrevcmp(x.release, y.release);
}

// ── rpm (rpmio/rpmvercmp.c, rpm ≥ 4.15 with `^`) ──

const rpmSep = (c: string | undefined): boolean =>
  c !== undefined && !isDigit(c) && !isAlpha(c) && c !== '~' && c !== '^';

/** rpm's rpmvercmp over one part (version or release). */
export function rpmvercmp(a: string, b: string): Ordering {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && rpmSep(a[i])) i++;
    while (j < b.length && rpmSep(b[j])) j++;
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (!(i < a.length && j < b.length)) break;
    let ei = i;
    let ej = j;
    const isNum = isDigit(a[i]);
    const same = isNum ? isDigit : isAlpha;
    while (ei < a.length && same(a[ei])) ei++;
    while (ej < b.length && same(b[ej])) ej++;
    if (ej === j) return isNum ? 1 : -1; // numeric beats alpha
    let s1 = a.slice(i, ei);
    let s2 = b.slice(j, ej);
    if (isNum) {
      s1 = s1.replace(/^0+/, '');
      s2 = s2.replace(/^0+/, '');
      if (s1.length !== s2.length) return s1.length > s2.length ? 1 : -1;
    }
    if (s1 !== s2) return s1 < s2 ? -1 : 1;
    i = ei;
    j = ej;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i < a.length ? 1 : -1;
}

/**
 * rpm's EVR order as Lua `rpm.vercmp` gives it: epoch, version, then release (a missing release
 * is empty, so `1.0-1` > `1.0`). Dependency matching instead ignores a release one side lacks:
 * pass `{ releaseOptional: true }` for that.
 */
export function compareRpmVersions(
  a: string,
  b: string,
  options: { releaseOptional?: boolean } = {},
): Ordering {
  const x = parseEvr(a);
  const y = parseEvr(b);
  if (x.epoch !== y.epoch) return sign(x.epoch - y.epoch);
  const v = rpmvercmp(x.version, y.version);
  if (v !== 0) return v;
  if (options.releaseOptional && (x.release === '' || y.release === '')) return 0;
  return rpmvercmp(x.release, y.release);
}

/** The ordering of the host's package format (swupd OS versions are plain integers). */
export function compareVersions(format: PackageFormat, a: string, b: string): Ordering {
  if (format === 'deb') return compareDebVersions(a, b);
  if (format === 'swupd' && /^\d+$/.test(a) && /^\d+$/.test(b)) {
    return sign(Number(a) - Number(b));
  }
  return compareRpmVersions(a, b);
}
