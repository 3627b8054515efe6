// The readiness matrix: every rule on every host. Hosts run in parallel (at most `forks` at a
// time), the rules of one host a few at a time; one host's failure (unreachable, no profile)
// becomes that host's error and never stops the others. Cancel stops starting new work.
import { performance } from 'node:perf_hooks';
import type {
  HostReadiness,
  ReadinessEvent,
  ReadinessMatrix,
  RuleResult,
  RuleStatus,
} from '../../shared/models/readiness';
import { detectOs } from '../os/detect';
import { matchProfile, type OsProfile } from '../os/profiles';
import { resolveDependency, type PackageMap } from '../packages/package-map';
import type { Executor, SshTarget } from '../ssh/types';
import { AptPolicyCache, runCheck, type HostContext } from './checks';
import { pool } from './pool';
import type { ExpandedRule } from './rules';

export interface ReadinessDeps {
  readonly executor: Executor;
  readonly profiles: readonly OsProfile[];
  readonly map: PackageMap;
  readonly rules: readonly ExpandedRule[];
}

export interface ReadinessRunOptions {
  readonly forks?: number;
  /** Rules checked at once on one host (default 4). */
  readonly rulesAtOnce?: number;
  readonly signal?: AbortSignal;
  readonly onEvent?: (e: ReadinessEvent) => void;
  /**
   * Share `apt-cache policy` answers between hosts with the same apt state (default true; see
   * AptPolicyCache). false: every host asks its own apt.
   */
  readonly shareAptAnswers?: boolean;
}

/** What the hosts of one run share. */
interface RunShared {
  readonly aptCache?: AptPolicyCache;
}

export function countStatuses(results: readonly RuleResult[]): Record<RuleStatus, number> {
  const c: Record<RuleStatus, number> = { met: 0, missing: 0, alternative: 0, error: 0 };
  for (const r of results) c[r.status]++;
  return c;
}

/** Every package name the package rules need on one OS. */
function packageNamesFor(deps: ReadinessDeps, profile: OsProfile): string[] {
  const names: string[] = [];
  for (const rule of deps.rules) {
    if (!('package' in rule.check)) continue;
    const r = resolveDependency(deps.map, rule.check.package, profile);
    names.push(...r.names);
  }
  return [...new Set(names)];
}

/** Every unit name the service rules look for (as systemctl patterns). */
function unitNamesFor(rules: readonly ExpandedRule[]): string[] {
  const names: string[] = [];
  for (const rule of rules) {
    if (!('service' in rule.check)) continue;
    for (const u of [...rule.check.units, ...(rule.check.alternative_units ?? [])]) {
      names.push(u, ...(/\.[a-z]+$/.test(u) ? [] : [`${u}.service`]));
    }
  }
  return [...new Set(names)];
}

export async function checkHost(
  target: SshTarget,
  deps: ReadinessDeps,
  options: Pick<ReadinessRunOptions, 'rulesAtOnce' | 'signal'> = {},
  shared: RunShared = {},
): Promise<HostReadiness> {
  const t0 = performance.now();
  const failed = (error: string, os = '', profile: string | null = null): HostReadiness => ({
    host: target.name,
    os,
    profile,
    error,
    results: [],
    counts: countStatuses([]),
    durationMs: Math.round(performance.now() - t0),
  });
  let ctx: HostContext;
  try {
    const facts = await detectOs(deps.executor, target, {
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const match = matchProfile(facts, deps.profiles);
    const packageNames = match ? packageNamesFor(deps, match.profile) : [];
    const unitNames = unitNamesFor(deps.rules);
    ctx = {
      packageNames,
      ...(unitNames.length ? { unitNames } : {}),
      ...(shared.aptCache ? { aptCache: shared.aptCache } : {}),
      target,
      executor: deps.executor,
      facts,
      match,
      map: deps.map,
      ...(options.signal ? { signal: options.signal } : {}),
    };
  } catch (e) {
    return failed((e as Error).message);
  }
  const results = await pool(
    deps.rules,
    options.rulesAtOnce ?? 4,
    (rule) => runCheck(ctx, rule),
    options.signal,
  );
  const done = results.map(
    (r, i): RuleResult =>
      r ?? { rule: deps.rules[i]!.id, status: 'error', detail: 'cancelled', evidence: [] },
  );
  return {
    host: target.name,
    os: ctx.facts.osRelease.PRETTY_NAME ?? ctx.facts.osRelease.NAME ?? '',
    profile: ctx.match?.profile.id ?? null,
    error: null,
    results: done,
    counts: countStatuses(done),
    durationMs: Math.round(performance.now() - t0),
  };
}

export async function runReadiness(
  targets: readonly SshTarget[],
  deps: ReadinessDeps,
  options: ReadinessRunOptions = {},
): Promise<ReadinessMatrix> {
  const t0 = performance.now();
  const emit = (e: ReadinessEvent): void => {
    try {
      options.onEvent?.(e);
    } catch {
      // A listener's bug must not stop the hosts.
    }
  };
  const shared: RunShared =
    options.shareAptAnswers === false ? {} : { aptCache: new AptPolicyCache() };
  const rows = await pool(
    targets,
    options.forks ?? 10,
    async (target) => {
      emit({ type: 'host-started', host: target.name });
      let row: HostReadiness;
      try {
        row = await checkHost(target, deps, options, shared);
      } catch (e) {
        row = {
          host: target.name,
          os: '',
          profile: null,
          error: (e as Error).message,
          results: [],
          counts: countStatuses([]),
          durationMs: 0,
        };
      }
      emit({ type: 'host-finished', host: target.name, row });
      return row;
    },
    options.signal,
  );
  return {
    rules: deps.rules.map(({ id, title, why }) => ({ id, title, why })),
    hosts: rows.map(
      (r, i) =>
        r ?? {
          host: targets[i]!.name,
          os: '',
          profile: null,
          error: 'cancelled before it started',
          results: [],
          counts: countStatuses([]),
          durationMs: 0,
        },
    ),
    unknown: [],
    durationMs: Math.round(performance.now() - t0),
    cancelled: options.signal?.aborted === true,
  };
}
