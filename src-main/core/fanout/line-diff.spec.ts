import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { diffLines, formatUnified, type LineDiff, splitLines } from './line-diff';

/** Applies the hunks to the old text's lines; must give the new text's lines. */
function apply(oldText: string, diff: LineDiff): string[] {
  const old = splitLines(oldText).map((l) => l.text);
  const out: string[] = [];
  let at = 0; // next old line (0-based) not yet copied
  for (const h of diff.hunks) {
    const start = h.oldLines === 0 ? h.oldStart : h.oldStart - 1;
    while (at < start) out.push(old[at++]!);
    for (const l of h.lines) {
      if (l.op === ' ') expect(l.text).toBe(old[at++]);
      else if (l.op === '-') expect(l.text).toBe(old[at++]);
      else out.push(l.text);
      if (l.op === ' ') out.push(l.text);
    }
  }
  while (at < old.length) out.push(old[at++]!);
  return out;
}

/** Length of the longest common subsequence, by dynamic programming (the reference). */
function lcs(a: string[], b: string[]): number {
  const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      dp[i]![j] =
        a[i - 1] === b[j - 1] ? dp[i - 1]![j - 1]! + 1 : Math.max(dp[i - 1]![j]!, dp[i]![j - 1]!);
    }
  }
  return dp[a.length]![b.length]!;
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

describe('diffLines', () => {
  it('is identical for equal texts, including empty ones', () => {
    expect(diffLines('', '')).toMatchObject({ identical: true, hunks: [] });
    expect(diffLines('a\nb\n', 'a\nb\n').identical).toBe(true);
    expect(formatUnified(diffLines('x\n', 'x\n'), 'a', 'b')).toBe('');
  });

  it('prints a unified diff with context, like diff -u', () => {
    const a = 'one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n';
    const b = 'one\ntwo\nthree\nfour\nFIVE\nsix\nseven\neight\nnine\nten\neleven\n';
    const d = diffLines(a, b, { context: 2 });
    expect(d).toMatchObject({ identical: false, added: 2, removed: 1 });
    expect(formatUnified(d, 'majority', 'node3')).toBe(
      [
        '--- majority',
        '+++ node3',
        '@@ -3,5 +3,5 @@',
        ' three',
        ' four',
        '-five',
        '+FIVE',
        ' six',
        ' seven',
        '@@ -9,2 +9,3 @@',
        ' nine',
        ' ten',
        '+eleven',
        '',
      ].join('\n'),
    );
  });

  it('matches GNU diff -u on simple cases', () => {
    const dir = mkdtempSync(join(tmpdir(), 'line-diff-'));
    try {
      const cases: [string, string][] = [
        ['a\nb\nc\n', 'a\nc\n'],
        ['', 'x\ny\n'],
        ['x\ny\n', ''],
        ['a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n', 'a\nb\nX\nd\ne\nf\ng\nh\ni\nY\nk\n'],
        ['a\nb', 'a\nb\n'],
      ];
      for (const [a, b] of cases) {
        writeFileSync(join(dir, 'a'), a);
        writeFileSync(join(dir, 'b'), b);
        let gnu = '';
        try {
          execFileSync('diff', ['-u', '--label', 'a', '--label', 'b', 'a', 'b'], { cwd: dir });
        } catch (e) {
          gnu = String((e as { stdout: Buffer }).stdout);
        }
        expect(formatUnified(diffLines(a, b), 'a', 'b')).toBe(gnu);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is correct and minimal on random inputs', () => {
    const rand = seeded(7);
    for (let round = 0; round < 300; round++) {
      const alphabet = 1 + Math.floor(rand() * 5);
      const gen = (): string[] =>
        Array.from({ length: Math.floor(rand() * 15) }, () => `l${Math.floor(rand() * alphabet)}`);
      const a = gen();
      const b = gen();
      const at = (l: string[]): string => l.map((x) => `${x}\n`).join('');
      const d = diffLines(at(a), at(b), { context: Math.floor(rand() * 4) });
      expect(apply(at(a), d)).toEqual(b);
      expect(d.removed + d.added).toBe(a.length + b.length - 2 * lcs(a, b));
      expect(d.identical).toBe(a.join() === b.join());
    }
  });

  it('treats CRLF and trailing blanks as different unless told to ignore them', () => {
    const crlf = 'a\r\nb\r\n';
    expect(diffLines('a\nb\n', crlf).removed).toBe(2);
    expect(diffLines('a\nb\n', crlf, { ignoreTrailingWhitespace: true }).identical).toBe(true);
    expect(diffLines('a \nb\t\n', 'a\nb', { ignoreTrailingWhitespace: true }).identical).toBe(true);
  });

  it('diffs large outputs with few differences quickly', () => {
    const lines = Array.from({ length: 200_000 }, (_, i) => `line ${i}`);
    const a = lines.join('\n');
    const changed = [...lines];
    changed[100_000] = 'changed';
    const t = performance.now();
    const d = diffLines(a, changed.join('\n'));
    expect(performance.now() - t).toBeLessThan(2000);
    expect(d).toMatchObject({ added: 1, removed: 1 });
    expect(d.hunks).toHaveLength(1);
    expect(d.hunks[0]!.lines).toHaveLength(8);
  });

  it('bails out with a note above the line or edit limits', () => {
    const many = (p: string, n: number): string =>
      Array.from({ length: n }, (_, i) => `${p}${i}`).join('\n');
    const big = diffLines(many('a', 6000), many('b', 6000));
    expect(big.hunks).toEqual([]);
    expect(big.note).toContain('too large');
    expect(big).toMatchObject({ identical: false, added: 6000, removed: 6000 });
    const edits = diffLines(many('a', 3000), many('b', 3000));
    expect(edits.note).toContain('differ too much');
    expect(formatUnified(edits, 'x', 'y')).toContain('# outputs differ too much');
    const t = performance.now(); // the worst case the defaults allow stays cheap
    expect(diffLines(many('a', 5000), many('b', 5000)).note).toContain('differ too much');
    expect(performance.now() - t).toBeLessThan(2000);
  });
});
