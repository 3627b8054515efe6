// Drift of this machine against a manifest the test writes: coreutils pinned at the version
// dpkg itself reports (ok) and at another one (drift), plus policies, a missing package and a
// dependency the map says the OS lacks.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findResourcesDir, resourcePaths } from '../readiness/resources';
import { LocalExecutor } from '../ssh/local-exec';
import type { SshTarget } from '../ssh/types';
import { driftReport, loadManifest, parseManifest, satisfies } from './drift';
import { AptDpkgPackageManager } from './apt-dpkg';
import { loadPackageMap } from './package-map';
import { loadProfiles } from '../os/profiles';

const LOCAL: SshTarget = {
  name: 'localhost',
  host: 'localhost',
  port: 22,
  user: '',
  auth: { kind: 'agent' },
  jump: [],
  local: true,
};
const paths = resourcePaths(findResourcesDir(import.meta.dirname));
const dpkgVersion = (name: string): string =>
  spawnSync('dpkg-query', ['-W', '-f=${Version}', name], { encoding: 'utf8' }).stdout.trim();
const hasDpkg = spawnSync('sh', ['-c', 'command -v dpkg-query']).status === 0;

describe('satisfies', () => {
  it('applies exact, same-minor and any', () => {
    expect(satisfies('deb', '9.1-1', '9.1-1', 'exact')).toBe(true);
    expect(satisfies('deb', '9.1', '9.1-1', 'exact')).toBe(true); // no revision pinned
    expect(satisfies('deb', '9.1-2', '9.1-1', 'exact')).toBe(false);
    expect(satisfies('rpm', '3.6.8', '3.6.8-18.el7', 'exact')).toBe(true);
    expect(satisfies('rpm', '3.6', '3.6.8-18.el7', 'same-minor')).toBe(true);
    expect(satisfies('rpm', '3.6.8', '3.9.2-1', 'same-minor')).toBe(false);
    expect(satisfies('deb', '1:2.0', '2.0', 'same-minor')).toBe(false); // epochs differ
    expect(satisfies('deb', '1.0', '7.0', 'any')).toBe(true);
  });
});

describe('the example manifest', () => {
  it('parses', () => {
    const m = loadManifest(join(paths.manifests, 'starlingx-example.yaml'));
    expect(m.packages.python3?.policy).toBe('same-minor');
  });
  it('reports a bad policy with its line', () => {
    expect(() =>
      parseManifest(
        'version: 1\nname: x\npackages:\n  git: { version: "1", policy: loose }\n',
        'm.yaml',
      ),
    ).toThrow(/m\.yaml:4/);
  });
});

describe.runIf(hasDpkg)('drift on this machine', () => {
  it('gives ok, drift, missing and not-applicable from real dpkg data', async () => {
    const core = dpkgVersion('coreutils');
    expect(core).not.toBe('');
    const dir = mkdtempSync(join(tmpdir(), 'stx-drift-'));
    const file = join(dir, 'm.yaml');
    writeFileSync(
      file,
      [
        'version: 1',
        'name: test',
        'packages:',
        `  coreutils: { version: '${core}', policy: exact }`,
        `  bash: { version: '0.1-1', policy: exact }`,
        `  sed: { version: '0.1', policy: any }`,
        `  stx-no-such-package: { version: '1.0' }`,
        `  puppet: { version: { clear-linux: '1' } }`,
        '',
      ].join('\n'),
    );
    const profile = loadProfiles(paths.profiles).find((p) => p.id === 'debian-12')!;
    const installed = await new AptDpkgPackageManager(new LocalExecutor()).listInstalled(LOCAL);
    const r = driftReport({
      host: 'localhost',
      manifest: loadManifest(file),
      map: loadPackageMap(paths.packageMap),
      profile,
      installed,
    });
    const row = (d: string) => r.rows.find((x) => x.dependency === d);
    expect(row('coreutils')).toMatchObject({ installed: core, pinned: core, verdict: 'ok' });
    expect(row('bash')).toMatchObject({ installed: dpkgVersion('bash'), verdict: 'drift' });
    expect(row('sed')).toMatchObject({ verdict: 'ok', policy: 'any' });
    expect(row('stx-no-such-package')).toMatchObject({ installed: null, verdict: 'missing' });
    expect(row('puppet')).toMatchObject({ verdict: 'not-applicable' });
    expect(r.counts).toEqual({ ok: 2, drift: 1, missing: 1, 'not-applicable': 1 });
  });

  it('resolves through the map and says not-applicable when the map says none', () => {
    const clear = loadProfiles(paths.profiles).find((p) => p.id === 'clear-linux')!;
    const r = driftReport({
      host: 'c',
      manifest: parseManifest(
        'version: 1\nname: t\npackages:\n  puppet: { version: "5.5" }\n  ntp: { version: "1" }\n',
        'm.yaml',
      ),
      map: loadPackageMap(paths.packageMap),
      profile: clear,
      installed: [{ name: 'sysadmin-hostmgmt', version: '1', installed: true }],
    });
    expect(r.rows[0]).toMatchObject({ dependency: 'puppet', verdict: 'not-applicable' });
    expect(r.rows[0]?.note).toMatch(/none/);
    expect(r.rows[1]).toMatchObject({ packages: ['sysadmin-hostmgmt'], verdict: 'ok' });
  });
});
