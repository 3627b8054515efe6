import { execFileSync } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { quoteArg, shellLine } from './quote';

/** Runs the line in a real POSIX shell and returns each argv word the command received. */
function received(line: string): string[] {
  const out = execFileSync('/bin/sh', ['-c', line.replace(/^exec /, 'exec ')], {
    encoding: 'utf8',
  });
  return out.split('\0').slice(0, -1);
}

const HOSTILE = [
  'plain',
  '',
  'two words',
  "it's",
  '"double"',
  '$(touch /tmp/pwned)',
  '`id`',
  '; rm -rf / ;',
  'a\nb',
  '$HOME',
  '*',
  '~root',
  '\\',
  '-n',
  "'; echo '",
  'ünïcødé ✓',
  '--',
];

describe('quoteArg', () => {
  it('leaves plainly safe words bare and quotes the rest', () => {
    expect(quoteArg('ls')).toBe('ls');
    expect(quoteArg('/etc/os-release')).toBe('/etc/os-release');
    expect(quoteArg('a b')).toBe("'a b'");
    expect(quoteArg("it's")).toBe(`'it'\\''s'`);
    expect(quoteArg('')).toBe("''");
  });

  it('refuses NUL bytes', () => {
    expect(() => quoteArg('a\0b')).toThrow(/NUL/);
  });
});

describe('shellLine in a real shell', () => {
  it('delivers every hostile word unchanged, as one argument each', () => {
    const line = shellLine({ argv: ['printf', '%s\\0', ...HOSTILE] });
    expect(received(line)).toEqual(HOSTILE);
  });

  it('sets environment variables and the working directory, quoted', () => {
    const line = shellLine({
      argv: ['sh', '-c', 'printf "%s\\0%s\\0" "$STX_X" "$PWD"'],
      env: { STX_X: "$(id) 'quoted'\nnext" },
      cwd: '/tmp',
    });
    expect(line.startsWith("cd /tmp && exec env 'STX_X=")).toBe(true);
    expect(received(line)).toEqual(["$(id) 'quoted'\nnext", '/tmp']);
  });

  it('refuses bad environment names and empty commands', () => {
    expect(() => shellLine({ argv: ['true'], env: { 'A;B': '1' } })).toThrow(/not a valid/);
    expect(() => shellLine({ argv: [] })).toThrow(/at least one word/);
  });
});
