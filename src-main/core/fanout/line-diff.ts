// A unified line diff (Myers' O(ND) algorithm) for comparing one host's output with another's.
// Common leading and trailing lines are trimmed first, so two large outputs that differ in a few
// lines diff fast. Beyond `maxLines` differing lines, or `maxEdits` edits, it gives up with a note
// instead of spending seconds or hundreds of megabytes on a diff nobody will read.

import type { DiffHunk, DiffLine, LineDiff } from '../../shared/models/fanout';

export type { DiffHunk, DiffLine, LineDiff };

export interface DiffOptions {
  /** Unchanged lines shown around each change (default 3). */
  readonly context?: number;
  /** Compare lines ignoring trailing spaces, tabs and CR (shown as they are). Default false. */
  readonly ignoreTrailingWhitespace?: boolean;
  /** Give up when more than this many lines differ on either side after trimming (5000). */
  readonly maxLines?: number;
  /** Give up when the shortest edit script is longer than this (2000). */
  readonly maxEdits?: number;
}

interface Line {
  readonly text: string;
  readonly noNewline: boolean;
}

/** Splits text into lines; a final line without '\n' is marked, and '' has no lines. */
export function splitLines(text: string): Line[] {
  if (text === '') return [];
  const parts = text.split('\n');
  const last = parts.pop() ?? '';
  const lines: Line[] = parts.map((t) => ({ text: t, noNewline: false }));
  if (last !== '') lines.push({ text: last, noNewline: true });
  return lines;
}

type Op = { readonly op: ' ' | '-' | '+'; readonly a: number; readonly b: number };

/** Myers' shortest edit script between two arrays of line ids; undefined beyond maxEdits. */
function myers(a: Int32Array, b: Int32Array, maxEdits: number): Op[] | undefined {
  const n = a.length;
  const m = b.length;
  const trace: Int32Array[] = [];
  let prev = new Int32Array(1);
  let found = -1;
  for (let d = 0; d <= Math.min(n + m, maxEdits); d++) {
    const v = new Int32Array(2 * d + 1);
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (d === 0) x = 0;
      else if (k === -d || (k !== d && prev[k - 1 + d - 1]! < prev[k + 1 + d - 1]!)) {
        x = prev[k + 1 + d - 1]!;
      } else x = prev[k - 1 + d - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[k + d] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    trace.push(v);
    prev = v;
    if (found >= 0) break;
  }
  if (found < 0) return undefined;

  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const before = trace[d - 1]!;
    const k = x - y;
    const down = k === -d || (k !== d && before[k - 1 + d - 1]! < before[k + 1 + d - 1]!);
    const prevK = down ? k + 1 : k - 1;
    const prevX = before[prevK + d - 1]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) ops.push({ op: ' ', a: --x, b: --y });
    if (down) ops.push({ op: '+', a: x, b: --y });
    else ops.push({ op: '-', a: --x, b: y });
  }
  while (x > 0 && y > 0) ops.push({ op: ' ', a: --x, b: --y });
  return ops.reverse();
}

function key(line: Line, ignoreTrailing: boolean): string {
  if (ignoreTrailing) return line.text.replace(/[ \t\r]+$/, '');
  return line.noNewline ? `${line.text}\n\\` : line.text;
}

function toHunks(ops: readonly Op[], a: Line[], b: Line[], context: number): DiffHunk[] {
  const hunks: DiffHunk[] = [];
  let i = 0;
  while (i < ops.length) {
    if (ops[i]!.op === ' ') {
      i++;
      continue;
    }
    // A change starts at i: take context before it, then extend while changes are close.
    const start = Math.max(0, i - context);
    let end = i;
    let lastChange = i;
    while (end < ops.length) {
      if (ops[end]!.op !== ' ') lastChange = end;
      else if (end - lastChange > 2 * context) break;
      end++;
    }
    const stop = Math.min(ops.length, lastChange + context + 1);
    const slice = ops.slice(start, stop);
    const lines: DiffLine[] = slice.map((o) => {
      const line = o.op === '+' ? b[o.b]! : a[o.a]!;
      return line.noNewline
        ? { op: o.op, text: line.text, noNewline: true }
        : { op: o.op, text: line.text };
    });
    const oldLines = slice.filter((o) => o.op !== '+').length;
    const newLines = slice.filter((o) => o.op !== '-').length;
    const first = slice[0]!;
    hunks.push({
      oldStart: oldLines === 0 ? first.a : first.a + 1,
      oldLines,
      newStart: newLines === 0 ? first.b : first.b + 1,
      newLines,
      lines,
    });
    i = stop;
  }
  return hunks;
}

