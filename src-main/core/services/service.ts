// Services of a host behind one service: which manager the host uses (from its detected init
// and OS profile), the catalog rows with live state and listening ports, actions in dependency
// order, journal tails and follows. Per-service problems are rows/results with an error, never
// a thrown call.
import { AppError } from '../../shared/errors';
import type {
  JournalLine,
  ServiceAction,
  ServiceActionEvent,
  ServiceActionReport,
  ServiceActionResult,
  ServiceLogs,
  ServiceRow,
  ServicesList,
} from '../../shared/models/services';
import type { OsFacts } from '../os/detect';
import type { OsProfile } from '../os/profiles';
import type { Executor, SshTarget } from '../ssh/types';
import {
  actionOrder,
  loadCatalog,
  unitFor,
  type Catalog,
  type CatalogService,
  type OsFamily,
} from './catalog';
import type { ServiceManager } from './managers/manager';
import { SmManager } from './managers/sm';
import { SystemdManager } from './managers/systemd';
import { SysvManager } from './managers/sysv';
import { listeners } from './ports';

/** What the service needs from the host/OS side (HostOsService fits). */
export interface HostSource {
  target(host: string): SshTarget;
  detectFacts(
    host: string,
    signal?: AbortSignal,
  ): Promise<{ facts: OsFacts; profile: OsProfile | null }>;
}

export interface HostManagers {
  readonly target: SshTarget;
  readonly family: OsFamily;
  readonly starlingx: boolean;
  readonly primary: ServiceManager;
  readonly sm?: ServiceManager;
  readonly sudo: boolean;
  readonly profile: OsProfile | null;
  readonly notes: string[];
}

/**
 * sudo decision: privileged commands (start/stop/restart, journal reads, sm-dump) go through
 * `sudo -n` when the SSH user is not root; `-n` never waits for a password, so a host without
 * passwordless sudo gives a clear "sudo needs a password" error instead of a hang.
 */
export function needsSudo(target: SshTarget): boolean {
  return target.user !== 'root';
}

function familyOf(facts: OsFacts, profile: OsProfile | null): OsFamily {
  if (profile) return profile.family;
  const like = `${facts.osRelease.ID ?? ''} ${facts.osRelease.ID_LIKE ?? ''}`;
  if (/debian|ubuntu/.test(like)) return 'debian';
  if (/clear/.test(like)) return 'clear';
  return 'rhel';
}

export class ServicesService {
  #catalog: Catalog | undefined;
  readonly #hosts = new Map<string, { at: number; m: HostManagers }>();

  constructor(
    private readonly hosts: HostSource,
    private readonly executor: Executor,
    private readonly catalogFile: () => string,
  ) {}

  catalog(): Catalog {
    this.#catalog ??= loadCatalog(this.catalogFile());
    return this.#catalog;
  }

  async managers(host: string, signal?: AbortSignal): Promise<HostManagers> {
    const hit = this.#hosts.get(host);
    if (hit && Date.now() - hit.at < 60_000) return hit.m;
    const target = this.hosts.target(host);
    const { facts, profile } = await this.hosts.detectFacts(host, signal);
    const notes: string[] = [];
    const sudo = needsSudo(target);
    const deps = { executor: this.executor, sudo };
    let kind: 'systemd' | 'sysvinit';
    const running = facts.init.running;
    if (running === 'systemd') kind = 'systemd';
    else if (running === 'sysvinit' || running === 'upstart' || running === 'openrc')
      kind = 'sysvinit';
    else if (profile) kind = profile.init === 'systemd' ? 'systemd' : 'sysvinit';
    else {
      kind = 'systemd';
      notes.push('init system not detected and no OS profile matched: systemd assumed');
    }
    if (!profile)
      notes.push('no OS profile matched this host: unit names of its family are guessed');
    const starlingx = facts.buildInfo !== null || (profile?.id.startsWith('starlingx') ?? false);
    const m: HostManagers = {
      target,
      family: familyOf(facts, profile),
      starlingx,
      primary: kind === 'systemd' ? new SystemdManager(deps) : new SysvManager(deps),
      ...(starlingx ? { sm: new SmManager(deps) } : {}),
      sudo,
      profile,
      notes,
    };
    this.#hosts.set(host, { at: Date.now(), m });
    return m;
  }

