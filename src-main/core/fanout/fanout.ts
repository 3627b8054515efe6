// Fan-out: one command on many hosts through any Executor, at most `forks` at a time, each with
// its own timeout. One host's failure never stops the others; cancel stops them all. Every
// change is streamed as an event so a face can draw live per-host rows.
import { performance } from 'node:perf_hooks';
import { StringDecoder } from 'node:string_decoder';

import { AppError } from '../../shared/errors';
import type { ExecOptions, ExecResult, Executor, SshTarget } from '../ssh/types';

/** The command as fan-out takes it: callbacks, signal and timeout belong to fan-out itself. */
import type {
  FanoutCounts,
  FanoutEvent,
  FinalHostState,
  HostErrorKind,
  HostResult,
  HostState,
} from '../../shared/models/fanout';

export type FanoutCommand = Omit<ExecOptions, 'signal' | 'onStdout' | 'onStderr' | 'timeoutMs'>;

export type { FanoutCounts, FanoutEvent, FinalHostState, HostErrorKind, HostResult, HostState };

export interface FanoutOptions {
  readonly targets: readonly SshTarget[];
  readonly command: FanoutCommand;
  readonly executor: Executor;
  /** Hosts running at once (default 10). */
  readonly forks?: number;
  /** Per host, connecting included; none when undefined. */
  readonly perHostTimeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Called synchronously; an exception thrown here is ignored so it cannot stop the fan-out. */
  readonly onEvent?: (event: FanoutEvent) => void;
  /**
   * After a timeout or cancel, how long to wait for the executor to stop the command before
   * recording the host anyway (default 5000 ms).
   */
  readonly stopGraceMs?: number;
}

export interface FanoutResult {
  /** In the order of `targets`. */
  readonly hosts: readonly HostResult[];
  readonly durationMs: number;
  readonly cancelled: boolean;
}

export const DEFAULT_FORKS = 10;
const CAPTURE_LIMIT = 1024 * 1024;

function validate(options: FanoutOptions): number {
  const forks = options.forks ?? DEFAULT_FORKS;
  if (!Number.isInteger(forks) || forks < 1) {
    throw AppError.field('invalid_input', 'forks', 'must be a whole number of at least 1');
  }
  const timeout = options.perHostTimeoutMs;
  if (timeout !== undefined && (!Number.isFinite(timeout) || timeout <= 0)) {
    throw AppError.field('invalid_input', 'perHostTimeoutMs', 'must be a positive number');
  }
  if (options.command.argv.length === 0) {
    throw AppError.field('invalid_input', 'command.argv', 'a command needs at least one word');
  }
  const seen = new Set<string>();
  for (const t of options.targets) {
    if (seen.has(t.name)) {
      throw AppError.field('invalid_input', 'targets', `host "${t.name}" is listed twice`);
    }
    seen.add(t.name);
  }
  return forks;
}

/** What the executor's failure means for the host. */
export function classifyError(err: unknown): { kind: HostErrorKind; message: string } {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof AppError) {
    if (err.code === 'unavailable' || err.code === 'disconnected') {
      return { kind: 'unreachable', message };
    }
    if (err.code === 'forbidden') return { kind: 'refused', message };
  }
  return { kind: 'other', message };
}

/** Output kept by fan-out itself, for hosts whose executor ends without a result. */
class Partial {
  readonly #chunks: Buffer[] = [];
  #size = 0;
  truncated = false;
  readonly #decoder = new StringDecoder('utf8');

  constructor(private readonly limit: number) {}

  add(chunk: Buffer): string {
    const room = this.limit - this.#size;
    if (chunk.length > room) this.truncated = true;
    if (room > 0) {
      const kept = chunk.subarray(0, room);
      this.#chunks.push(kept);
      this.#size += kept.length;
    }
    return this.#decoder.write(chunk);
  }

  flush(): string {
    return this.#decoder.end();
  }

