// One readiness check per rule kind. Each returns met | missing | alternative with the commands
// it ran (argv + output excerpt) as evidence. Commands are argv; no text from data reaches a shell
// line (the tools check passes names as positional parameters).
import type { Evidence, RuleResult, RuleStatus } from '../../shared/models/readiness';
import type { OsFacts } from '../os/detect';
import type { OsProfile, ProfileMatch } from '../os/profiles';
import { checkPackageNames } from '../packages/names';
import { parseAptCachePolicy } from '../packages/parse-deb';
import { commandError } from '../packages/run';
import { createPackageManager } from '../packages/factory';
import { fullVersion } from '../packages/package-manager';
import { resolveDependency, type PackageMap } from '../packages/package-map';
import type { ExecResult, Executor, SshTarget } from '../ssh/types';
import { pool } from './pool';
import { evidenceOf, excerpt, RecordingExecutor } from './recording-executor';
import type { ExpandedRule } from './rules';

export interface HostContext {
  readonly target: SshTarget;
  readonly executor: Executor;
  readonly facts: OsFacts;
  readonly match: ProfileMatch | null;
  readonly map: PackageMap;
  readonly signal?: AbortSignal;
  /** Package names the package rules need on this OS (resolved through the map). */
  readonly packageNames?: readonly string[];
  /**
   * Every unit name the service rules look for. Given, `systemctl list-unit-files` is asked for
   * just those (a pattern list): systemd then skips working out the state of every other unit,
   * which is most of its cost (≈ 0.6 s of CPU per host without, ≈ 20 ms with, on Debian 12).
   */
  readonly unitNames?: readonly string[];
  /**
   * `apt-cache policy` answers shared by the hosts of one readiness run (see AptPolicyCache).
   * Absent: every host asks its own apt.
   */
  readonly aptCache?: AptPolicyCache;
  /** Memo of the unit-file listing (shared by the cron/syslog/ntp rules of one host). */
  units?: Promise<UnitListing>;
  /** Memo of installed packages and repository candidates (shared by the package rules). */
  packages?: Promise<PackageState>;
}

type Outcome = Omit<RuleResult, 'rule'>;

const PROBE = 'os probe';
const TIMEOUT = 60_000;

function result(status: RuleStatus, detail: string, evidence: readonly Evidence[]): Outcome {
  return { status, detail, evidence };
}

function checkPython(ctx: HostContext, major: 2 | 3): Outcome {
  const fact = major === 2 ? ctx.facts.python.python2 : ctx.facts.python.python3;
  const ev: Evidence = {
    argv: [`python${major}`, '--version'],
    exitCode: null,
    output: fact.output,
    source: PROBE,
  };
  const expected = ctx.match?.profile.python[major === 2 ? 'python2' : 'python3'];
  if (fact.present) return result('met', `Python ${fact.version}`, [ev]);
  // An unversioned `python` of the right major counts as an alternative.
  const plain = ctx.facts.python.python;
  if (plain.present && plain.version?.startsWith(`${major}.`)) {
    return result('alternative', `only as "python" (Python ${plain.version})`, [
      ev,
      { argv: ['python', '--version'], exitCode: null, output: plain.output, source: PROBE },
    ]);
  }
  const note = expected
    ? ` (profile: ${expected.status}${expected.note ? `, ${expected.note}` : ''})`
    : '';
  return result('missing', `no python${major} on PATH${note}`, [ev]);
}