  /** The manager and unit for one name (catalog id, else a unit name on the primary manager). */
  resolve(
    m: HostManagers,
    name: string,
  ): { service?: CatalogService; unit: string; mgr: ServiceManager } | { error: string } {
    const s = this.catalog().services.get(name);
    if (!s) {
      if (m.primary.kind === 'systemd' || m.primary.kind === 'sysvinit')
        return { unit: name, mgr: m.primary };
      return { error: `unknown service "${name}"` };
    }
    const smName = m.sm ? unitFor(s, 'sm') : undefined;
    if (m.sm && smName) return { service: s, unit: smName, mgr: m.sm };
    const unit = unitFor(s, m.family);
    if (!unit) return { error: `${s.name} has no unit for ${m.family} hosts in the catalog` };
    return { service: s, unit, mgr: m.primary };
  }

  async list(host: string, only?: readonly string[], signal?: AbortSignal): Promise<ServicesList> {
    const m = await this.managers(host, signal);
    const catalog = this.catalog();
    const names = only?.length
      ? [...only]
      : [...catalog.services.keys()].filter((n) => !('error' in this.resolve(m, n)));
    const resolved = names.map((n) => ({ n, r: this.resolve(m, n) }));
    const byMgr = new Map<ServiceManager, string[]>();
    for (const { r } of resolved) {
      if ('error' in r) continue;
      byMgr.set(r.mgr, [...(byMgr.get(r.mgr) ?? []), r.unit]);
    }
    const states = new Map<string, Awaited<ReturnType<ServiceManager['status']>>[number]>();
    for (const [mgr, units] of byMgr) {
      const got = await mgr.status(m.target, units, signal);
      got.forEach((st, i) => states.set(`${mgr.kind}:${units[i]}`, st));
    }
    const open = await listeners(this.executor, m.target, signal).catch((e: unknown) => {
      m.notes.push(`ports not read: ${(e as Error).message}`);
      return undefined;
    });
    const rows: ServiceRow[] = resolved.map(({ n, r }) => {
      if ('error' in r) {
        return {
          name: n,
          title: n,
          component: '',
          unit: n,
          manager: m.primary.kind,
          status: 'unknown',
          enabled: null,
          ports: [],
          dependsOn: [],
          error: r.error,
        };
      }
      const st =
        states.get(`${r.mgr.kind}:${r.unit}`) ?? states.get(`${r.mgr.kind}:${r.unit}.service`);
      const s = r.service;
      return {
        name: n,
        title: s?.title ?? n,
        component: s?.component ?? '',
        unit: st?.unit ?? r.unit,
        manager: r.mgr.kind,
        status: st?.status ?? 'unknown',
        enabled: st?.enabled ?? null,
        ...(st?.detail !== undefined ? { detail: st.detail } : {}),
        ...(st?.pid !== undefined ? { pid: st.pid } : {}),
        ...(st?.since !== undefined ? { since: st.since } : {}),
        ports: (s?.ports ?? []).map((p) => {
          const l = open?.find((x) => x.port === p.port && x.proto === p.proto);
          return {
            port: p.port,
            proto: p.proto,
            ...(p.role ? { role: p.role } : {}),
            listening: !!l,
            ...(l?.process ? { process: l.process } : {}),
          };
        }),
        dependsOn: s?.after ?? [],
        ...(s?.checks ? { checks: s.checks } : {}),
        ...(st?.error ? { error: st.error } : {}),
      };
    });
    const p = m.profile;
    return {
      host,
      manager: m.primary.kind,
      profile: p ? { id: p.id, family: p.family, init: p.init } : null,
      sudo: m.sudo,
      services: rows,
      notes: [...m.notes],
    };
  }

