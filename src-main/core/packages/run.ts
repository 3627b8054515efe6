// Running one package-tool command: LC_ALL=C, streamed lines as progress, cancel and timeout,
// and failures turned into AppErrors that carry the tool's own message.
import { AppError } from '../../shared/errors';
import type { ExecResult, Executor, SshTarget } from '../ssh/types';
import type { OperationResult, PmLongOptions } from './package-manager';

/** Splits a byte stream into lines for progress events. */
function lineSplitter(emit: (line: string) => void): { push(chunk: Buffer): void; end(): void } {
  let rest = '';
  return {
    push(chunk) {
      const text = rest + chunk.toString('utf8');
      const lines = text.split(/\r?\n|\r/);
      rest = lines.pop() ?? '';
      for (const l of lines) emit(l);
    },
    end() {
      if (rest) emit(rest);
      rest = '';
    },
  };
}

export interface RunSpec {
  readonly argv: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Exit codes that are not failures (default [0]). */
  readonly okCodes?: readonly number[];
  /** Default timeout when the caller gives none. */
  readonly defaultTimeoutMs?: number;
  /** Keep more output than the executor's default (large package lists). */
  readonly captureLimit?: number;
}

export interface RunContext {
  readonly executor: Executor;
  readonly target: SshTarget;
  /** Prefix privileged commands with `sudo -n` (non-interactive: fails instead of prompting). */
  readonly sudo?: boolean;
}

/** Runs a command; a non-ok exit code is returned (callers classify), cancel/timeout throw. */
export async function runRaw(
  ctx: RunContext,
  spec: RunSpec & { privileged?: boolean },
  options: PmLongOptions = {},
): Promise<ExecResult & { argv: readonly string[] }> {
  const argv = spec.privileged && ctx.sudo ? ['sudo', '-n', '--', ...spec.argv] : [...spec.argv];
  const progress = options.onProgress;
  const out =
    progress && lineSplitter((line) => progress({ phase: 'output', argv, stream: 'stdout', line }));
  const err =
    progress && lineSplitter((line) => progress({ phase: 'output', argv, stream: 'stderr', line }));
  progress?.({ phase: 'start', argv });
  const result = await ctx.executor.exec(ctx.target, {
    argv,
    env: { LC_ALL: 'C', LANG: 'C', ...spec.env },
    signal: options.signal,
    timeoutMs: options.timeoutMs ?? spec.defaultTimeoutMs,
    captureLimit: spec.captureLimit,
    onStdout: out ? (c) => out.push(c) : undefined,
    onStderr: err ? (c) => err.push(c) : undefined,
  });
  out?.end();
  err?.end();
  progress?.({ phase: 'done', argv });
  return { ...result, argv };
}

export function toOperation(r: ExecResult & { argv: readonly string[] }): OperationResult {
  return {
    argv: r.argv,
    exitCode: r.exitCode ?? -1,
    stdout: r.stdout,
    stderr: r.stderr,
    durationMs: r.durationMs,
  };
}

/** Lines that say nothing about the failure (Debian's rpm warns on every install). */
const NOISE = /^rpm: (RPM should not be used directly|However assuming you know)/;

/** The lines worth showing from a failed command: stderr first, else the tail of stdout. */
export function reasonOf(r: Pick<ExecResult, 'stdout' | 'stderr' | 'exitCode' | 'signal'>): string {
  const pick = (text: string): string[] =>
    text
      .split('\n')
      .map((l) => l.trimEnd())
      .filter((l) => l.trim() !== '' && !NOISE.test(l));
  let lines = pick(r.stderr);
  if (lines.length === 0) lines = pick(r.stdout).slice(-5);
  if (lines.length === 0) return `exit code ${r.exitCode ?? `signal ${r.signal}`}`;
  return lines.slice(0, 8).join('\n');
}

interface Rule {
  readonly test: RegExp;
  readonly code: 'unavailable' | 'not_found' | 'forbidden' | 'conflict';
  readonly reason: string;
  readonly lead: string;
}

/** Known failure messages of dpkg, apt, rpm, yum, dnf and swupd, first match wins. */
const RULES: readonly Rule[] = [
  {
    test: /lock was locked by another process|Could not get lock|unable to lock|database is locked|is locked by another process|can't create transaction lock|Existing lock .*another copy is running|Waiting for process with pid|cannot acquire lock|another swupd process/i,
    code: 'unavailable',
    reason: 'locked',
    lead: 'the package database is locked by another process',
  },
  {
    test: /are you root\?|requires superuser|must be run as root|need to be root|superuser privilege|Permission denied|a password is required|Operation not permitted/i,
    code: 'forbidden',
    reason: 'permission',
    lead: 'not allowed (root or sudo needed)',
  },
  {
    test: /Temporary failure resolving|Could not resolve|Failed to fetch|Cannot find a valid baseurl|Failed to download metadata|Curl error|Network is unreachable|Failed to connect to update server|Cannot retrieve repository metadata|Connection timed out/i,
    code: 'unavailable',
    reason: 'network',
    lead: 'the repositories cannot be reached',
  },
  {
    test: /Unable to locate package|is not installed|isn't installed|No package .* available|No match for argument|no packages found matching|not an available bundle|Unable to find bundle|No matching Packages|error: .*: (open|not an rpm package) failed|No such file or directory|cannot access archive/i,
    code: 'not_found',
    reason: 'no_such_package',
    lead: 'no such package',
  },
  {
    test: /dependency problems|Failed dependencies|Unmet dependencies|broken packages|is needed by|conflicts with/i,
    code: 'conflict',
    reason: 'dependencies',
    lead: 'dependency problem',
  },
];

/** An AppError for a failed package command: the OS's own words, a stable code and reason. */
export function commandError(r: ExecResult & { argv: readonly string[] }, what: string): AppError {
  const message = reasonOf(r);
  const text = `${r.stderr}\n${r.stdout}`;
  const rule = RULES.find((x) => x.test.test(text));
  const details = {
    reason: rule?.reason ?? 'failed',
    argv: [...r.argv],
    exitCode: r.exitCode,
    stderr: r.stderr.slice(0, 8000),
  };
  if (rule) return new AppError(rule.code, `${what}: ${rule.lead}: ${message}`, details);
  return new AppError('unavailable', `${what} failed: ${message}`, details);
}

/** Runs and throws commandError unless the exit code is in okCodes. */
export async function runChecked(
  ctx: RunContext,
  spec: RunSpec & { privileged?: boolean; what: string },
  options: PmLongOptions = {},
): Promise<ExecResult & { argv: readonly string[] }> {
  const r = await runRaw(ctx, spec, options);
  const ok = spec.okCodes ?? [0];
  if (r.exitCode === null || !ok.includes(r.exitCode)) throw commandError(r, spec.what);
  return r;
}

/**
 * Runs `attempt` again while it fails because the package database is locked, for up to
 * waitMs (dpkg has no lock wait of its own; unattended-upgrades often holds the lock briefly).
 */
export async function retryWhileLocked<T>(
  attempt: () => Promise<T>,
  waitMs: number,
  signal?: AbortSignal,
): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      const locked = err instanceof AppError && err.details?.reason === 'locked';
      if (!locked || Date.now() >= deadline || signal?.aborted) throw err;
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(500, Math.max(0, deadline - Date.now()))),
      );
    }
  }
}
