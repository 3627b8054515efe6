// One terminal: its xterm (created once, kept for the life of the pane, so its scrollback
// survives hiding, navigation and reconnects) and the `terminals.open` stream feeding it.
// Output is written into xterm and acknowledged only from xterm's write callback (AckBatcher).
import { AppError } from '@shared/errors';
import type { TerminalChunk, TerminalEnd, TerminalTarget } from '@shared/models/terminals';
import type { SearchAddon } from '@xterm/addon-search';
import type { Terminal } from '@xterm/xterm';

import { AckBatcher } from '../lib/terminals/ack-batcher';
import { RetryTimer } from '../lib/terminals/backoff';
import { consoleNote, endMessage, inputParts } from '../lib/terminals/format';
import { FrameCounter } from '../lib/terminals/frame-counter';
import { sha256OutputHash, type HashResult, type OutputHash } from '../lib/terminals/output-hash';
import { writeInSlices } from '../lib/terminals/write-slices';
import { XtermView } from '../lib/terminals/xterm-view';
import { backend } from '../platform/backend';
import type { Theme } from './theme.svelte';
import { errorMessage } from './errors';

export type SessionStatus = 'connecting' | 'open' | 'ended' | 'lost' | 'failed';

export interface SessionOptions {
  readonly key: string;
  readonly target: TerminalTarget;
  readonly label: string;
  readonly fontSize: number;
  readonly theme: Theme;
  /** Hash output between markers (see output-hash.ts). */
  readonly hashOutput: boolean;
  /** Where typed keys go (the store routes them to broadcast when armed). */
  readonly onInput: (session: TerminalSession, data: string) => void;
}

export class TerminalSession {
  readonly key: string;
  readonly target: TerminalTarget;
  readonly view: XtermView;

  id = $state<string | null>(null);
  title = $state('');
  host = $state('');
  status = $state<SessionStatus>('connecting');
  /** Why it ended or failed, in words. */
  message = $state('');
  promptSecret = $state(false);
  prompt = $state('');
  bytesReceived = $state(0); // parsed by xterm; published at most once per frame
  hash = $state.raw<HashResult | null>(null);
  logId = $state<string | null>(null);
  autoReconnect = $state(false);
  /** When the next automatic attempt starts (ms since epoch), or null. */
  retryAt = $state<number | null>(null);
  attempt = $state(0);
  renderer = $state<'webgl' | 'dom'>('dom');
  /** The size the remote knows (after the last fit). */
  size = $state.raw({ cols: 80, rows: 24 });

  #abort: AbortController | null = null;
  #acks: AckBatcher | null = null;
  #hasher: OutputHash | null;
  #retry = new RetryTimer();
  #bytes = new FrameCounter((n) => (this.bytesReceived = n));
  #size = { cols: 80, rows: 24 };
  #disposed = false;
  #started = false;

  constructor(opts: SessionOptions) {
    this.key = opts.key;
    this.target = opts.target;
    this.title = opts.label;
    this.host = opts.target.kind === 'ssh' ? opts.target.host : 'localhost';
    this.view = new XtermView({
      fontSize: opts.fontSize,
      theme: opts.theme,
      onInput: (data) => opts.onInput(this, data),
      onRenderer: (r) => (this.renderer = r),
    });
    this.#hasher = opts.hashOutput ? sha256OutputHash((r) => (this.hash = r)) : null;
  }

  get term(): Terminal {
    return this.view.term;
  }
  get search(): SearchAddon {
    return this.view.search;
  }