/** The line diff turning `oldText` (the reference) into `newText`. */
export function diffLines(oldText: string, newText: string, options: DiffOptions = {}): LineDiff {
  const context = Math.max(0, options.context ?? 3);
  const ignore = options.ignoreTrailingWhitespace ?? false;
  const maxLines = options.maxLines ?? 5000;
  const maxEdits = options.maxEdits ?? 2000;
  const a = splitLines(oldText);
  const b = splitLines(newText);

  const ka = a.map((l) => key(l, ignore));
  const kb = b.map((l) => key(l, ignore));
  let head = 0;
  while (head < ka.length && head < kb.length && ka[head] === kb[head]) head++;
  let tail = 0;
  while (
    tail < ka.length - head &&
    tail < kb.length - head &&
    ka[ka.length - 1 - tail] === kb[kb.length - 1 - tail]
  ) {
    tail++;
  }
  // Only the differing middle goes through Myers, as small integer ids.
  const ids = new Map<string, number>();
  const idOf = (k: string): number => {
    let id = ids.get(k);
    if (id === undefined) ids.set(k, (id = ids.size));
    return id;
  };
  const midA = Int32Array.from(ka.slice(head, ka.length - tail), idOf);
  const midB = Int32Array.from(kb.slice(head, kb.length - tail), idOf);
  if (midA.length === 0 && midB.length === 0) {
    return { identical: true, added: 0, removed: 0, hunks: [] };
  }
  const tooLarge = (note: string): LineDiff => ({
    identical: false,
    added: midB.length,
    removed: midA.length,
    hunks: [],
    note,
  });
  if (midA.length > maxLines || midB.length > maxLines) {
    return tooLarge(
      `outputs too large to diff: ${midA.length} and ${midB.length} differing lines (limit ${maxLines})`,
    );
  }
  const mid = myers(midA, midB, maxEdits);
  if (!mid)
    return tooLarge(`outputs differ too much to diff (more than ${maxEdits} changed lines)`);

  // Only the context lines of the trimmed head and tail can appear in a hunk.
  const ops: Op[] = [];
  for (let k = Math.max(0, head - context); k < head; k++) ops.push({ op: ' ', a: k, b: k });
  for (const o of mid) ops.push({ op: o.op, a: o.a + head, b: o.b + head });
  for (let k = tail; k > Math.max(0, tail - context); k--) {
    ops.push({ op: ' ', a: a.length - k, b: b.length - k });
  }

  return {
    identical: false,
    added: mid.filter((o) => o.op === '+').length,
    removed: mid.filter((o) => o.op === '-').length,
    hunks: toHunks(ops, a, b, context),
  };
}

/** The diff as `diff -u` text, with `---`/`+++` labels. Empty when identical. */
export function formatUnified(diff: LineDiff, oldLabel: string, newLabel: string): string {
  if (diff.identical) return '';
  const out = [`--- ${oldLabel}`, `+++ ${newLabel}`];
  if (diff.note) out.push(`# ${diff.note} (-${diff.removed} +${diff.added})`);
  for (const h of diff.hunks) {
    const range = (start: number, count: number): string =>
      count === 1 ? `${start}` : `${start},${count}`;
    out.push(`@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@`);
    for (const line of h.lines) {
      out.push(`${line.op}${line.text}`);
      if (line.noNewline) out.push('\\ No newline at end of file');
    }
  }
  return `${out.join('\n')}\n`;
}