  async action(
    host: string,
    names: readonly string[],
    action: ServiceAction,
    o: {
      withDependencies: boolean;
      timeoutMs: number;
      signal?: AbortSignal;
      onEvent?: (e: ServiceActionEvent) => void;
    },
  ): Promise<ServiceActionReport> {
    const m = await this.managers(host, o.signal);
    const order = actionOrder(this.catalog(), names, action, o.withDependencies);
    o.onEvent?.({ type: 'plan', order });
    const results: ServiceActionResult[] = [];
    const failed = new Set<string>();
    for (const name of order) {
      if (o.signal?.aborted) throw new AppError('cancelled', `${action} cancelled`);
      const r = this.resolve(m, name);
      const emit = (res: ServiceActionResult): void => {
        results.push(res);
        if (!res.ok) failed.add(name);
        o.onEvent?.({ type: 'result', result: res });
      };
      if ('error' in r) {
        emit({
          service: name,
          unit: name,
          action,
          ok: false,
          status: 'unknown',
          durationMs: 0,
          error: r.error,
        });
        continue;
      }
      // A start never runs after a dependency of it failed; a stop still proceeds (best effort).
      const deps = (r.service?.after ?? []).filter((d) => failed.has(d));
      if (action !== 'stop' && deps.length) {
        emit({
          service: name,
          unit: r.unit,
          action,
          ok: false,
          status: 'unknown',
          durationMs: 0,
          skipped: true,
          error: `skipped: ${deps.join(', ')} failed to ${action}`,
        });
        continue;
      }
      o.onEvent?.({ type: 'step', service: name, phase: 'running' });
      const t0 = Date.now();
      const out = await r.mgr
        .action(m.target, r.unit, action, {
          timeoutMs: o.timeoutMs,
          ...(o.signal ? { signal: o.signal } : {}),
          ...(r.service?.log ? { logFile: r.service.log } : {}),
        })
        .catch((e: unknown) => ({
          ok: false,
          status: 'unknown' as const,
          error: (e as Error).message,
        }));
      emit({
        service: name,
        unit: r.unit,
        action,
        ok: out.ok,
        status: out.status,
        durationMs: Date.now() - t0,
        ...(out.error ? { error: out.error } : {}),
        ...('journal' in out && out.journal ? { journal: out.journal } : {}),
      });
    }
    return { host, action, ok: results.every((r) => r.ok), order, results };
  }

  async logs(
    host: string,
    name: string,
    lines: number,
    signal?: AbortSignal,
  ): Promise<ServiceLogs> {
    const m = await this.managers(host, signal);
    const r = this.resolve(m, name);
    if ('error' in r) throw new AppError('not_found', r.error);
    try {
      const got = await r.mgr.logs(m.target, r.unit, {
        lines,
        ...(signal ? { signal } : {}),
        ...(r.service?.log ? { logFile: r.service.log } : {}),
      });
      return { host, service: name, unit: r.unit, source: got.source, lines: got.lines };
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw new AppError('unavailable', `logs of ${name} on ${host}: ${(e as Error).message}`);
    }
  }

  async follow(
    host: string,
    name: string,
    lines: number,
    signal: AbortSignal,
    onLine: (l: JournalLine) => void,
  ): Promise<number> {
    const m = await this.managers(host, signal);
    const r = this.resolve(m, name);
    if ('error' in r) throw new AppError('not_found', r.error);
    try {
      return await r.mgr.follow(m.target, r.unit, {
        lines,
        signal,
        onLine,
        ...(r.service?.log ? { logFile: r.service.log } : {}),
      });
    } catch (e) {
      throw new AppError('unavailable', `following ${name} on ${host}: ${(e as Error).message}`);
    }
  }
}
