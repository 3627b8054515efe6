// StarlingX SM, read-only: state from `sm-dump` (one call for all services). Starting and
// stopping SM-managed services is SM's job (sm-restart-safe, host lock/unlock): refused here
// with a clear message. Logs: the service's log file.
import type { JournalLine, ServiceAction } from '../../../shared/models/services';
import type { SshTarget } from '../../ssh/types';
import { parseSmDump, smStatus } from '../parse';
import {
  privileged,
  reason,
  type ActionOutcome,
  type LogOptions,
  type ManagerDeps,
  type ServiceManager,
  type UnitState,
} from './manager';
import { SysvManager } from './sysv';

export class SmManager implements ServiceManager {
  readonly kind = 'sm' as const;
  readonly #files: SysvManager;
  constructor(private readonly deps: ManagerDeps) {
    this.#files = new SysvManager(deps);
  }

  async status(
    target: SshTarget,
    units: readonly string[],
    signal?: AbortSignal,
  ): Promise<UnitState[]> {
    const r = await this.deps.executor.exec(target, {
      argv: privileged(this.deps, ['sm-dump']),
      timeoutMs: 30_000,
      ...(signal ? { signal } : {}),
    });
    if (r.exitCode !== 0) {
      const why = reason(r, 'sm-dump failed');
      return units.map((unit) => ({ unit, status: 'unknown', enabled: null, error: why }));
    }
    if (/sm\.db not available/.test(r.stdout)) {
      return units.map((unit) => ({
        unit,
        status: 'unknown',
        enabled: null,
        error: 'SM is not running on this host (no /var/run/sm/sm.db)',
      }));
    }
    const { services } = parseSmDump(r.stdout);
    return units.map((unit) => {
      const s = services.find((x) => x.name === unit);
      if (!s)
        return {
          unit,
          status: 'not-found',
          enabled: null,
          error: `SM has no service ${unit} on ${target.name}`,
        };
      return {
        unit,
        status: smStatus(s),
        enabled: s.desired.startsWith('enabled'),
        detail: `${s.state}${s.status ? ` (${s.status})` : ''}; desired ${s.desired}`,
      };
    });
  }

  action(_t: SshTarget, unit: string, action: ServiceAction): Promise<ActionOutcome> {
    return Promise.resolve({
      ok: false,
      status: 'unknown',
      error: `${unit} is managed by SM: the console does not ${action} SM services (use sm-restart-safe service ${unit}, or lock/unlock the host)`,
    });
  }

  logs(
    target: SshTarget,
    unit: string,
    o: LogOptions,
  ): Promise<{ source: string; lines: JournalLine[] }> {
    return this.#files.logs(target, unit, o);
  }

  follow(
    target: SshTarget,
    unit: string,
    o: LogOptions & { onLine: (l: JournalLine) => void; signal: AbortSignal },
  ): Promise<number> {
    return this.#files.follow(target, unit, o);
  }
}
