// SysV init: `service NAME start|stop|restart|status` (LSB exit codes), enabled from the rc
// links (`ls /etc/rc2.d /etc/rc3.d /etc/rc5.d`), logs from the service's log file (`tail`).
import type { JournalLine, ServiceAction } from '../../../shared/models/services';
import type { SshTarget } from '../../ssh/types';
import { parseJournal, parseJournalLine, sysvStatus } from '../parse';
import {
  lineSplitter,
  privileged,
  reason,
  type ActionOutcome,
  type LogOptions,
  type ManagerDeps,
  type ServiceManager,
  type UnitState,
} from './manager';

/** `sysinv-api.service` → `sysinv-api` (the init script's name). */
export function scriptName(unit: string): string {
  return unit.replace(/\.service$/, '');
}

const UNRECOGNIZED = /unrecognized service|no such file|not found|does not exist/i;

export class SysvManager implements ServiceManager {
  readonly kind = 'sysvinit' as const;
  constructor(private readonly deps: ManagerDeps) {}

  async status(
    target: SshTarget,
    units: readonly string[],
    signal?: AbortSignal,
  ): Promise<UnitState[]> {
    const links = await this.deps.executor
      .exec(target, {
        argv: ['ls', '-1', '/etc/rc2.d', '/etc/rc3.d', '/etc/rc5.d'],
        timeoutMs: 15_000,
        ...(signal ? { signal } : {}),
      })
      .then((r) => r.stdout.split('\n'))
      .catch(() => [] as string[]);
    const out: UnitState[] = [];
    for (const u of units) {
      const name = scriptName(u);
      const r = await this.deps.executor.exec(target, {
        argv: privileged(this.deps, ['service', name, 'status']),
        timeoutMs: 30_000,
        ...(signal ? { signal } : {}),
      });
      const text = `${r.stdout}\n${r.stderr}`;
      if (r.exitCode !== 0 && UNRECOGNIZED.test(text)) {
        out.push({
          unit: name,
          status: 'not-found',
          enabled: null,
          error: `no init script ${name} on ${target.name}`,
        });
        continue;
      }
      const enabled = links.length
        ? links.some((l) => new RegExp(`^S\\d\\d${escape(name)}$`).test(l))
        : null;
      const pid = /\bpid\s*[= ]?\s*(\d+)|\((\d+)\)/i.exec(r.stdout);
      out.push({
        unit: name,
        status: sysvStatus(r.exitCode),
        enabled,
        detail: r.stdout.trim().split('\n')[0]?.slice(0, 200) ?? '',
        pid: pid ? Number(pid[1] ?? pid[2]) : null,
      });
    }
    return out;
  }

  async action(
    target: SshTarget,
    unit: string,
    action: ServiceAction,
    o: { timeoutMs: number; signal?: AbortSignal; logFile?: string },
  ): Promise<ActionOutcome> {
    const name = scriptName(unit);
    const r = await this.deps.executor.exec(target, {
      argv: privileged(this.deps, ['service', name, action]),
      timeoutMs: o.timeoutMs,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    if (r.exitCode !== 0 && UNRECOGNIZED.test(`${r.stdout}\n${r.stderr}`)) {
      return { ok: false, status: 'not-found', error: `no init script ${name} on ${target.name}` };
    }
    const [after] = await this.status(target, [name], o.signal);
    const status = after?.status ?? 'unknown';
    const wanted = action === 'stop' ? status !== 'active' : status === 'active';
    if (r.exitCode === 0 && wanted) return { ok: true, status };
    const journal =
      action !== 'stop' && o.logFile
        ? (
            await this.logs(target, name, { lines: 20, logFile: o.logFile }).catch(() => undefined)
          )?.lines.map((l) => (l.at ? `${l.at} ${l.message}` : l.message))
        : undefined;
    return {
      ok: false,
      status,
      error:
        r.exitCode === 0
          ? `${name} is ${status} after ${action}`
          : reason(r, `service ${name} ${action} failed`),
      ...(journal ? { journal } : {}),
    };
  }

  async logs(
    target: SshTarget,
    unit: string,
    o: LogOptions,
  ): Promise<{ source: string; lines: JournalLine[] }> {
    if (!o.logFile)
      throw new Error(`no log file known for ${scriptName(unit)} (SysV hosts have no journal)`);
    const r = await this.deps.executor.exec(target, {
      argv: privileged(this.deps, ['tail', '-n', String(o.lines), '--', o.logFile]),
      timeoutMs: 30_000,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    if (r.exitCode !== 0) throw new Error(reason(r, `tail ${o.logFile} failed`));
    return { source: o.logFile, lines: parseJournal(r.stdout) };
  }

  async follow(
    target: SshTarget,
    unit: string,
    o: LogOptions & { onLine: (l: JournalLine) => void; signal: AbortSignal },
  ): Promise<number> {
    if (!o.logFile)
      throw new Error(`no log file known for ${scriptName(unit)} (SysV hosts have no journal)`);
    let n = 0;
    const split = lineSplitter((line) => {
      n++;
      o.onLine(parseJournalLine(line));
    });
    await this.deps.executor
      .exec(target, {
        argv: privileged(this.deps, ['tail', '-n', String(o.lines), '-F', '--', o.logFile]),
        signal: o.signal,
        captureLimit: 64 * 1024,
        onStdout: (c) => split.push(c),
      })
      .catch((e: unknown) => {
        if (!o.signal.aborted) throw e;
      });
    split.end();
    return n;
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
