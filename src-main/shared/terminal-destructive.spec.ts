import { describe, expect, it } from 'vitest';

import { destructiveMatches, feedLine, inputVerdict } from './terminal-destructive';

const rules = (line: string): string[] => destructiveMatches(line).map((m) => m.rule);

describe('destructive lines', () => {
  it.each([
    ['rm -rf /var/lib/foo', 'rm-rf'],
    ['rm -fr build', 'rm-rf'],
    ['rm -r -f build', 'rm-rf'],
    ['rm --recursive --force x', 'rm-rf'],
    ['sudo rm -Rf /opt/platform', 'rm-rf'],
    ['cd /tmp && rm -rf x', 'rm-rf'],
    ["sudo -u root '/bin/rm' -rf y", 'rm-rf'],
    ['reboot', 'reboot'],
    ['sudo systemctl reboot', 'reboot'],
    ['init 6', 'reboot'],
    ['shutdown -h now', 'shutdown'],
    ['poweroff', 'shutdown'],
    ['sudo mkfs.ext4 /dev/sdb1', 'mkfs'],
    ['mkfs -t xfs /dev/sdc', 'mkfs'],
    ['dd if=image.iso of=/dev/sdb bs=4M', 'dd'],
    ['X=1 nohup /sbin/reboot', 'reboot'],
    ['timeout 5 reboot', 'reboot'],
  ])('%j is %s', (line, rule) => {
    expect(rules(line)).toContain(rule);
  });

  it.each([
    'rm -r build',
    'rm -f file',
    'ls -rf',
    'echo reboot',
    'grep shutdown /var/log/syslog',
    'dd if=/dev/zero bs=1M count=1',
    'man mkfs',
    'systemctl status',
  ])('%j is not destructive', (line) => {
    expect(rules(line)).toEqual([]);
  });
});

describe('line tracking', () => {
  it('completes a line typed key by key only at Enter', () => {
    let pending = '';
    for (const k of 'rm -rf /') {
      const v = inputVerdict(pending, k);
      expect(v.matches).toEqual([]);
      pending = v.pending;
    }
    const v = inputVerdict(pending, '\r');
    expect(v.matches.map((m) => m.rule)).toEqual(['rm-rf']);
    expect(v.matches[0]?.line).toBe('rm -rf /');
    expect(v.pending).toBe('');
  });

  it('follows backspace, Ctrl-U, Ctrl-W and Ctrl-C', () => {
    expect(feedLine('', 'rebooX\x7ft').pending).toBe('reboot');
    expect(feedLine('rm -rf /', '\x15ls\r').completed).toEqual(['ls']);
    expect(feedLine('echo rm -rf', '\x17\x17x').pending).toBe('echo x');
    expect(feedLine('reboot', '\x03').pending).toBe('');
    expect(inputVerdict('reboot', '\x03\r').matches).toEqual([]);
  });

  it('sees destructive lines inside a bracketed paste', () => {
    const v = inputVerdict('', '\x1b[200~ls\nsudo reboot\n\x1b[201~');
    expect(v.matches.map((m) => m.rule)).toEqual(['reboot']);
  });

  it('ignores cursor keys rather than inventing text', () => {
    expect(feedLine('', 'ls\x1b[A\x1bOB').pending).toBe('ls');
  });
});
