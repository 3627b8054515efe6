// One terminal: its xterm (created once, kept for the life of the pane, so its scrollback
// survives hiding, navigation and reconnects) and the `terminals.open` stream feeding it.
// Output is written into xterm and acknowledged only from xterm's write callback (AckBatcher).
import { AppError } from '@shared/errors';
import type { TerminalChunk, TerminalEnd, TerminalTarget } from '@shared/models/terminals';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { WebglAddon } from '@xterm/addon-webgl';
import { Terminal } from '@xterm/xterm';

import { AckBatcher } from '../lib/terminals/ack-batcher';
import { backoffDelay } from '../lib/terminals/backoff';
import { OutputHash, type HashResult } from '../lib/terminals/output-hash';
import { Sha256 } from '../lib/terminals/sha256';
import { xtermTheme } from '../lib/terminals/xterm-theme';
import { backend } from '../platform/backend';
import type { Theme } from './theme.svelte';
import { errorMessage } from './errors';

export type SessionStatus = 'connecting' | 'open' | 'ended' | 'lost' | 'failed';

/** Largest terminals.input the contract takes (characters; a paste is sent in parts). */
const INPUT_PART = 256 * 1024;
const FONT_FAMILY = "'DejaVu Sans Mono', 'Cascadia Mono', ui-monospace, Menlo, Consolas, monospace";

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

function debugNote(text: string): string {
  return `\r\n\x1b[2m[${text}]\x1b[0m\r\n`;
}

export class TerminalSession {
  readonly key: string;
  readonly target: TerminalTarget;
  readonly term: Terminal;
  readonly search = new SearchAddon({ highlightLimit: 2000 });
  readonly element: HTMLDivElement;

  id = $state<string | null>(null);
  title = $state('');
  host = $state('');
  status = $state<SessionStatus>('connecting');
  /** Why it ended or failed, in words. */
  message = $state('');
  promptSecret = $state(false);
  prompt = $state('');
  bytesReceived = $state(0);
  hash = $state.raw<HashResult | null>(null);
  logId = $state<string | null>(null);
  autoReconnect = $state(false);
  /** When the next automatic attempt starts (ms since epoch), or null. */
  retryAt = $state<number | null>(null);
  attempt = $state(0);
  renderer = $state<'webgl' | 'dom'>('dom');

  #fit = new FitAddon();
  #webgl: WebglAddon | null = null;
  #webglBroken = false;
  #opened = false;
  #abort: AbortController | null = null;
  #acks: AckBatcher | null = null;
  #hasher: OutputHash | null;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #size = { cols: 80, rows: 24 };
  #disposed = false;
  #started = false;

