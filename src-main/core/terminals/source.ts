// What a terminal session reads from and writes to: an SSH shell channel or a local pty.
import type { TerminalEndReason } from '../../shared/models/terminals';

export interface SourceEnd {
  readonly reason: TerminalEndReason;
  readonly exitCode?: number;
  readonly signal?: string;
  readonly message?: string;
}

export interface TerminalSource {
  readonly kind: 'ssh' | 'local';
  /** Raw output bytes, in order. */
  onData(listener: (chunk: Buffer) => void): void;
  /** Called once when the source is over (after its last data). */
  onEnd(listener: (end: SourceEnd) => void): void;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** Stop reading (the remote / child blocks once the kernel or SSH window is full). */
  pause(): void;
  resume(): void;
  /** End the session (kill the pty / close the channel); onEnd follows with reason 'closed'. */
  close(): void;
  /**
   * The terminal's line settings, where they can be read (local ptys): echo off with canonical
   * input on is how programs read a password. Undefined when unknown.
   */
  lineModes?(): Promise<{ echo: boolean; icanon: boolean } | undefined>;
}

export interface SourceSize {
  readonly cols: number;
  readonly rows: number;
  readonly term: string;
}
