// The local machine as a host: the same Executor interface as SSH, run through child processes.
// No shell is involved: the argv goes to execvp as is. Each command gets its own process group
// (detached), so a timeout or a cancel kills the whole tree, not just the first process.
import { spawn, type ChildProcess } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { performance } from 'node:perf_hooks';

import { AppError } from '../../shared/errors';
import type { AuditEntry } from '../store/audit';
import type { ExecOptions, ExecResult, Executor, SshTarget } from './types';

export interface LocalExecutorOptions {
  /**
   * Where audit entries go (AuditLog.record in the app). Same shape as the SSH executor's:
   * action 'local.exec', target = inventory name, detail { host: 'localhost', user, argv, cwd,
   * envNames, start, end, durationMs, exitCode, signal, error? }.
   */
  readonly audit?: (entry: AuditEntry) => void;
  /** Who the audit entries name as actor (default 'user'). */
  readonly actor?: string;
  /** After SIGTERM on timeout or cancel, wait this long before SIGKILL (default 2000 ms). */
  readonly killGraceMs?: number;
}

interface Ended {
  exitCode: number | null;
  signal: string | null;
  error?: { code: string; message: string };
}

export const DEFAULT_CAPTURE_LIMIT = 1024 * 1024;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Process groups still running, killed if this Node process exits first. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
  });
}

/** Keeps the first `limit` bytes of a stream and remembers whether more came. */
class Capture {
  readonly #chunks: Buffer[] = [];
  #size = 0;
  truncated = false;

  constructor(private readonly limit: number) {}

  add(chunk: Buffer): void {
    const room = this.limit - this.#size;
    if (room <= 0) {
      if (chunk.length > 0) this.truncated = true;
      return;
    }
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (kept.length < chunk.length) this.truncated = true;
    this.#chunks.push(kept);
    this.#size += kept.length;
  }

  text(): string {
    return Buffer.concat(this.#chunks).toString('utf8');
  }
}

function validate(options: ExecOptions): void {
  const [command] = options.argv;
  if (command === undefined || command === '') {
    throw new AppError('invalid_input', 'a command needs at least one word');
  }
  for (const word of options.argv) {
    if (word.includes('\0')) throw new AppError('invalid_input', 'an argument contains a NUL byte');
  }
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (!ENV_NAME.test(name)) {
      throw new AppError('invalid_input', `"${name}" is not a valid environment variable name`);
    }
    if (value.includes('\0')) {
      throw new AppError('invalid_input', `environment variable ${name} contains a NUL byte`);
    }
  }
  if (options.pty) {
    throw new AppError(
      'unavailable',
      'a pseudo-terminal is not available for local commands (node-pty is not installed); run without pty',
    );
  }
  const limit = options.captureLimit;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    throw new AppError('invalid_input', 'captureLimit must be a non-negative integer');
  }
  const timeout = options.timeoutMs;
  if (timeout !== undefined && (!Number.isFinite(timeout) || timeout <= 0)) {
    throw new AppError('invalid_input', 'timeoutMs must be a positive number');
  }
}

async function checkCwd(cwd: string): Promise<void> {
  const info = await stat(cwd).catch(() => undefined);
  if (!info) throw new AppError('not_found', `working directory not found: ${cwd}`);
  if (!info.isDirectory()) throw new AppError('invalid_input', `not a directory: ${cwd}`);
}

function spawnError(err: NodeJS.ErrnoException, command: string): AppError {
  switch (err.code) {
    case 'ENOENT':
      return new AppError('not_found', `command not found: ${command}`);
    case 'EACCES':
      return new AppError('invalid_input', `permission denied (not executable?): ${command}`);
    default:
      return new AppError('internal', `could not start ${command}: ${err.message}`);
  }
}

export class LocalExecutor implements Executor {
  readonly #audit: ((entry: AuditEntry) => void) | undefined;
  readonly #actor: string;
  readonly #killGraceMs: number;

  constructor(options: LocalExecutorOptions = {}) {
    this.#audit = options.audit;
    this.#actor = options.actor ?? 'user';
    this.#killGraceMs = options.killGraceMs ?? 2000;
  }

