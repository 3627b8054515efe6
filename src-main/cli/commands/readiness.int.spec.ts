// readiness, packages and compare through `main([...])`, on this machine's `localhost` host
// (present in every new data folder), checked against what the test reads itself.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HostComparison, ReadinessMatrix } from '../../shared/models/readiness';
import { main } from '../index';

const debianLike =
  spawnSync('sh', ['-c', 'command -v dpkg-query && command -v apt-cache']).status === 0;

function capture(): { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  return { out, err };
}

let data: string;
beforeEach(() => {
  data = mkdtempSync(join(tmpdir(), 'stx-cli-ready-'));
  process.exitCode = undefined;
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

describe.runIf(debianLike)('stx-lab readiness | packages | compare on localhost', () => {
  it('prints the readiness matrix as JSON and Markdown', { timeout: 120_000 }, async () => {
    const io = capture();
    const code = await main(['--data', data, 'readiness', 'localhost', '--json']);
    const m = JSON.parse(io.out.join('')) as ReadinessMatrix;
    expect(m.hosts).toHaveLength(1);
    expect(m.hosts[0]).toMatchObject({ host: 'localhost', error: null });
    const missing = m.hosts[0]!.counts.missing + m.hosts[0]!.counts.error;
    expect(code).toBe(missing > 0 ? 1 : 0);
    io.out.length = 0;
    await main(['--data', data, 'readiness', 'localhost', '--markdown']);
    expect(io.out.join('')).toMatch(/^# MultiOS readiness/);
    expect(io.out.join('')).toMatch(/\| Python 3 interpreter \| ✅ met \|/);
  });

  it('queries a package and lists with a filter', { timeout: 60_000 }, async () => {
    const io = capture();
    const version = spawnSync('dpkg-query', ['-W', '-f=${Version}', 'coreutils'], {
      encoding: 'utf8',
    }).stdout;
    expect(
      await main(['--data', data, 'packages', 'query', 'localhost', 'coreutils', '--json']),
    ).toBe(0);
    expect(JSON.parse(io.out.join(''))).toMatchObject({ name: 'coreutils', installed: true });
    io.out.length = 0;
    expect(
      await main(['--data', data, 'packages', 'list', 'localhost', '--filter', 'coreutils']),
    ).toBe(0);
    expect(io.out.join('\n')).toContain(version);
  });

  it('refuses install without --yes and a name with shell metacharacters', async () => {
    const io = capture();
    expect(await main(['--data', data, 'packages', 'install', 'localhost', 'jq'])).toBe(1);
    expect(io.err.join('\n')).toMatch(/--yes/);
    expect(
      await main(['--data', data, 'packages', 'install', 'localhost', 'jq;rm -rf /', '--yes']),
    ).toBe(1);
    expect(io.err.join('\n')).toMatch(/name/i);
  });

  it('compares localhost with itself', { timeout: 60_000 }, async () => {
    const io = capture();
    expect(await main(['--data', data, 'compare', 'localhost', 'localhost', '--json'])).toBe(0);
    const c = JSON.parse(io.out.join('')) as HostComparison;
    expect(c.identical).toBe(true);
    expect(c.packages.added).toEqual([]);
  });
});
