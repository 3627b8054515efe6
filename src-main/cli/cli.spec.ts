import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it, vi } from 'vitest';

import { resolveDataDir } from './context';
import { main } from './index';

function capture(): { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  return { out, err };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('resolveDataDir', () => {
  it('prefers --data, then STX_LAB_DATA, then the XDG data folder', () => {
    expect(resolveDataDir('/a', { STX_LAB_DATA: '/b' })).toBe('/a');
    expect(resolveDataDir(undefined, { STX_LAB_DATA: '/b' })).toBe('/b');
    expect(resolveDataDir(undefined, {})).toMatch(/stx-lab$/);
  });
});

describe('stx-lab', () => {
  it('prints its version and help', async () => {
    const io = capture();
    expect(await main(['--version'])).toBe(0);
    expect(await main(['--help'])).toBe(0);
    expect(io.out.join('')).toMatch(/0\.0\.0-test/);
    expect(io.out.join('')).toMatch(/web \[options\]/);
  });

  it('adds, lists and removes hosts in the data folder', async () => {
    const data = mkdtempSync(join(tmpdir(), 'stx-cli-'));
    const io = capture();
    expect(
      await main([
        '--data',
        data,
        'hosts',
        'add',
        'ctl-0',
        '--address',
        '10.1.1.2',
        '--role',
        'controller',
      ]),
    ).toBe(0);
    expect(await main(['--data', data, 'hosts', 'list', '--json'])).toBe(0);
    const listed = JSON.parse(io.out.at(-1) ?? '[]') as { name: string; roles: string[] }[];
    expect(listed).toMatchObject([
      { name: 'ctl-0', roles: ['controller'] },
      { name: 'localhost', roles: [] },
    ]);
    expect(await main(['--data', data, 'hosts', 'rm', 'ctl-0'])).toBe(0);
    expect(await main(['--data', data, 'hosts', 'rm', 'ctl-0'])).toBe(1);
    expect(io.err.join('\n')).toMatch(/no host named "ctl-0"/);
  });

  it('changes only the given fields of an existing host', async () => {
    const data = mkdtempSync(join(tmpdir(), 'stx-cli-'));
    const io = capture();
    await main([
      '--data',
      data,
      'hosts',
      'add',
      'w1',
      '--address',
      '10.1.1.3',
      '--bmc',
      '10.2.2.3',
      '--bmc-type',
      'ipmi',
      '--key',
      '/k/id',
    ]);
    expect(await main(['--data', data, 'hosts', 'add', 'w1', '--port', '2222'])).toBe(0);
    await main(['--data', data, 'hosts', 'list', '--json']);
    const h = (JSON.parse(io.out.at(-1) ?? '[]') as Record<string, unknown>[]).find(
      (x) => x.name === 'w1',
    );
    expect(h).toMatchObject({
      address: '10.1.1.3',
      port: 2222,
      bmc: { type: 'ipmi', address: '10.2.2.3' },
      auth: { kind: 'key', keyPath: '/k/id' },
    });
    expect(await main(['--data', data, 'hosts', 'add', 'new-one'])).toBe(1);
    expect(io.err.join('\n')).toMatch(/a new host needs --address/);
  });

  it('names each bad field and exits 1', async () => {
    const data = mkdtempSync(join(tmpdir(), 'stx-cli-'));
    const io = capture();
    const code = await main([
      '--data',
      data,
      'hosts',
      'add',
      'x',
      '--address',
      'a b',
      '--port',
      '0',
    ]);
    expect(code).toBe(1);
    expect(io.err.join('\n')).toMatch(/address: not a host name/);
    expect(io.err.join('\n')).toMatch(/port: ports run from 1 to 65535/);
  });

  it('rejects an unknown command with help', async () => {
    const io = capture();
    expect(await main(['frobnicate'])).not.toBe(0);
    expect(io.err.join('')).toMatch(/unknown command/);
  });
});