  /** Fits to the pane and sends the new size when it changed. */
  fit(): void {
    const size = this.view.fit();
    if (!size || (size.cols === this.#size.cols && size.rows === this.#size.rows)) return;
    this.#size = size;
    this.size = size;
    if (this.id && this.status === 'open') {
      void backend.call('terminals.resize', { id: this.id, ...size }).catch(() => {});
    }
  }

  get live(): boolean {
    return this.status === 'open' && this.id !== null;
  }

  setFontSize(size: number): void {
    this.view.setFontSize(size);
    this.fit();
  }

  /** Opens the session the first time (the pane calls it once it has fitted). */
  start(): void {
    if (!this.#started) {
      this.#started = true;
      void this.connect();
    }
  }

  /** Opens the session (again after a drop: same xterm, same scrollback, a new server id). */
  async connect(): Promise<void> {
    if (this.#disposed || this.#abort) return;
    this.#retry.cancel();
    this.retryAt = null;
    this.status = 'connecting';
    this.message = '';
    this.promptSecret = false;
    const abort = new AbortController();
    this.#abort = abort;
    const acks = new AckBatcher((bytes) => {
      const id = this.id;
      return id ? backend.call('terminals.ack', { id, bytes }) : Promise.resolve();
    });
    this.#acks = acks;
    try {
      const end = await backend.call(
        'terminals.open',
        { target: this.target, cols: this.#size.cols, rows: this.#size.rows },
        { signal: abort.signal, onChunk: (c) => this.#onChunk(c, acks) },
      );
      this.#ended(end);
    } catch (err) {
      if (err instanceof AppError && err.code === 'cancelled') this.status = 'ended';
      else if (err instanceof AppError && err.code === 'disconnected')
        this.#lost(errorMessage(err));
      else this.#failed(errorMessage(err));
    } finally {
      acks.close();
      if (this.#abort === abort) this.#abort = null;
      this.id = null;
    }
  }

  #onChunk(chunk: TerminalChunk, acks: AckBatcher): void {
    switch (chunk.type) {
      case 'opened':
        this.id = chunk.id;
        this.title = chunk.title;
        this.host = chunk.host;
        this.logId = chunk.logId;
        this.status = 'open';
        this.attempt = 0;
        // The pane may have been resized while connecting.
        this.#size = { cols: -1, rows: -1 };
        this.fit();
        break;
      case 'data':
        writeInSlices(this.term, chunk.data, () => {
          acks.parsed(chunk.bytes);
          this.#bytes.add(chunk.bytes);
          this.#hasher?.feed(chunk.data);
        });
        break;
      case 'state':
        this.promptSecret = chunk.promptSecret;
        this.prompt = chunk.prompt ?? '';
        break;
      case 'notice':
        this.#note(chunk.message);
        break;
    }
  }

  /** A dim line of the console's own in the terminal (not from the remote). */
  #note(text: string): void {
    if (!this.#disposed) this.term.write(consoleNote(text));
  }

  #ended(end: TerminalEnd): void {
    if (end.reason === 'connection-lost') {
      this.#lost(end.message ?? 'the connection dropped');
    } else if (end.reason === 'error') {
      this.#failed(end.message ?? 'the session failed');
    } else {
      this.status = 'ended';
      this.message = endMessage(end);
      if (end.reason === 'exit') this.#note(this.message);
    }
  }

  #lost(message: string): void {
    this.status = 'lost';
    this.message = `Connection lost: ${message}`;
    this.#note(this.message);
    if (this.autoReconnect) this.#scheduleRetry();
  }

  #failed(message: string): void {
    const wasRetry = this.attempt > 0;
    this.status = wasRetry ? 'lost' : 'failed';
    this.message = message;
    this.#note(`Could not connect: ${message}`);
    if (wasRetry && this.autoReconnect) this.#scheduleRetry();
  }

  setAutoReconnect(on: boolean): void {
    this.autoReconnect = on;
    if (on && this.status === 'lost' && !this.#abort) this.#scheduleRetry();
    if (!on) this.#retry.cancel();
    if (!on) this.retryAt = null;
  }

  /** Reconnects now (the banner's button). */
  reconnect(): void {
    this.attempt += 1;
    this.#note('Reconnecting…');
    void this.connect();
  }

  #scheduleRetry(): void {
    this.retryAt = this.#retry.schedule(this.attempt + 1, () => this.reconnect());
  }

  /** Sends typed keys or a paste to this terminal alone. */
  send(data: string): void {
    const id = this.id;
    if (!id || this.status !== 'open') return;
    for (const part of inputParts(data)) {
      void backend.call('terminals.input', { id, data: part }).catch((err: unknown) => {
        this.#note(`Input not sent: ${errorMessage(err)}`);
      });
    }
  }

  /** Closes the session and frees the xterm (the pane is going away). */
  dispose(): void {
    this.#disposed = true;
    this.#retry.cancel();
    this.#abort?.abort();
    this.#acks?.close();
    this.view.dispose();
  }
}
