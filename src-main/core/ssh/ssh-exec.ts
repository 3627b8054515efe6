// Exec over the pool. Every command is an argv quoted by shellLine, wrapped so the remote PID is
// known: the wrapper prints `\x1estxpid=$$` on stderr, then `exec`s the command (same PID). sshd
// starts every session child with setsid(), so that PID is also the process group; cancel and
// timeout kill the whole group (TERM, then KILL after a grace period) through a second channel,
// and exec() settles only after the group is gone. Every command is audited.
import type { ClientChannel, PseudoTtyOptions } from 'ssh2';

import { AppError } from '../../shared/errors';
import type { SshConnection } from './connection';
import type { SshPool } from './pool';
import { shellLine } from './quote';
import type { ExecOptions, ExecResult, Executor, SshTarget } from './types';

/** The PID line starts with RS (0x1e), which no real output starts with. */
const MARK = `${String.fromCharCode(0x1e)}stxpid=`;
const MARK_RE = new RegExp(`^${MARK}(\\d+)\\r?\\n`);
const DEFAULT_CAPTURE = 1024 * 1024;

/**
 * TERM the session's process group and session, wait up to the grace period for anything but
 * zombies to remain, then KILL. $1 = the session id (= PID = PGID), $2 = 100 ms steps. Works
 * under dash too: its builtin kill cannot signal a group, so `env kill` runs kill(1).
 */
const KILL_SCRIPT = [
  'alive() { if command -v ps >/dev/null 2>&1; then ps -o stat= -s "$1" 2>/dev/null | grep -qv "^Z"; else env kill -s 0 -- "-$1" 2>/dev/null; fi; }',
  'env kill -s TERM -- "-$1" 2>/dev/null; pkill -TERM -s "$1" 2>/dev/null',
  'i=0',
  'while [ "$i" -lt "$2" ] && alive "$1"; do sleep 0.1; i=$((i+1)); done',
  'if alive "$1"; then env kill -s KILL -- "-$1" 2>/dev/null; pkill -KILL -s "$1" 2>/dev/null; fi',
  'exit 0',
].join('\n');

export interface SshExecutorOptions {
  /** Time the remote process gets between TERM and KILL on cancel (default 2 s). */
  readonly graceMs?: number;
}

