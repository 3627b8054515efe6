// systemd: `systemctl show` for state (one call for all units), start/stop/restart with exit
// codes interpreted, and `journalctl -u` for logs (follow with -f, cancelled by the signal).
import type { JournalLine, ServiceAction } from '../../../shared/models/services';
import type { SshTarget } from '../../ssh/types';
import {
  parseJournal,
  parseJournalLine,
  parseSystemctlShow,
  systemdEnabled,
  systemdStatus,
  systemdTime,
} from '../parse';
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

/** systemd's own line that ends a start attempt ("Failed to start …", "… failed with result …"). */
const ENDED = /Failed to start|failed with result|Main process exited|Control process exited/;

const PROPS = [
  'Id',
  'LoadState',
  'ActiveState',
  'SubState',
  'UnitFileState',
  'MainPID',
  'ActiveEnterTimestamp',
  'InactiveEnterTimestamp',
  'Result',
];

/** `systemctl` exit codes (LSB-style, systemctl(1) "EXIT STATUS"). */
const EXIT: Readonly<Record<number, string>> = {
  1: 'the unit failed to start, or the job failed',
  2: 'invalid or excess arguments',
  3: 'the unit is not active',
  4: 'no such unit',
  5: 'unit not found, or not loaded',
};

/** Unit names as systemd takes them: `ssh` → `ssh.service`. */
export function unitName(u: string): string {
  return /\.(service|socket|target|timer|mount|path|scope|slice)$/.test(u) ? u : `${u}.service`;
}

export class SystemdManager implements ServiceManager {
  readonly kind = 'systemd' as const;
  constructor(private readonly deps: ManagerDeps) {}

  async status(
    target: SshTarget,
    units: readonly string[],
    signal?: AbortSignal,
  ): Promise<UnitState[]> {
    if (units.length === 0) return [];
    const names = units.map(unitName);
    const r = await this.deps.executor.exec(target, {
      argv: ['systemctl', 'show', '--no-pager', `--property=${PROPS.join(',')}`, '--', ...names],
      timeoutMs: 30_000,
      ...(signal ? { signal } : {}),
    });
    if (r.exitCode !== 0) {
      const why = reason(r, 'systemctl show failed');
      return names.map((unit) => ({ unit, status: 'unknown', enabled: null, error: why }));
    }
    const blocks = parseSystemctlShow(r.stdout);
    return names.map((unit, i) => {
      const p = blocks.find((b) => b.Id === unit) ?? blocks[i] ?? {};
      const status = systemdStatus(p);
      const pid = Number(p.MainPID ?? '0');
      const since =
        status === 'active'
          ? systemdTime(p.ActiveEnterTimestamp)
          : systemdTime(p.InactiveEnterTimestamp);
      return {
        unit,
        status,
        enabled: status === 'not-found' ? null : systemdEnabled(p),
        ...(p.SubState ? { detail: p.SubState } : {}),
        pid: pid > 0 ? pid : null,
        since,
        ...(status === 'not-found' ? { error: `unit ${unit} not found on ${target.name}` } : {}),
      };
    });
  }

  async action(
    target: SshTarget,
    unit: string,
    action: ServiceAction,
    o: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<ActionOutcome> {
    const name = unitName(unit);
    const [before] = await this.status(target, [name], o.signal);
    if (before?.status === 'not-found') {
      return { ok: false, status: 'not-found', error: `unit ${name} not found on ${target.name}` };
    }
    const r = await this.deps.executor.exec(target, {
      argv: privileged(this.deps, ['systemctl', action, '--', name]),
      timeoutMs: o.timeoutMs,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    const [after] = await this.status(target, [name], o.signal);
    const status = after?.status ?? 'unknown';
    const wanted =
      action === 'stop'
        ? status === 'inactive' || status === 'failed'
        : status === 'active' || status === 'activating';
    if (r.exitCode === 0 && wanted) return { ok: true, status };
    const code = r.exitCode ?? -1;
    const why =
      r.exitCode === 0
        ? `${name} is ${status} after ${action}`
        : `${reason(r, `systemctl ${action} ${name} failed`)}${EXIT[code] && !r.stderr.trim() ? ` (${EXIT[code]})` : ''}`;
    const journal = action === 'stop' ? undefined : await this.failureTail(target, name, o.signal);
    return { ok: false, status, error: why, ...(journal ? { journal } : {}) };
  }

  /**
   * The unit's last lines after a failed start. journald may file them a moment after systemctl
   * returns, so read again (a few times, briefly) until the tail shows how this attempt ended.
   */
  private async failureTail(
    target: SshTarget,
    name: string,
    signal: AbortSignal | undefined,
  ): Promise<string[] | undefined> {
    let lines: JournalLine[] | undefined;
    for (let attempt = 0; attempt < 5; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 300));
      if (signal?.aborted) break;
      lines = (
        await this.logs(target, name, { lines: 20, ...(signal ? { signal } : {}) }).catch(
          () => undefined,
        )
      )?.lines;
      if (!lines) return undefined;
      const lastStart = lines.findLastIndex((l) => /^Starting /.test(l.message));
      if (lines.slice(lastStart + 1).some((l) => ENDED.test(l.message))) break;
    }
    return lines?.map((l) => (l.at ? `${l.at} ${l.ident ?? ''}: ${l.message}` : l.message));
  }

  async logs(
    target: SshTarget,
    unit: string,
    o: LogOptions,
  ): Promise<{ source: string; lines: JournalLine[] }> {
    const r = await this.deps.executor.exec(target, {
      argv: privileged(this.deps, [
        'journalctl',
        '-u',
        unitName(unit),
        '-n',
        String(o.lines),
        '--no-pager',
        '-o',
        'short-iso',
      ]),
      timeoutMs: 30_000,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    if (r.exitCode !== 0) throw new Error(reason(r, 'journalctl failed'));
    return { source: 'journal', lines: parseJournal(r.stdout) };
  }

  async follow(
    target: SshTarget,
    unit: string,
    o: LogOptions & { onLine: (l: JournalLine) => void; signal: AbortSignal },
  ): Promise<number> {
    let n = 0;
    const split = lineSplitter((line) => {
      if (/^-- .* --$/.test(line) || line === '') return;
      n++;
      o.onLine(parseJournalLine(line));
    });
    const r = await this.deps.executor
      .exec(target, {
        argv: privileged(this.deps, [
          'journalctl',
          '-u',
          unitName(unit),
          '-n',
          String(o.lines),
          '-f',
          '--no-pager',
          '-o',
          'short-iso',
        ]),
        signal: o.signal,
        captureLimit: 64 * 1024,
        onStdout: (c) => split.push(c),
      })
      .catch((e: unknown) => {
        if (o.signal.aborted) return undefined;
        throw e;
      });
    split.end();
    if (r && !o.signal.aborted && r.exitCode !== 0)
      throw new Error(reason(r, 'journalctl -f failed'));
    return n;
  }
}