  constructor(opts: SessionOptions) {
    this.key = opts.key;
    this.target = opts.target;
    this.title = opts.label;
    this.host = opts.target.kind === 'ssh' ? opts.target.host : 'localhost';
    this.element = document.createElement('div');
    this.element.className = 'xterm-host';
    this.term = new Terminal({
      allowProposedApi: true,
      fontFamily: FONT_FAMILY,
      fontSize: opts.fontSize,
      scrollback: 10_000,
      theme: xtermTheme(opts.theme),
      cursorBlink: true,
      macOptionIsMeta: true,
    });
    this.term.loadAddon(this.#fit);
    this.term.loadAddon(this.search);
    this.term.loadAddon(new Unicode11Addon());
    this.term.unicode.activeVersion = '11';
    this.term.loadAddon(
      new WebLinksAddon((event, uri) => {
        if (event.ctrlKey || event.metaKey) window.open(uri, '_blank', 'noopener,noreferrer');
      }),
    );
    this.term.onData((data) => opts.onInput(this, data));
    this.term.onBinary((data) => opts.onInput(this, data));
    this.#hasher = opts.hashOutput
      ? new OutputHash(
          () => new Sha256(),
          (r) => (this.hash = r),
        )
      : null;
  }

  /** Puts the terminal into a pane's container (first time: opens xterm there). */
  mount(container: HTMLElement): void {
    if (this.element.parentElement !== container) container.appendChild(this.element);
    if (!this.#opened) {
      this.term.open(this.element);
      this.#opened = true;
    }
  }

  /** Fits to the pane; sends the new size when it changed. Needs a laid-out, visible pane. */
  fit(): void {
    if (!this.#opened || this.element.offsetWidth === 0 || this.element.offsetHeight === 0) return;
    const dims = this.#fit.proposeDimensions();
    if (!dims || !Number.isFinite(dims.cols) || !Number.isFinite(dims.rows)) return;
    const cols = Math.max(2, Math.min(1000, dims.cols));
    const rows = Math.max(1, Math.min(500, dims.rows));
    if (cols !== this.term.cols || rows !== this.term.rows) this.term.resize(cols, rows);
    if (cols === this.#size.cols && rows === this.#size.rows) return;
    this.#size = { cols, rows };
    if (this.id && this.status === 'open') {
      void backend.call('terminals.resize', { id: this.id, cols, rows }).catch(() => {});
    }
  }

  /** WebGL while visible (one context per visible terminal), DOM renderer otherwise. */
  setVisible(visible: boolean): void {
    if (visible && !this.#webgl && !this.#webglBroken && this.#opened) {
      try {
        const addon = new WebglAddon();
        addon.onContextLoss(() => {
          this.#webglBroken = true;
          this.#dropWebgl();
        });
        this.term.loadAddon(addon);
        this.#webgl = addon;
        this.renderer = 'webgl';
      } catch {
        this.#webglBroken = true;
        this.renderer = 'dom';
      }
    } else if (!visible) {
      this.#dropWebgl();
    }
  }

  #dropWebgl(): void {
    const addon = this.#webgl;
    this.#webgl = null;
    this.renderer = 'dom';
    try {
      addon?.dispose();
    } catch {
      // Disposing after a context loss may throw inside the addon; the DOM renderer is back.
    }
  }

  get cols(): number {
    return this.#size.cols;
  }
  get rows(): number {
    return this.#size.rows;
  }
  get live(): boolean {
    return this.status === 'open' && this.id !== null;
  }

  setFontSize(size: number): void {
    this.term.options.fontSize = size;
    this.fit();
  }

  setTheme(theme: Theme): void {
    this.term.options.theme = xtermTheme(theme);
  }

  /** Opens the session (again after a drop: same xterm, same scrollback, a new server id). */
  /** Opens the session the first time (the pane calls it once it has fitted). */
  start(): void {
    if (!this.#started) {
      this.#started = true;
      void this.connect();
    }
  }

  async connect(): Promise<void> {
    if (this.#disposed || this.#abort) return;
    clearTimeout(this.#retryTimer);
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
      case 'data': {
        const { data, bytes } = chunk;
        this.term.write(data, () => {
          acks.parsed(bytes);
          this.bytesReceived += bytes;
          this.#hasher?.feed(data);
        });
        break;
      }
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
    if (!this.#disposed) this.term.write(debugNote(text));
  }

  #ended(end: TerminalEnd): void {
    if (end.reason === 'connection-lost') {
      this.#lost(end.message ?? 'the connection dropped');
    } else if (end.reason === 'error') {
      this.#failed(end.message ?? 'the session failed');
    } else {
      this.status = 'ended';
      const how =
        end.signal !== undefined
          ? `killed by ${end.signal}`
          : end.exitCode !== undefined
            ? `exit code ${end.exitCode}`
            : end.reason;
      this.message = end.reason === 'closed' ? 'Closed' : `The shell ended (${how})`;
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
    if (!on) {
      clearTimeout(this.#retryTimer);
      this.retryAt = null;
    }
  }

  /** Reconnects now (the banner's button). */
  reconnect(): void {
    this.attempt += 1;
    this.#note('Reconnecting…');
    void this.connect();
  }

  #scheduleRetry(): void {
    clearTimeout(this.#retryTimer);
    const delay = backoffDelay(this.attempt + 1);
    this.retryAt = Date.now() + delay;
    this.#retryTimer = setTimeout(() => this.reconnect(), delay);
  }

  /** Sends typed keys or a paste to this terminal alone. */
  send(data: string): void {
    const id = this.id;
    if (!id || this.status !== 'open') return;
    for (let i = 0; i < data.length; i += INPUT_PART) {
      const part = data.slice(i, i + INPUT_PART);
      void backend.call('terminals.input', { id, data: part }).catch((err: unknown) => {
        this.#note(`Input not sent: ${errorMessage(err)}`);
      });
    }
  }

  /** Closes the session and frees the xterm (the pane is going away). */
  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#retryTimer);
    this.#abort?.abort();
    this.#acks?.close();
    this.#dropWebgl();
    this.term.dispose();
    this.element.remove();
  }
}
