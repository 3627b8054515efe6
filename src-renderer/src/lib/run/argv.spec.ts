import { describe, expect, it } from 'vitest';

import { shellArgv, splitCommand } from './argv';

describe('splitCommand', () => {
  it('splits on blanks and keeps quoted text whole', () => {
    expect(splitCommand('  echo   hello  ').words).toEqual(['echo', 'hello']);
    expect(splitCommand(`grep -e 'a b' "c d" e\\ f`).words).toEqual([
      'grep',
      '-e',
      'a b',
      'c d',
      'e f',
    ]);
    expect(splitCommand(`printf '' x`).words).toEqual(['printf', '', 'x']);
    expect(splitCommand(`a'b'"c"d`).words).toEqual(['abcd']);
  });

  it('handles backslashes as sh does, inside and outside double quotes', () => {
    expect(splitCommand(String.raw`echo "a\"b" "c\d" 'e\f'`).words).toEqual([
      'echo',
      'a"b',
      'c\\d',
      'e\\f',
    ]);
    expect(splitCommand('echo a\\\nb').words).toEqual(['echo', 'ab']);
    expect(splitCommand('echo x\\').words).toEqual(['echo', 'x\\']);
  });

  it('reports shell operators outside single quotes and keeps them as typed', () => {
    const r = splitCommand('cat /etc/os-release | grep ID && echo ok; ls > out');
    expect(r.operators).toEqual(['|', '&&', ';', '>']);
    expect(r.words).toContain('|');
    expect(splitCommand('echo $(hostname) `id`').operators).toEqual(['$(', '`']);
    expect(splitCommand('echo "$(hostname)"').operators).toEqual(['$(']);
    expect(splitCommand(`echo 'a|b;c' "x>y"`).operators).toEqual([]);
    expect(splitCommand('echo a#b # comment').operators).toEqual(['#']);
  });

  it('notes variables and globs, which are passed as typed', () => {
    expect(splitCommand('echo $HOME').variables).toBe(true);
    expect(splitCommand("echo '$HOME'").variables).toBe(false);
    expect(splitCommand('echo "${X}"').variables).toBe(true);
    expect(splitCommand('echo $ 5$').variables).toBe(false);
    expect(splitCommand('ls *.log').globs).toBe(true);
    expect(splitCommand("ls '*.log'").globs).toBe(false);
  });

  it('reports an unclosed quote with its column', () => {
    expect(splitCommand(`echo 'abc`).error).toEqual({
      message: 'unclosed single quote',
      column: 6,
    });
    expect(splitCommand(`echo "abc`).error).toEqual({
      message: 'unclosed double quote',
      column: 6,
    });
  });

  it('builds the explicit sh -c form', () => {
    expect(shellArgv('a | b')).toEqual(['sh', '-c', 'a | b']);
  });
});
