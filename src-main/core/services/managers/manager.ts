// One interface over the service managers of the hosts we meet: systemd, SysV `service` and
// StarlingX SM (read-only). Every command is an argv run through the Executor (quoted by
// core/ssh/quote.ts); privileged ones go through `sudo -n` when the host's user is not root.
import type {
  JournalLine,
  ServiceAction,
  ServiceManagerKind,
  ServiceStatus,
} from '../../../shared/models/services';
import type { ExecResult, Executor, SshTarget } from '../../ssh/types';

export interface UnitState {
  readonly unit: string;
  readonly status: ServiceStatus;
  readonly enabled: boolean | null;
  readonly detail?: string;
  readonly pid?: number | null;
  readonly since?: string | null;
  readonly error?: string;
}

export interface ActionOutcome {
  readonly ok: boolean;
  readonly status: ServiceStatus;
  readonly error?: string;
  /** The unit's last log lines, on failure. */
  readonly journal?: readonly string[];
}

export interface LogOptions {
  readonly lines: number;
  readonly signal?: AbortSignal;
  /** A log file to read where there is no journal (SysV). */
  readonly logFile?: string;
}

export interface ServiceManager {
  readonly kind: ServiceManagerKind;
  /** State of each unit, in the order given (unknown units: status `not-found`, not a throw). */
  status(target: SshTarget, units: readonly string[], signal?: AbortSignal): Promise<UnitState[]>;
  action(
    target: SshTarget,
    unit: string,
    action: ServiceAction,
    o: { timeoutMs: number; signal?: AbortSignal; logFile?: string },
  ): Promise<ActionOutcome>;
  logs(
    target: SshTarget,
    unit: string,
    o: LogOptions,
  ): Promise<{ source: string; lines: JournalLine[] }>;
  /** Streams new lines until the signal aborts; resolves with the number of lines seen. */
  follow(
    target: SshTarget,
    unit: string,
    o: LogOptions & { onLine: (l: JournalLine) => void; signal: AbortSignal },
  ): Promise<number>;
}

export interface ManagerDeps {
  readonly executor: Executor;
  /** Prefix privileged commands with `sudo -n --` (the host's user is not root). */
  readonly sudo: boolean;
}

export function privileged(deps: ManagerDeps, argv: readonly string[]): string[] {
  return deps.sudo ? ['sudo', '-n', '--', ...argv] : [...argv];
}

/** A one-line reason from a failed command (stderr first line that says something). */
export function reason(r: ExecResult, fallback: string): string {
  const text = `${r.stderr}\n${r.stdout}`
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (/a (terminal|password) is required|sudo: .*password/i.test(r.stderr)) {
    return `sudo needs a password on this host (the console runs sudo -n): ${text[0] ?? ''}`;
  }
  return text[0] ?? `${fallback} (exit ${r.exitCode ?? r.signal ?? '?'})`;
}

/** Splits a growing byte stream into lines (the last partial line is kept until complete). */
export function lineSplitter(onLine: (line: string) => void): {
  push(chunk: Buffer): void;
  end(): void;
} {
  let rest = '';
  return {
    push(chunk) {
      rest += chunk.toString('utf8');
      let i: number;
      while ((i = rest.indexOf('\n')) >= 0) {
        onLine(rest.slice(0, i).replace(/\r$/, ''));
        rest = rest.slice(i + 1);
      }
    },
    end() {
      if (rest !== '') onLine(rest);
      rest = '';
    },
  };
}