  async exec(target: SshTarget, options: ExecOptions): Promise<ExecResult> {
    validate(options);
    if (options.signal?.aborted) throw new AppError('cancelled', 'the command was cancelled');

    const startedAt = new Date();
    const ended: Ended = { exitCode: null, signal: null };
    try {
      if (options.cwd !== undefined) await checkCwd(options.cwd);
      if (options.signal?.aborted) throw new AppError('cancelled', 'the command was cancelled');
      return await this.#run(options, ended);
    } catch (err) {
      ended.error =
        err instanceof AppError
          ? { code: err.code, message: err.message }
          : { code: 'internal', message: String(err) };
      throw err;
    } finally {
      this.#record(target, options, startedAt, ended);
    }
  }

  #record(target: SshTarget, options: ExecOptions, startedAt: Date, ended: Ended): void {
    if (!this.#audit) return;
    const end = new Date();
    try {
      this.#audit({
        actor: this.#actor,
        action: 'local.exec',
        target: target.name,
        detail: {
          host: 'localhost',
          user: target.user || userInfo().username,
          argv: [...options.argv],
          ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
          ...(options.env ? { envNames: Object.keys(options.env) } : {}),
          start: startedAt.toISOString(),
          end: end.toISOString(),
          durationMs: end.getTime() - startedAt.getTime(),
          exitCode: ended.exitCode,
          signal: ended.signal,
          ...(ended.error ? { error: ended.error } : {}),
        },
      });
    } catch {
      // An audit sink failing must not change the command's outcome.
    }
  }

  #run(options: ExecOptions, ended: Ended): Promise<ExecResult> {
    const [command, ...args] = options.argv as [string, ...string[]];
    const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', ...options.env };
    const limit = options.captureLimit ?? DEFAULT_CAPTURE_LIMIT;
    const out = new Capture(limit);
    const err = new Capture(limit);

    const started = performance.now();
    return new Promise<ExecResult>((resolve, reject) => {
      let settled = false;
      let child: ChildProcess;
      try {
        child = spawn(command, args, {
          cwd: options.cwd,
          env,
          detached: true,
          stdio: ['ignore', 'pipe', 'pipe'],
          windowsHide: true,
        });
      } catch (e) {
        reject(spawnError(e as NodeJS.ErrnoException, command));
        return;
      }

      let why: 'timeout' | 'cancel' | undefined;
      let timer: NodeJS.Timeout | undefined;
      let killTimer: NodeJS.Timeout | undefined;
      const pid = child.pid;
      if (pid !== undefined) {
        installExitHook();
        liveGroups.add(pid);
      }

      const stop = (reason: 'timeout' | 'cancel'): void => {
        if (why || pid === undefined) return;
        why = reason;
        killGroup(pid, 'SIGTERM');
        killTimer = setTimeout(() => killGroup(pid, 'SIGKILL'), this.#killGraceMs);
        killTimer.unref();
      };
      const onAbort = (): void => stop('cancel');
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(() => stop('timeout'), options.timeoutMs);
      }

      const cleanup = (): void => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        if (pid !== undefined) liveGroups.delete(pid);
      };

      child.stdout?.on('data', (chunk: Buffer) => {
        out.add(chunk);
        options.onStdout?.(chunk);
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        err.add(chunk);
        options.onStderr?.(chunk);
      });

      child.once('error', (e: NodeJS.ErrnoException) => {
        // Spawn failures land here (killGroup never uses child.kill, so nothing else does).
        cleanup();
        clearTimeout(killTimer);
        if (settled) return;
        settled = true;
        reject(spawnError(e, command));
      });

      child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
        cleanup();
        // The SIGKILL escalation stays armed while the group lives: grandchildren that ignored
        // SIGTERM still die. Once the group is gone, disarm it (its id could be reused later).
        if (killTimer && pid !== undefined && !groupAlive(pid)) clearTimeout(killTimer);
        if (settled) return;
        settled = true;
        ended.exitCode = code;
        ended.signal = signal;
        const result: ExecResult = {
          exitCode: code,
          signal,
          stdout: out.text(),
          stderr: err.text(),
          durationMs: Math.round(performance.now() - started),
          truncated: out.truncated || err.truncated,
        };
        // The same rule as the SSH executor: a cancel or a timeout rejects as `cancelled`,
        // with details.reason telling which (a plain signal could not tell them apart).
        if (why === 'cancel') {
          reject(
            new AppError('cancelled', 'the command was cancelled', { exitCode: code, signal }),
          );
          return;
        }
        if (why === 'timeout') {
          reject(
            new AppError('cancelled', `command timed out after ${options.timeoutMs} ms`, {
              reason: 'timeout',
              timeoutMs: options.timeoutMs,
              exitCode: code,
              signal,
            }),
          );
          return;
        }
        resolve(result);
      });
    });
  }
}
