// One open terminal: its source (SSH channel or pty), the output path to the caller (coalesced
// chunks, lossless flow control), the session log, secret-prompt detection and the line being
// typed (for the broadcast guard).
import type { TerminalChunk, TerminalInfo, TerminalKind } from '../../shared/models/terminals';
import { feedLine } from '../../shared/terminal-destructive';
import { OutputCoalescer } from './coalescer';
import { FlowControl, type Watermarks } from './flow-control';
import { SecretPromptDetector } from './secret-prompt';
import type { SessionLog } from './session-log';
import type { SourceEnd, TerminalSource } from './source';

const PROBE_AFTER_MS = 120;

export interface SessionOptions {
  readonly id: string;
  readonly title: string;
  readonly kind: TerminalKind;
  readonly host: string;
  readonly cols: number;
  readonly rows: number;
  readonly source: TerminalSource;
  readonly log: SessionLog | undefined;
  readonly marks: Watermarks;
  readonly maxChunk: number;
  readonly flushMs: number;
  /** Where chunks go (the terminals.open call's emit). */
  readonly emit: (chunk: TerminalChunk) => void;
  /** Prompt state changed (for terminals.changed). */
  readonly onState?: (promptSecret: boolean) => void;
  /** Pause the source while the log's unwritten backlog is above this (default 8 MiB). */
  readonly logBacklogLimit?: number;
}

export class TerminalSession {
  readonly id: string;
  readonly startedAt = new Date().toISOString();
  readonly ended: Promise<SourceEnd>;
  private readonly flow: FlowControl;
  private readonly coalescer: OutputCoalescer;
  private readonly prompt = new SecretPromptDetector();
  private typed = '';
  private cols: number;
  private rows: number;
  private bytesOut = 0;
  private sourcePaused = false;
  private done = false;
  /** What the pty's termios said after output last settled (undefined: not asked since). */
  private termiosSecret: boolean | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  /** Bumped by every output chunk: a probe that raced with new output is discarded. */
  private outputGen = 0;
  private published = false;

  constructor(private readonly o: SessionOptions) {
    this.id = o.id;
    this.cols = o.cols;
    this.rows = o.rows;
    this.flow = new FlowControl(o.marks);
    this.coalescer = new OutputCoalescer({
      maxBytes: o.maxChunk,
      delayMs: o.flushMs,
      onChunk: (c) => this.send(c.data, c.bytes),
    });
    o.source.onData((buf) => this.coalescer.push(buf));
    this.ended = new Promise((resolve) => {
      o.source.onEnd((end) => {
        this.done = true;
        if (this.probeTimer) clearTimeout(this.probeTimer);
        this.coalescer.end();
        resolve(end);
      });
    });
  }

  /** At a secret prompt: the pty's termios when known (local), else the prompt's text. */
  get promptSecret(): boolean {
    return this.termiosSecret ?? this.prompt.active;
  }
  get closed(): boolean {
    return this.done;
  }
  /** The line typed so far (all input, broadcast or not). */
  get pendingLine(): string {
    return this.typed;
  }

  input(data: string): number {
    if (this.done) return 0;
    this.typed = feedLine(this.typed, data).pending;
    this.o.source.write(data);
    return data.length;
  }

  resize(cols: number, rows: number): void {
    this.cols = cols;
    this.rows = rows;
    this.o.source.resize(cols, rows);
    this.o.log?.resize(cols, rows);
  }

  ack(bytes: number): { unacked: number; paused: boolean } {
    this.flow.acked(bytes);
    this.updatePause();
    return { unacked: this.flow.unacked, paused: this.sourcePaused };
  }

  close(): void {
    this.o.source.close();
  }

  /** Called when the log's backlog drained (the source may resume). */
  logDrained(): void {
    this.updatePause();
  }

  info(): TerminalInfo {
    return {
      id: this.id,
      title: this.o.title,
      kind: this.o.kind,
      host: this.o.host,
      cols: this.cols,
      rows: this.rows,
      promptSecret: this.promptSecret,
      paused: this.sourcePaused,
      unacked: this.flow.unacked,
      bytesOut: this.bytesOut,
      startedAt: this.startedAt,
      logId: this.o.log?.id ?? null,
    };
  }

  private send(data: string, bytes: number): void {
    this.bytesOut += bytes;
    this.o.log?.output(data);
    this.o.emit({ type: 'data', data, bytes });
    this.flow.sent(bytes);
    this.prompt.feed(data, this.typed);
    if (this.o.source.lineModes) {
      this.outputGen++;
      if (this.probeTimer) clearTimeout(this.probeTimer);
      this.probeTimer = undefined;
      const typed = this.typed.trimEnd();
      if (typed && this.prompt.lastLine.endsWith(typed)) {
        this.termiosSecret = false; // the output echoes what was typed: echo is on
      } else {
        // Ask the pty once output has settled (one stty run per burst, not per chunk).
        this.termiosSecret = undefined;
        this.probeTimer = setTimeout(() => void this.probe(), PROBE_AFTER_MS);
      }
    }
    this.publishState();
    this.updatePause();
  }

  private async probe(): Promise<void> {
    const gen = this.outputGen;
    this.probeTimer = undefined;
    const modes = await this.o.source.lineModes?.();
    if (!modes || this.done || gen !== this.outputGen) return;
    this.termiosSecret = !modes.echo && modes.icanon;
    this.publishState();
  }

  private publishState(): void {
    const now = this.promptSecret;
    if (now === this.published) return;
    this.published = now;
    const prompt = this.prompt.prompt ?? this.prompt.lastLine;
    this.o.emit({ type: 'state', promptSecret: now, ...(now && prompt ? { prompt } : {}) });
    this.o.onState?.(now);
  }

  /** The source runs only while the renderer keeps up and the log is not far behind. */
  private updatePause(): void {
    const logBehind = (this.o.log?.backlog ?? 0) > (this.o.logBacklogLimit ?? 8 * 1024 * 1024);
    const shouldPause = this.flow.paused || logBehind;
    if (shouldPause === this.sourcePaused || this.done) return;
    this.sourcePaused = shouldPause;
    if (shouldPause) this.o.source.pause();
    else this.o.source.resume();
  }
}