  text(): string {
    return Buffer.concat(this.#chunks).toString('utf8');
  }
}

function cancelledResult(host: string): HostResult {
  return {
    host,
    state: 'cancelled',
    exitCode: null,
    signal: null,
    stdout: '',
    stderr: '',
    durationMs: 0,
    truncated: false,
    error: 'cancelled before it started',
    errorKind: null,
  };
}

type Outcome = { readonly ok: ExecResult } | { readonly err: unknown } | 'late';
type Described = Omit<HostResult, 'host' | 'durationMs'>;

/** The host's final record from how its exec ended and whether fan-out stopped it. */
function describe(
  outcome: Outcome,
  stoppedBy: 'timeout' | 'cancel' | undefined,
  partial: { stdout: string; stderr: string; truncated: boolean },
  options: FanoutOptions,
): Described {
  const none = { exitCode: null, signal: null, errorKind: null } as const;
  if (typeof outcome === 'object' && 'ok' in outcome) {
    const r = outcome.ok;
    const output = { exitCode: r.exitCode, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
    // A command that exits 0 just as it is stopped did finish: keep its result.
    if (r.exitCode === 0 || stoppedBy === undefined) {
      const state = r.exitCode === 0 ? 'ok' : 'failed';
      return { ...output, truncated: r.truncated, state, error: null, errorKind: null };
    }
    return { ...output, truncated: r.truncated, ...stoppedRecord(stoppedBy, '', options) };
  }
  if (stoppedBy !== undefined) {
    const note = outcome === 'late' ? ' (the command did not stop in time)' : '';
    return { ...none, ...partial, ...stoppedRecord(stoppedBy, note, options) };
  }
  const err = outcome === 'late' ? undefined : outcome.err;
  if (err instanceof AppError && err.code === 'cancelled') {
    return { ...none, ...partial, state: 'cancelled', error: err.message };
  }
  const why = classifyError(err);
  return { ...none, ...partial, state: 'error', error: why.message, errorKind: why.kind };
}

function stoppedRecord(
  by: 'timeout' | 'cancel',
  note: string,
  options: FanoutOptions,
): { state: FinalHostState; error: string; errorKind: null } {
  return by === 'timeout'
    ? {
        state: 'timeout',
        error: `timed out after ${options.perHostTimeoutMs} ms${note}`,
        errorKind: null,
      }
    : { state: 'cancelled', error: `cancelled${note}`, errorKind: null };
}

export async function runFanout(options: FanoutOptions): Promise<FanoutResult> {
  const forks = validate(options);
  const { targets, executor, signal } = options;
  const stopGraceMs = options.stopGraceMs ?? 5000;
  const started = performance.now();
  const states: HostState[] = targets.map(() => 'queued');
  const results: (HostResult | undefined)[] = targets.map(() => undefined);

  const emit = (event: FanoutEvent): void => {
    try {
      options.onEvent?.(event);
    } catch {
      // A listener's bug must not stop the hosts.
    }
  };
  const progress = (): void => {
    const count = (s: HostState): number => states.filter((x) => x === s).length;
    const queued = count('queued');
    const running = count('running');
    emit({
      type: 'progress',
      counts: {
        total: targets.length,
        queued,
        running,
        done: targets.length - queued - running,
        ok: count('ok'),
        failed: count('failed'),
        error: count('error'),
        timeout: count('timeout'),
        cancelled: count('cancelled'),
      },
    });
  };
  const finish = (index: number, result: HostResult): void => {
    results[index] = result;
    states[index] = result.state;
    emit({ type: 'host-finished', index, host: result.host, result });
    progress();
  };

  const runHost = async (index: number, target: SshTarget): Promise<void> => {
    const host = target.name;
    states[index] = 'running';
    emit({ type: 'host-started', index, host });
    progress();

    const stop = new AbortController();
    let stoppedBy: 'timeout' | 'cancel' | undefined;
    const onOuterAbort = (): void => {
      stoppedBy ??= 'cancel';
      stop.abort(signal?.reason);
    };
    signal?.addEventListener('abort', onOuterAbort, { once: true });
    const timer =
      options.perHostTimeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            stoppedBy ??= 'timeout';
            stop.abort(new AppError('cancelled', 'timed out'));
          }, options.perHostTimeoutMs);

    const limit = options.command.captureLimit ?? CAPTURE_LIMIT;
    const out = new Partial(limit);
    const err = new Partial(limit);
    let closed = false; // an executor that did not stop in time may still call back: ignore it
    const stream = (which: 'stdout' | 'stderr', p: Partial, chunk: Buffer | null): void => {
      if (closed) return;
      const text = chunk ? p.add(chunk) : p.flush();
      if (text !== '') emit({ type: 'output', index, host, stream: which, text });
    };

    const t0 = performance.now();
    const run = (async () =>
      executor.exec(target, {
        ...options.command,
        signal: stop.signal,
        onStdout: (c) => stream('stdout', out, c),
        onStderr: (c) => stream('stderr', err, c),
      }))();
    // Once stopped, wait a bounded time for the executor to finish stopping the command.
    let graceTimer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      const wait = (): void => {
        graceTimer = setTimeout(() => resolve('late'), stopGraceMs);
      };
      if (stop.signal.aborted) wait();
      else stop.signal.addEventListener('abort', wait, { once: true });
    });
    let outcome: Outcome;
    try {
      outcome = await Promise.race([run.then((ok): Outcome => ({ ok })), late]);
    } catch (e) {
      outcome = { err: e };
    } finally {
      clearTimeout(timer);
      clearTimeout(graceTimer);
      signal?.removeEventListener('abort', onOuterAbort);
    }
    run.catch(() => {}); // a rejection after 'late' is expected; the host is recorded already
    stream('stdout', out, null);
    stream('stderr', err, null);
    closed = true;

    const durationMs = Math.round(performance.now() - t0);
    const partial = {
      stdout: out.text(),
      stderr: err.text(),
      truncated: out.truncated || err.truncated,
    };
    const result: HostResult = {
      host,
      durationMs,
      ...describe(outcome, stoppedBy, partial, options),
    };
    finish(index, result);
  };

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length && !signal?.aborted) {
      const index = next++;
      await runHost(index, targets[index]!);
    }
  };

  progress();
  await Promise.all(Array.from({ length: Math.min(forks, targets.length) }, worker));
  targets.forEach((t, index) => {
    if (states[index] === 'queued') finish(index, cancelledResult(t.name));
  });

  return {
    hosts: results.map((r, i) => r ?? cancelledResult(targets[i]!.name)),
    durationMs: Math.round(performance.now() - started),
    cancelled: signal?.aborted === true,
  };
}
