// An interactive shell on a pooled SSH connection: a session channel with a pty (TERM, size),
// resized with window-change, paused and resumed through the channel stream (ssh2 ties its
// window adjustments to consumption, so a paused channel stops the remote: real backpressure).
import type { ClientChannel } from 'ssh2';

import { AppError } from '../../shared/errors';
import type { SshConnection } from '../ssh/connection';
import type { ChannelLease, SshPool } from '../ssh/pool';
import type { SshTarget } from '../ssh/types';
import type { SourceEnd, SourceSize, TerminalSource } from './source';

function openShell(client: SshConnection['client'], size: SourceSize): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.shell(
      { term: size.term, cols: size.cols, rows: size.rows, width: 0, height: 0 },
      { env: { COLORTERM: 'truecolor' } },
      (err, stream) => (err ? reject(err) : resolve(stream)),
    );
  });
}

export async function openSshSource(
  pool: SshPool,
  target: SshTarget,
  size: SourceSize,
  signal: AbortSignal,
): Promise<TerminalSource> {
  let lease: ChannelLease<ClientChannel>;
  try {
    lease = await pool.channel(target, (conn) => openShell(conn.client, size), { signal });
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(
      'unavailable',
      `cannot open a shell on ${target.name}: ${err instanceof Error ? err.message : String(err)}`,
      { host: target.name },
    );
  }
  return new SshSource(lease, target);
}

class SshSource implements TerminalSource {
  readonly kind = 'ssh' as const;
  private readonly stream: ClientChannel;
  private exit: { code?: number; signal?: string } | undefined;
  private closedByUs = false;
  private lostReason: AppError | undefined;
  private ended = false;
  private endListeners: ((e: SourceEnd) => void)[] = [];
  private readonly offLost: () => void;

  constructor(
    private readonly lease: ChannelLease<ClientChannel>,
    private readonly target: SshTarget,
  ) {
    this.stream = lease.value;
    this.offLost = lease.connection.onLost((reason) => {
      this.lostReason = reason;
      // The channel's own close follows; make sure the session ends even if it does not.
      setTimeout(() => this.finish(), 200).unref();
    });
    this.stream.on('exit', (code: number | null, sig?: string) => {
      this.exit = {
        ...(typeof code === 'number' ? { code } : {}),
        ...(sig ? { signal: sig } : {}),
      };
    });
    this.stream.on('error', () => undefined); // 'close' follows and decides the reason
    this.stream.on('close', () => setImmediate(() => this.finish()));
  }

  onData(listener: (chunk: Buffer) => void): void {
    this.stream.on('data', listener);
    this.stream.stderr.on('data', listener);
  }

  onEnd(listener: (e: SourceEnd) => void): void {
    this.endListeners.push(listener);
  }

  write(data: string): void {
    if (!this.ended) this.stream.write(data);
  }

  resize(cols: number, rows: number): void {
    if (!this.ended) this.stream.setWindow(rows, cols, 0, 0);
  }

  pause(): void {
    this.stream.pause();
    this.stream.stderr.pause();
  }

  resume(): void {
    this.stream.resume();
    this.stream.stderr.resume();
  }

  close(): void {
    if (this.ended) return;
    this.closedByUs = true;
    this.stream.close();
    // A connection that no longer answers never confirms the close.
    setTimeout(() => this.finish(), 2000).unref();
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.offLost();
    this.lease.release();
    const lost = this.lostReason ?? this.lease.connection.lost;
    let end: SourceEnd;
    if (this.closedByUs) {
      end = { reason: 'closed' };
    } else if (this.exit) {
      end = {
        reason: 'exit',
        ...(this.exit.code !== undefined ? { exitCode: this.exit.code } : {}),
        ...(this.exit.signal ? { signal: this.exit.signal } : {}),
      };
    } else if (lost && lost.code !== 'cancelled') {
      end = { reason: 'connection-lost', message: lost.message };
    } else if (lost) {
      end = { reason: 'closed', message: lost.message };
    } else {
      end = { reason: 'exit', message: `the shell on ${this.target.name} ended` };
    }
    for (const l of this.endListeners) l(end);
  }
}
