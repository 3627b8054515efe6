// Readiness on this machine through the real LocalExecutor, checked against facts the test reads
// itself (os-release, python3/python2 --version, dpkg-query for puppet, command -v rpm).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { HostReadiness, ReadinessEvent, RuleResult } from '../../shared/models/readiness';
import { loadProfiles } from '../os/profiles';
import { loadPackageMap } from '../packages/package-map';
import { LocalExecutor } from '../ssh/local-exec';
import type { ExecOptions, ExecResult, Executor, SshTarget } from '../ssh/types';
import { runReadiness } from './engine';
import { readinessJson, readinessMarkdown } from './export';
import { findResourcesDir, resourcePaths } from './resources';
import { expandRules, loadRuleSet } from './rules';

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
const deps = (executor: Executor) => {
  const map = loadPackageMap(paths.packageMap);
  return {
    executor,
    profiles: loadProfiles(paths.profiles),
    map,
    rules: expandRules(loadRuleSet(paths.readinessRules), map),
  };
};

const osRelease = existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '';
const field = (key: string): string | undefined =>
  new RegExp(`^${key}="?([^"\\n]*)"?$`, 'm').exec(osRelease)?.[1];
const isDebian12 = field('ID') === 'debian' && field('VERSION_ID') === '12';
const sh = (line: string) => spawnSync('sh', ['-c', line], { encoding: 'utf8' });
const pyWorks = (py: string): boolean => {
  const r = spawnSync(py, ['--version'], { encoding: 'utf8' });
  return r.status === 0 && /^Python \d/m.test(`${r.stdout}${r.stderr}`);
};
const dpkgInstalled = (name: string): boolean =>
  /^ii/.test(sh(`dpkg-query -W -f='\${db:Status-Abbrev}' ${name} 2>/dev/null`).stdout);
const aptCandidate = (name: string): boolean => {
  const m = /Candidate: (\S+)/.exec(sh(`LC_ALL=C apt-cache policy ${name}`).stdout);
  return m !== null && m[1] !== '(none)';
};

function get(row: HostReadiness, id: string): RuleResult {
  const r = row.results.find((x) => x.rule === id);
  if (!r) throw new Error(`no result for ${id}`);
  return r;
}

describe('findResourcesDir', () => {
  it('walks up from the module folder to the folder with os-profiles', () => {
    expect(existsSync(paths.profiles)).toBe(true);
    expect(findResourcesDir('/nowhere', { STX_LAB_RESOURCES: '/x/res' })).toBe('/x/res');
    expect(() => findResourcesDir('/', {})).toThrow(/STX_LAB_RESOURCES/);
  });
});

describe.runIf(isDebian12)('readiness of this Debian 12 machine', () => {
  it('gives the row the machine itself reports', { timeout: 120_000 }, async () => {
    const events: ReadinessEvent[] = [];
    const m = await runReadiness([LOCAL], deps(new LocalExecutor()), {
      onEvent: (e) => events.push(e),
    });
    const row = m.hosts[0]!;
    expect(row.error).toBeNull();
    expect(row.profile).toBe('debian-12');
    expect(row.os).toBe(field('PRETTY_NAME'));
    expect(events.map((e) => e.type)).toEqual(['host-started', 'host-finished']);

    expect(get(row, 'python3').status).toBe(pyWorks('python3') ? 'met' : 'missing');
    const py2 = get(row, 'python2');
    expect(py2.status === 'met').toBe(pyWorks('python2'));
    expect(py2.evidence[0]?.argv).toEqual(['python2', '--version']);

    const puppet = get(row, 'puppet');
    const puppetHere = dpkgInstalled('puppet') || aptCandidate('puppet');
    expect(puppet.status).toBe(puppetHere ? 'met' : 'missing');
    expect(puppet.evidence[0]?.argv[0]).toBe(dpkgInstalled('puppet') ? 'dpkg-query' : 'apt-cache');

    const hasRpm = sh('command -v rpm').status === 0;
    const hasRpmbuild = sh('command -v rpmbuild').status === 0;
    expect(get(row, 'rpm-tooling').status).toBe(hasRpm && hasRpmbuild ? 'met' : 'alternative');

    // The unit rules agree with systemctl as the test runs it.
    const units = sh('systemctl list-unit-files --no-legend --no-pager').stdout;
    const hasUnit = (u: string): boolean =>
      new RegExp(`^${u.replace('.', '\\.')}\\s`, 'm').test(units);
    const cron = get(row, 'cron-unit');
    expect(cron.status === 'met').toBe(
      ['cron.service', 'crond.service', 'cronie.service'].some(hasUnit),
    );
    expect(cron.evidence[0]?.argv.slice(0, 2)).toEqual(['systemctl', 'list-unit-files']);
    expect(get(row, 'syslog-unit').status === 'met').toBe(
      ['rsyslog.service', 'syslog-ng.service'].some(hasUnit),
    );

    // Debian 12: the map resolves ntp to the ntpsec alternative.
    const ntp = get(row, 'package:ntp');
    expect(ntp.status).toBe(
      dpkgInstalled('ntpsec') || aptCandidate('ntpsec') ? 'alternative' : 'missing',
    );
    const ssh = get(row, 'package:openssh-server');
    expect(ssh.status).toBe(
      dpkgInstalled('openssh-server') || aptCandidate('openssh-server') ? 'met' : 'missing',
    );
    expect(get(row, 'openstack')).toMatchObject({ status: 'met', detail: 'zed' });

    const md = readinessMarkdown(m);
    expect(md).toMatch(/\| rule \| localhost \|/);
    expect(md).toContain('`apt-cache policy');
    expect(JSON.parse(readinessJson(m))).toEqual(JSON.parse(JSON.stringify(m)));
  });
});

/** An executor whose hosts named bad-* fail to connect, and slow-* take a while. */
class FlakyExecutor implements Executor {
  readonly inner = new LocalExecutor();
  async exec(target: SshTarget, options: ExecOptions): Promise<ExecResult> {
    if (target.name.startsWith('bad')) throw new Error(`connect ECONNREFUSED ${target.name}`);
    return this.inner.exec({ ...target, local: true }, options);
  }
}

describe.runIf(process.platform === 'linux')('readiness over many hosts', () => {
  it('records one host failing without stopping the others', { timeout: 120_000 }, async () => {
    const hosts = ['good-1', 'bad-1', 'good-2'].map((name) => ({ ...LOCAL, name }));
    const d = deps(new FlakyExecutor());
    const only = { ...d, rules: d.rules.filter((r) => !r.id.startsWith('package')) };
    const m = await runReadiness(hosts, only, { forks: 3 });
    expect(m.hosts.map((h) => h.host)).toEqual(['good-1', 'bad-1', 'good-2']);
    expect(m.hosts[1]?.error).toMatch(/ECONNREFUSED/);
    expect(m.hosts[1]?.results).toEqual([]);
    expect(m.hosts[0]!.error).toBeNull();
    expect(m.hosts[2]!.results.length).toBe(only.rules.length);
    expect(readinessMarkdown(m)).toMatch(/Not checked: .*ECONNREFUSED/);
  });
});
