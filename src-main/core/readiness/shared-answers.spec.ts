// Readiness speed-ups that must not change answers: apt-cache policy shared only between hosts
// with the same apt fingerprint, and systemctl asked for just the units the rules name. Command
// outputs are recorded real ones (testdata/debian12) or the empty output systemctl gives.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OsFacts } from '../os/detect';
import { loadProfiles } from '../os/profiles';
import { loadPackageMap } from '../packages/package-map';
import type { ExecOptions, ExecResult, Executor, SshTarget } from '../ssh/types';
import { AptPolicyCache, runCheck, type HostContext } from './checks';
import { findResourcesDir, resourcePaths } from './resources';
import type { ExpandedRule } from './rules';

const paths = resourcePaths(findResourcesDir(import.meta.dirname));
const map = loadPackageMap(paths.packageMap);
const debian12 = loadProfiles(paths.profiles).find((p) => p.id === 'debian-12')!;
const testdata = join(import.meta.dirname, '../packages/testdata/debian12');
const DPKG = readFileSync(join(testdata, 'dpkg-query-W.txt'), 'utf8');
const POLICY = readFileSync(join(testdata, 'apt-cache-policy.txt'), 'utf8');

const target = (name: string): SshTarget => ({
  name,
  host: name,
  port: 22,
  user: 'u',
  auth: { kind: 'agent' },
  jump: [],
});
const ok = (stdout: string, exitCode = 0): ExecResult => ({
  exitCode,
  stdout,
  stderr: '',
  signal: null,
  durationMs: 1,
  truncated: false,
});

class FakeHosts implements Executor {
  readonly calls: { host: string; argv: readonly string[] }[] = [];
  constructor(private readonly fingerprints: Record<string, string>) {}
  async exec(t: SshTarget, o: ExecOptions): Promise<ExecResult> {
    this.calls.push({ host: t.name, argv: o.argv });
    const [cmd] = o.argv;
    if (cmd === 'dpkg-query') return ok(DPKG);
    if (o.argv.at(-1) === 'stx-apt-fingerprint') return ok(`${this.fingerprints[t.name]}  -\n`);
    if (cmd === 'apt-cache') return ok(POLICY);
    if (cmd === 'systemctl') return ok('', 1);
    if (cmd === 'ls' && o.argv[2] === '/etc/init.d') return ok('cron\n');
    return ok('', 127);
  }
  count(cmd: string): number {
    return this.calls.filter((c) => c.argv[0] === cmd).length;
  }
}

const facts = { arch: 'x86_64' } as OsFacts;
const ctx = (name: string, executor: Executor, extra: Partial<HostContext> = {}): HostContext => ({
  target: target(name),
  executor,
  facts,
  match: { profile: debian12, fallback: false, ties: [] },
  map,
  packageNames: ['memcached'],
  ...extra,
});
const pkgRule: ExpandedRule = {
  id: 'package-memcached',
  title: 't',
  why: 'w',
  check: { package: 'memcached' },
};
const A = 'a'.repeat(32);
const B = 'b'.repeat(32);

describe('apt-cache policy shared between hosts', () => {
  it('runs once for hosts with the same fingerprint, and says whose answer it is', async () => {
    const ex = new FakeHosts({ h1: A, h2: A });
    const cache = new AptPolicyCache();
    const [r1, r2] = await Promise.all(
      ['h1', 'h2'].map((h) => runCheck(ctx(h, ex, { aptCache: cache }), pkgRule)),
    );
    expect(ex.count('apt-cache')).toBe(1);
    expect(cache.hits).toBe(1);
    expect(r1!.status).toBe(r2!.status);
    const sources = [r1!, r2!].map((r) => r.evidence[0]?.source);
    expect(sources.filter((s) => s?.startsWith('apt-cache policy run on h'))).toHaveLength(1);
  });

  it('asks each host when the fingerprints differ, or with no cache', async () => {
    const ex = new FakeHosts({ h1: A, h2: B });
    const cache = new AptPolicyCache();
    await Promise.all(['h1', 'h2'].map((h) => runCheck(ctx(h, ex, { aptCache: cache }), pkgRule)));
    expect(ex.count('apt-cache')).toBe(2);
    const none = new FakeHosts({ h1: A, h2: A });
    await Promise.all(['h1', 'h2'].map((h) => runCheck(ctx(h, none), pkgRule)));
    expect(none.count('apt-cache')).toBe(2);
    expect(none.calls.some((c) => c.argv.at(-1) === 'stx-apt-fingerprint')).toBe(false);
  });

  it('does not share when the fingerprint is that of no files at all', async () => {
    const empty = 'd41d8cd98f00b204e9800998ecf8427e';
    const ex = new FakeHosts({ h1: empty, h2: empty });
    const cache = new AptPolicyCache();
    await Promise.all(['h1', 'h2'].map((h) => runCheck(ctx(h, ex, { aptCache: cache }), pkgRule)));
    expect(ex.count('apt-cache')).toBe(2);
  });
});

describe('systemctl asked for the named units only', () => {
  it('passes the names as patterns; exit 1 with no output means none of them', async () => {
    const ex = new FakeHosts({});
    const rule: ExpandedRule = {
      id: 'cron',
      title: 't',
      why: 'w',
      check: { service: 'cron', units: ['cron.service'], init_scripts: ['cron'] },
    };
    const r = await runCheck(ctx('h1', ex, { unitNames: ['cron.service', 'crond.service'] }), rule);
    const sys = ex.calls.find((c) => c.argv[0] === 'systemctl')!;
    expect(sys.argv.slice(-2)).toEqual(['cron.service', 'crond.service']);
    // No fallback listing of the unit folders: systemctl answered.
    expect(ex.calls.filter((c) => c.argv[0] === 'ls')).toHaveLength(1);
    expect(r.status).toBe('alternative');
  });
});
