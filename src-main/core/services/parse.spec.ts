import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  parseJournal,
  parseJournalLine,
  parseProcNet,
  parseSmDump,
  parseSs,
  parseSystemctlShow,
  smStatus,
  systemdEnabled,
  systemdStatus,
  sysvStatus,
} from './parse';

const rec = (f: string): string => readFileSync(join(import.meta.dirname, 'testdata', f), 'utf8');

describe('systemctl show', () => {
  it('reads one block per unit, in order, and maps states', () => {
    const blocks = parseSystemctlShow(rec('systemctl-show.txt'));
    expect(blocks.map((b) => b.Id)).toEqual([
      'sysinv-api.service',
      'hwmon.service',
      'nope.service',
    ]);
    expect(blocks.map(systemdStatus)).toEqual(['active', 'failed', 'not-found']);
    expect(blocks.map(systemdEnabled)).toEqual([true, false, null]);
    expect(blocks[0]!.MainPID).toMatch(/^[1-9]\d*$/);
  });
});

describe('journal lines', () => {
  it('splits timestamp, identifier and message, and drops journalctl markers', () => {
    const lines = parseJournal(rec('journal-hwmon.txt'));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.every((l) => l.at !== null)).toBe(true);
    expect(lines.some((l) => l.message.includes('no board management controller'))).toBe(true);
    expect(parseJournal('-- No entries --\n')).toEqual([]);
  });
  it('keeps an unparsable line whole', () => {
    expect(parseJournalLine('plain text')).toEqual({
      at: null,
      ident: null,
      message: 'plain text',
    });
    expect(
      parseJournalLine('2026-11-23T00:31:57+00:00 ctl sysinv-api[42]: GET /v1/ihosts 200'),
    ).toEqual({
      at: '2026-11-23T00:31:57+00:00',
      ident: 'sysinv-api[42]',
      message: 'GET /v1/ihosts 200',
    });
  });
});

describe('listening sockets', () => {
  it('reads ss -Hltunp with and without process columns', () => {
    const text = rec('ss-ltunp.txt');
    const l = parseSs(text);
    expect(l).toHaveLength(text.trim().split('\n').length);
    expect(l.find((x) => x.process === 'sshd')).toMatchObject({
      proto: 'tcp',
      address: '127.0.0.1',
    });
    expect(l.find((x) => x.port === 2024)).toEqual({
      proto: 'tcp',
      address: '0.0.0.0',
      port: 2024,
    });
    expect(
      parseSs(
        'udp UNCONN 0 0 0.0.0.0:2101 0.0.0.0:*\ntcp LISTEN 0 128 [::]:22 [::]:* users:(("sshd",pid=1,fd=4))\n',
      ),
    ).toEqual([
      { proto: 'udp', address: '0.0.0.0', port: 2101 },
      { proto: 'tcp', address: '::', port: 22, process: 'sshd' },
    ]);
  });
  it('reads /proc/net tables through grep -H (LISTEN tcp, bound udp only)', () => {
    const text = [
      '/proc/net/tcp:  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '/proc/net/tcp:   0: 0100007F:18EB 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0',
      '/proc/net/tcp:   1: 0100007F:A1B2 0100007F:18EB 01 00000000:00000000 00:00000000 00000000     0        0 2 1 0 20 4 30 10 -1',
      '/proc/net/tcp6:   0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3 1 0 100 0 0 10 0',
      '/proc/net/udp:   5: 00000000:0835 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4 2 0',
    ].join('\n');
    expect(parseProcNet(text)).toEqual([
      { proto: 'tcp', address: '127.0.0.1', port: 6379 },
      { proto: 'tcp', address: '00000000000000000000000000000000', port: 22 },
      { proto: 'udp', address: '0.0.0.0', port: 2101 },
    ]);
  });
});

describe('sm-dump', () => {
  it('reads groups and services as sm_dump.py lays them out', () => {
    const d = parseSmDump(rec('sm-dump.txt'));
    expect(d.groups.map((g) => g.name)).toContain('controller-services');
    const by = new Map(d.services.map((s) => [s.name, s]));
    expect(smStatus(by.get('sysinv-inv')!)).toBe('active');
    expect(smStatus(by.get('hw-mon')!)).toBe('failed');
    expect(smStatus(by.get('vim')!)).toBe('activating');
    expect(smStatus(by.get('vim-api')!)).toBe('inactive');
    expect(smStatus(by.get('dcmanager-api')!)).toBe('inactive');
    expect(by.get('hw-mon')!.status).toBe('failed');
  });
});

describe('SysV status codes', () => {
  it('follows LSB', () => {
    expect([0, 1, 3, 4, null].map(sysvStatus)).toEqual([
      'active',
      'failed',
      'inactive',
      'unknown',
      'unknown',
    ]);
  });
});
