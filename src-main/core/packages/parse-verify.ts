// rpm -V and dpkg --verify print the same layout (dpkg adopted rpm's):
//   S.5....T.  c /etc/ssh/sshd_config
//   missing     /usr/share/doc/x
// Nine attribute columns, each the letter when that attribute differs, '.' when it matches and
// '?' when it could not be checked; then the file attribute marker (c d g l r) or a blank.
import type { VerifyIssue } from './package-manager';

const FLAG_NAMES = [
  'size',
  'mode',
  'digest',
  'device',
  'link',
  'user',
  'group',
  'mtime',
  'capabilities',
];
const FLAG_LETTERS = 'SM5DLUGTP';

const CHANGED = /^([.?SM5DLUGTP]{8,9})\s+([cdglr])?\s*(\/.*?)(?:\s+\(([^)]*)\))?$/;
const MISSING = /^missing\s+([cdglr])?\s*(\/.*?)(?:\s+\(([^)]*)\))?$/;

export function decodeVerifyFlags(flags: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < flags.length && i < FLAG_LETTERS.length; i++) {
    if (flags[i] === FLAG_LETTERS[i]) out.push(FLAG_NAMES[i]!);
  }
  return out;
}

/** Parses rpm -V / dpkg --verify output; lines it does not recognise are left out. */
export function parseVerifyOutput(text: string): VerifyIssue[] {
  const issues: VerifyIssue[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    let m = MISSING.exec(line);
    if (m) {
      issues.push({
        path: m[2]!,
        problem: 'missing',
        flags: '',
        changed: [],
        attr: m[1] ?? '',
        ...(m[3] ? { note: m[3] } : {}),
      });
      continue;
    }
    m = CHANGED.exec(line);
    if (m) {
      issues.push({
        path: m[3]!,
        problem: 'changed',
        flags: m[1]!,
        changed: decodeVerifyFlags(m[1]!),
        attr: m[2] ?? '',
        ...(m[4] ? { note: m[4] } : {}),
      });
    }
  }
  return issues;
}