class Capture {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly limit: number) {}
  add(chunk: Buffer): void {
    const room = this.limit - this.size;
    if (room <= 0) {
      this.truncated ||= chunk.length > 0;
      return;
    }
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (part.length < chunk.length) this.truncated = true;
    this.chunks.push(part);
    this.size += part.length;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** Passes a stream through, but first takes the PID marker line off its front. */
class MarkerFilter {
  private head: Buffer | undefined = Buffer.alloc(0);
  constructor(
    private readonly onPid: (pid: number) => void,
    private readonly forward: (chunk: Buffer) => void,
  ) {}
  push(chunk: Buffer): void {
    if (!this.head) return this.forward(chunk);
    const buf = Buffer.concat([this.head, chunk]);
    const text = buf.toString('latin1');
    const m = MARK_RE.exec(text);
    if (m) {
      this.head = undefined;
      this.onPid(Number(m[1]));
      const rest = buf.subarray(m[0].length);
      if (rest.length) this.forward(rest);
    } else if (buf.length > 64 || !MARK.startsWith(text.slice(0, MARK.length))) {
      this.head = undefined; // no marker after all: pass everything through
      this.forward(buf);
    } else {
      this.head = buf;
    }
  }
}

function openExec(conn: SshConnection, command: string, pty: boolean): Promise<ClientChannel> {
  const ptyOpts: PseudoTtyOptions = { term: 'xterm', rows: 24, cols: 80 };
  return new Promise((resolve, reject) => {
    conn.client.exec(command, pty ? { pty: ptyOpts } : {}, (err, ch) =>
      err ? reject(err) : resolve(ch),
    );
  });
}

export class SshExecutor implements Executor {
  constructor(
    private readonly pool: SshPool,
    private readonly options: SshExecutorOptions = {},
  ) {}

  async exec(target: SshTarget, options: ExecOptions): Promise<ExecResult> {
    const line = shellLine(options);
    const wrapped = `printf '\\036stxpid=%s\\n' "$$" >&2; ${line}`;
    const started = new Date();
    const audit = (extra: Record<string, unknown>): void =>
      this.pool.audit({
        actor: this.pool.actor,
        action: 'ssh.exec',
        target: target.name,
        detail: {
          host: `${target.host}:${target.port}`,
          user: target.user,
          ...(target.jump.length ? { via: target.jump.map((j) => j.name) } : {}),
          argv: options.argv,
          ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
          ...(options.env ? { envNames: Object.keys(options.env) } : {}),
          ...(options.pty ? { pty: true } : {}),
          start: started.toISOString(),
          end: new Date().toISOString(),
          durationMs: Date.now() - started.getTime(),
          ...extra,
        },
      });
    try {
      const result = await this.run(target, options, wrapped, started.getTime());
      audit({ exitCode: result.exitCode, signal: result.signal });
      return result;
    } catch (err) {
      const e =
        err instanceof AppError
          ? err
          : new AppError('internal', String(err), { host: target.name });
      audit({ exitCode: null, error: { code: e.code, message: e.message } });
      throw e;
    }
  }

  private async run(
    target: SshTarget,
    options: ExecOptions,
    command: string,
    t0: number,
  ): Promise<ExecResult> {
    const pty = options.pty ?? false;
    const timeoutCtl = new AbortController();
    const signals = [timeoutCtl.signal, ...(options.signal ? [options.signal] : [])];
    const stop = AbortSignal.any(signals);
    const timer =
      options.timeoutMs !== undefined && options.timeoutMs > 0
        ? setTimeout(() => timeoutCtl.abort(), options.timeoutMs)
        : undefined;
    const why = (): AppError =>
      timeoutCtl.signal.aborted
        ? new AppError(
            'cancelled',
            `command on ${target.name} timed out after ${options.timeoutMs} ms`,
            {
              host: target.name,
              reason: 'timeout',
              timeoutMs: options.timeoutMs,
            },
          )
        : new AppError('cancelled', `command on ${target.name} was cancelled`, {
            host: target.name,
            reason: 'cancelled',
          });
    let lease;
    try {
      lease = await this.pool.channel(target, (conn) => openExec(conn, command, pty), {
        signal: stop,
      });
    } catch (err) {
      clearTimeout(timer);
      if (stop.aborted) throw why();
      throw err;
    }
    const ch = lease.value;
    const limit = options.captureLimit ?? DEFAULT_CAPTURE;
    const out = new Capture(limit);
    const errs = new Capture(limit);
    let pid: number | undefined;
    let killing: Promise<void> | undefined;

    return await new Promise<ExecResult>((resolve, reject) => {
      let exitCode: number | null = null;
      let exitSignal: string | null = null;
      let sawExit = false;
      let settled = false;
      const finish = (err?: AppError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        stop.removeEventListener('abort', onAbort);
        unLost();
        lease.release();
        if (err) return reject(err);
        resolve({
          exitCode,
          signal: exitSignal,
          stdout: out.text(),
          stderr: errs.text(),
          durationMs: Date.now() - t0,
          truncated: out.truncated || errs.truncated,
        });
      };
      const kill = (): Promise<void> => {
        if (pid === undefined || killing) return killing ?? Promise.resolve();
        try {
          ch.signal('TERM');
        } catch {
          // channel already closing
        }
        const steps = String(Math.ceil((this.options.graceMs ?? 2000) / 100));
        const argv = ['sh', '-c', KILL_SCRIPT, 'stx-kill', String(pid), steps];
        killing = this.killGroup(target, argv).finally(() => ch.close());
        return killing;
      };
      const onAbort = (): void => {
        const reason = why();
        const done = (): void => finish(reason);
        if (pid === undefined) {
          // The PID marker has not arrived yet: kill as soon as it does, or close if it never does.
          const fallback = setTimeout(() => (ch.close(), done()), 5000);
          ch.once(
            'close',
            () => (clearTimeout(fallback), killing ? void killing.then(done, done) : done()),
          );
          return;
        }
        kill().then(done, done);
      };
      const onPid = (p: number): void => {
        pid = p;
        if (stop.aborted) void kill();
      };
      const stdout = (c: Buffer): void => (out.add(c), options.onStdout?.(c));
      const stderr = (c: Buffer): void => (errs.add(c), options.onStderr?.(c));
      const outFilter = pty ? new MarkerFilter(onPid, stdout) : undefined;
      const errFilter = pty ? undefined : new MarkerFilter(onPid, stderr);
      ch.on('data', (c: Buffer) => (outFilter ? outFilter.push(c) : stdout(c)));
      ch.stderr.on('data', (c: Buffer) => (errFilter ? errFilter.push(c) : stderr(c)));
      const onExit = (code?: number | null, signalName?: string): void => {
        if (typeof code === 'number') [sawExit, exitCode] = [true, code];
        else if (typeof signalName === 'string') [sawExit, exitSignal] = [true, signalName];
      };
      ch.on('exit', onExit);
      // 'close' repeats the exit status: an exit that arrived in the same read as the channel
      // confirmation fired before these listeners existed.
      ch.on('close', (code?: number | null, signalName?: string) => {
        onExit(code, signalName);
        if (stop.aborted) return; // onAbort settles, after the kill finished
        if (lease.connection.lost) return finish(lostDuring(lease.connection.lost));
        if (!sawExit) {
          return finish(
            new AppError('unavailable', `command on ${target.name} ended without an exit status`, {
              host: target.name,
            }),
          );
        }
        finish();
      });
      const lostDuring = (reason: AppError): AppError =>
        new AppError('unavailable', `${reason.message} (during the command)`, {
          ...reason.details,
          host: target.name,
        });
      const unLost = lease.connection.onLost((reason) => finish(lostDuring(reason)));
      if (stop.aborted) onAbort();
      else stop.addEventListener('abort', onAbort, { once: true });
    });
  }

  private async killGroup(target: SshTarget, argv: string[]): Promise<void> {
    try {
      const lease = await this.pool.channel(target, (conn) =>
        openExec(conn, shellLine({ argv }), false),
      );
      await new Promise<void>((resolve) => {
        lease.value.on('close', () => resolve());
        lease.value.resume();
        lease.value.stderr.resume();
      });
      lease.release();
    } catch {
      // the connection is gone: the remote side ends the session (SIGHUP/EOF) as it can
    }
  }
}