async function checkTools(
  ctx: HostContext,
  tools: readonly string[],
  alternative: readonly string[],
): Promise<Outcome> {
  const all = [...tools, ...alternative];
  const argv = [
    'sh',
    '-c',
    'for t do p=$(command -v "$t") && printf "%s\\t%s\\n" "$t" "$p" || printf "%s\\t-\\n" "$t"; done',
    'stx-which',
    ...all,
  ];
  const r = await ctx.executor.exec(ctx.target, {
    argv,
    env: { LC_ALL: 'C' },
    timeoutMs: TIMEOUT,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  const found = new Set(
    r.stdout
      .split('\n')
      .map((l) => l.split('\t'))
      .filter(([, p]) => p !== undefined && p !== '-')
      .map(([t]) => t!),
  );
  const ev = [evidenceOf(argv, r)];
  const absent = tools.filter((t) => !found.has(t));
  if (absent.length === 0) return result('met', `${tools.join(', ')} on PATH`, ev);
  const alt = alternative.filter((t) => found.has(t));
  if (alt.length) {
    return result('alternative', `no ${absent.join(', ')}; the OS has ${alt.join(', ')}`, ev);
  }
  return result('missing', `no ${absent.join(', ')} on PATH`, ev);
}

/** What one host has and what its repositories offer, for every package rule at once. */
export interface PackageState {
  readonly installed: ReadonlyMap<string, string>;
  readonly listEvidence: Evidence;
  /** name → candidate version (null: none), with the evidence for that name. */
  readonly candidates: ReadonlyMap<string, { version: string | null; evidence: Evidence }>;
}

function section(text: string, name: string): string {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l === `${name}:`);
  if (i < 0) return '';
  let j = i + 1;
  while (j < lines.length && /^\s/.test(lines[j]!)) j++;
  return lines.slice(i, j).join('\n');
}

/**
 * `apt-cache policy` answers for one readiness run, shared between hosts whose apt state is the
 * same. apt rebuilds its package cache in memory on every call when it cannot write
 * /var/cache/apt/pkgcache.bin (a non-root user, or images that delete it): ≈ 0.8 s of CPU per
 * host. Two hosts share an answer only when the key matches: same OS profile, architecture, set
 * of names asked, and the same fingerprint of everything apt-cache policy reads (name, size and
 * nanosecond mtime of /etc/apt/**, /var/lib/apt/lists/*, /var/lib/dpkg/status and arch, hashed on
 * the host). Cloned hosts refreshed together match; hosts that ran their own `apt-get update`
 * do not. Keep one per run: it is never invalidated.
 */
export class AptPolicyCache {
  readonly #answers = new Map<string, { host: string; result: Promise<ExecResult> }>();
  hits = 0;

  /** The host that first asked, and its (possibly still running) answer; or undefined. */
  get(key: string): { host: string; result: Promise<ExecResult> } | undefined {
    return this.#answers.get(key);
  }

  set(key: string, host: string, result: Promise<ExecResult>): void {
    this.#answers.set(key, { host, result });
    // A failed answer is not shared: the next host asks its own apt.
    result.then(
      (r) => {
        if (r.exitCode !== 0) this.#answers.delete(key);
      },
      () => this.#answers.delete(key),
    );
  }
}

const APT_FINGERPRINT_ARGV = [
  'sh',
  '-c',
  'stat -c "%n %s %y" /etc/apt /etc/apt/* /etc/apt/*/* /var/lib/apt/lists /var/lib/apt/lists/* /var/lib/dpkg/status /var/lib/dpkg/arch 2>/dev/null | md5sum',
  'stx-apt-fingerprint',
];
/** md5sum of no input: stat found nothing, so there is nothing to tell hosts apart by. */
const EMPTY_MD5 = 'd41d8cd98f00b204e9800998ecf8427e';

async function aptFingerprint(
  ctx: HostContext,
  opts: { timeoutMs: number; signal?: AbortSignal },
): Promise<string | null> {
  try {
    const r = await ctx.executor.exec(ctx.target, {
      argv: APT_FINGERPRINT_ARGV,
      env: { LC_ALL: 'C' },
      ...opts,
    });
    const md5 = /^([0-9a-f]{32})\b/.exec(r.stdout)?.[1];
    return r.exitCode === 0 && md5 && md5 !== EMPTY_MD5 ? md5 : null;
  } catch {
    return null;
  }
}

async function aptPolicy(
  ctx: HostContext,
  profile: OsProfile,
  names: readonly string[],
  fingerprint: Promise<string | null>,
  opts: { timeoutMs: number; signal?: AbortSignal },
): Promise<{ argv: string[]; r: ExecResult; sharedFrom?: string }> {
  const argv = ['apt-cache', 'policy', ...checkPackageNames(names)];
  const own = (): Promise<ExecResult> =>
    ctx.executor.exec(ctx.target, { argv, env: { LC_ALL: 'C' }, ...opts });
  const cache = ctx.aptCache;
  const fp = cache ? await fingerprint : null;
  if (!cache || !fp) return { argv, r: await own() };
  const key = [profile.id, ctx.facts.arch, fp, ...[...names].sort()].join('\0');
  const shared = cache.get(key);
  if (shared && shared.host !== ctx.target.name) {
    try {
      const r = await shared.result;
      if (r.exitCode === 0) {
        cache.hits++;
        return { argv, r, sharedFrom: shared.host };
      }
    } catch {
      // that host's call failed; ask this host's own apt
    }
  }
  const result = own();
  cache.set(key, ctx.target.name, result);
  return { argv, r: await result };
}

async function packageState(ctx: HostContext, profile: OsProfile): Promise<PackageState> {
  const opts = { timeoutMs: TIMEOUT, ...(ctx.signal ? { signal: ctx.signal } : {}) };
  const rec = new RecordingExecutor(ctx.executor);
  const pm = createPackageManager(profile, rec);
  // The fingerprint runs beside the listing (it is only needed for the apt-cache call after).
  const fingerprint =
    ctx.aptCache && profile.packages.format === 'deb'
      ? aptFingerprint(ctx, opts)
      : Promise.resolve(null);
  const list = await pm.listInstalled(ctx.target, opts);
  const installed = new Map(list.filter((p) => p.installed).map((p) => [p.name, fullVersion(p)]));
  const call = rec.calls.at(-1);
  const listEvidence: Evidence = {
    argv: call?.argv ?? [],
    exitCode: call?.exitCode ?? null,
    output: `${installed.size} packages installed`,
  };
  const wanted = [...new Set(ctx.packageNames ?? [])].filter((n) => !installed.has(n));
  const candidates = new Map<string, { version: string | null; evidence: Evidence }>();
  if (wanted.length === 0) return { installed, listEvidence, candidates };
  if (profile.packages.format === 'deb') {
    // One apt-cache call for every name: apt loads its cache once (about a second), not per name.
    const { argv, r, sharedFrom } = await aptPolicy(ctx, profile, wanted, fingerprint, opts);
    if (r.exitCode !== 0) throw commandError({ ...r, argv }, 'apt-cache policy');
    const parsed = new Map(parseAptCachePolicy(r.stdout).map((c) => [c.name, c]));
    const source = sharedFrom
      ? `apt-cache policy run on ${sharedFrom}: same OS profile and the same apt state (fingerprint of /etc/apt, /var/lib/apt/lists, /var/lib/dpkg/status)`
      : undefined;
    for (const name of wanted) {
      const out = section(r.stdout, name) || `(apt-cache knows no package ${name})`;
      candidates.set(name, {
        version: parsed.get(name)?.candidate ?? null,
        evidence: {
          argv,
          exitCode: r.exitCode,
          output: excerpt(out),
          ...(source ? { source } : {}),
        },
      });
    }
    return { installed, listEvidence, candidates };
  }
  await pool(wanted, 4, async (name) => {
    const one = new RecordingExecutor(ctx.executor);
    const c = await createPackageManager(profile, one).candidate(ctx.target, name, opts);
    const ev = one.calls.at(-1) ?? { argv: [], exitCode: null, output: '' };
    candidates.set(name, { version: c?.candidate ?? null, evidence: ev });
  });
  return { installed, listEvidence, candidates };
}

async function checkPackage(ctx: HostContext, dependency: string): Promise<Outcome> {
  const profile = ctx.match?.profile;
  if (!profile) return result('error', 'no OS profile matches this host', []);
  const r = resolveDependency(ctx.map, dependency, profile);
  if (r.kind === 'none' || r.kind === 'unknown') {
    const ev: Evidence = {
      argv: [],
      exitCode: null,
      output: `${dependency} → ${r.kind}${r.note ? `: ${r.note}` : ''}`,
      source: `package map (${profile.id})`,
    };
    return result('missing', `the OS has no package for it${r.note ? `: ${r.note}` : ''}`, [ev]);
  }
  ctx.packages ??= packageState(ctx, profile);
  const st = await ctx.packages;
  const states: string[] = [];
  const evidence: Evidence[] = [];
  let ok = true;
  for (const name of r.names) {
    const v = st.installed.get(name);
    if (v !== undefined) {
      states.push(`${name} ${v} installed`);
      evidence.push({ ...st.listEvidence, output: `${name}\t${v}` });
      continue;
    }
    const c = st.candidates.get(name);
    if (c) evidence.push(c.evidence);
    if (c?.version) {
      states.push(`${name} ${c.version} available`);
      continue;
    }
    states.push(`${name} not available`);
    ok = false;
  }
  const detail = states.join('; ');
  if (!ok) return result('missing', detail, evidence);
  if (r.kind === 'alternative') return result('alternative', `${detail} (${r.note})`, evidence);
  return result('met', detail, evidence);
}

export interface UnitListing {
  readonly units: ReadonlySet<string>;
  readonly initScripts: ReadonlySet<string>;
  readonly evidence: readonly Evidence[];
}

async function listUnits(ctx: HostContext): Promise<UnitListing> {
  const run = async (argv: string[]) =>
    ctx.executor.exec(ctx.target, {
      argv,
      env: { LC_ALL: 'C' },
      timeoutMs: TIMEOUT,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
  const evidence: Evidence[] = [];
  const units = new Set<string>();
  const patterns = ctx.unitNames ?? [];
  const sysArgv = ['systemctl', 'list-unit-files', '--no-legend', '--no-pager', ...patterns];
  // The init-script listing does not depend on systemctl's answer: both at once.
  const initArgv = ['ls', '-1', '/etc/init.d'];
  const initP = run(initArgv);
  // Settled here so a systemctl failure never leaves it rejected and unobserved.
  initP.catch(() => undefined);
  const sys = await run(sysArgv);
  evidence.push(evidenceOf(sysArgv, sys));
  // With patterns, a systemctl that finds none of them exits 1 and prints nothing: no such units.
  const noneOfThem =
    patterns.length > 0 &&
    sys.exitCode === 1 &&
    sys.stdout.trim() === '' &&
    sys.stderr.trim() === '';
  if (sys.exitCode === 0 || noneOfThem) {
    for (const line of sys.stdout.split('\n')) {
      const name = line.trim().split(/\s+/)[0];
      if (name) units.add(name);
    }
  } else {
    // No systemctl (or it refuses): the unit files on disk.
    const lsArgv = [
      'ls',
      '-1',
      '/etc/systemd/system',
      '/lib/systemd/system',
      '/usr/lib/systemd/system',
    ];
    const ls = await run(lsArgv);
    evidence.push(evidenceOf(lsArgv, ls));
    for (const line of ls.stdout.split('\n'))
      if (/\.\w+$/.test(line.trim())) units.add(line.trim());
  }
  const init = await initP;
  evidence.push(evidenceOf(initArgv, init));
  const initScripts = new Set(
    init.exitCode === 0
      ? init.stdout
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)
      : [],
  );
  return { units, initScripts, evidence };
}

async function checkService(
  ctx: HostContext,
  check: Extract<ExpandedRule['check'], { service: string }>,
): Promise<Outcome> {
  ctx.units ??= listUnits(ctx);
  const l = await ctx.units;
  const has = (u: string): boolean => l.units.has(u) || l.units.has(`${u}.service`);
  const unit = check.units.filter(has);
  if (unit.length) return result('met', `systemd unit ${unit.join(', ')}`, l.evidence);
  const alt = (check.alternative_units ?? []).filter(has);
  const scripts = (check.init_scripts ?? []).filter((s) => l.initScripts.has(s));
  if (alt.length || scripts.length) {
    const parts = [
      ...(alt.length ? [`systemd ${alt.join(', ')} instead`] : []),
      ...(scripts.length ? [`init script /etc/init.d/${scripts.join(', /etc/init.d/')}`] : []),
    ];
    return result('alternative', `no ${check.units.join('/')}; ${parts.join('; ')}`, l.evidence);
  }
  return result('missing', `no unit or init script for ${check.service}`, l.evidence);
}

function checkOpenstack(ctx: HostContext, expected: readonly string[] | undefined): Outcome {
  const profile = ctx.match?.profile;
  if (!profile) return result('error', 'no OS profile matches this host', []);
  const releases = profile.openstack?.releases ?? [];
  const ev: Evidence = {
    argv: [],
    exitCode: null,
    output: `openstack.releases: [${releases.join(', ')}]${profile.openstack?.notes ? `\n${profile.openstack.notes}` : ''}`,
    source: `profile ${profile.id}`,
  };
  if (releases.length === 0) return result('missing', 'the OS packages no OpenStack release', [ev]);
  if (expected?.length && !releases.some((r) => expected.includes(r))) {
    return result('alternative', `${releases.join(', ')} (expected ${expected.join(', ')})`, [ev]);
  }
  return result('met', releases.join(', '), [ev]);
}

export async function runCheck(ctx: HostContext, rule: ExpandedRule): Promise<RuleResult> {
  const c = rule.check;
  try {
    let o: Outcome;
    if ('python' in c) o = checkPython(ctx, c.python);
    else if ('tools' in c) o = await checkTools(ctx, c.tools, c.alternative ?? []);
    else if ('package' in c) o = await checkPackage(ctx, c.package);
    else if ('service' in c) o = await checkService(ctx, c);
    else o = checkOpenstack(ctx, c.openstack.expected);
    return { rule: rule.id, ...o };
  } catch (e) {
    // The check could not run (a command failed): the reason, not a stack trace.
    return { rule: rule.id, status: 'error', detail: (e as Error).message, evidence: [] };
  }
}
