// Test support for terminals: one open terminal seen from a client, as the renderer sees it —
// text accumulated from data chunks, acks sent after "parsing" (automatically or by hand).
import type { Client } from '../shared/client';
import type { AppContract } from '../shared/contract';
import type { TerminalChunk, TerminalEnd, TerminalOpen } from '../shared/models/terminals';

export class TermUnderTest {
  id = '';
  /** Output chunks as received (joined lazily: huge outputs stay cheap to collect). */
  private parts: string[] = [];
  private joined: string | undefined = '';
  received = 0;
  acked = 0;
  /** Largest received-but-unacked seen (what the server may hold in flight). */
  peakOutstanding = 0;
  readonly states: boolean[] = [];
  readonly notices: string[] = [];
  readonly done: Promise<TerminalEnd>;
  private readonly controller = new AbortController();
  private opened!: () => void;
  readonly ready = new Promise<void>((r) => (this.opened = r));
  logId: string | null = null;

  constructor(
    private readonly client: Client<AppContract>,
    input: TerminalOpen,
    /** 'auto': ack each chunk at once; 'manual': the test calls ackAll(). */
    public ackMode: 'auto' | 'manual' = 'auto',
  ) {
    this.done = client.call('terminals.open', input, {
      signal: this.controller.signal,
      onChunk: (c) => this.onChunk(c),
    });
    // Fail fast if opening is refused.
    this.done.catch(() => this.opened());
  }

  private onChunk(c: TerminalChunk): void {
    if (c.type === 'opened') {
      this.id = c.id;
      this.logId = c.logId;
      this.opened();
    } else if (c.type === 'data') {
      this.parts.push(c.data);
      this.joined = undefined;
      this.received += c.bytes;
      this.peakOutstanding = Math.max(this.peakOutstanding, this.received - this.acked);
      if (this.ackMode === 'auto') this.ack(c.bytes);
    } else if (c.type === 'state') {
      this.states.push(c.promptSecret);
    } else {
      this.notices.push(c.message);
    }
  }

  ack(bytes: number): void {
    if (bytes <= 0) return;
    this.acked += bytes;
    void this.client.call('terminals.ack', { id: this.id, bytes }).catch(() => undefined);
  }

  ackAll(): void {
    this.ack(this.received - this.acked);
  }

  async type(data: string): Promise<void> {
    await this.client.call('terminals.input', { id: this.id, data });
  }

  /** Everything received so far. */
  get text(): string {
    this.joined ??= this.parts.join('');
    return this.joined;
  }

  /** Forgets what was received (keeps memory flat in long runs); positions restart at 0. */
  clear(): void {
    this.parts = [];
    this.joined = '';
  }

  /**
   * Waits until the text after `from` matches; the match's index is absolute. Each poll scans
   * only what arrived since the last one plus `overlap` characters, so huge outputs stay cheap.
   */
  async waitFor(re: RegExp, ms = 20_000, from = 0, overlap = 4096): Promise<RegExpMatchArray> {
    const end = Date.now() + ms;
    let i = 0;
    let start = 0; // absolute offset of parts[i]
    let carry = '';
    let carryStart = from;
    for (;;) {
      const fresh: string[] = [];
      for (; i < this.parts.length; i++) {
        const p = this.parts[i]!;
        if (start + p.length > from) fresh.push(start >= from ? p : p.slice(from - start));
        start += p.length;
      }
      const window = carry + fresh.join('');
      const m = window.match(re);
      if (m) {
        m.index = (m.index ?? 0) + carryStart;
        return m;
      }
      const cut = Math.max(0, window.length - overlap);
      carryStart += cut;
      carry = window.slice(cut);
      if (Date.now() > end) {
        throw new Error(
          `terminal never showed ${re}; last output: ${JSON.stringify(carry.slice(-400))}`,
        );
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): Promise<TerminalEnd> {
    this.controller.abort();
    return this.done;
  }
}

export async function until(cond: () => boolean, ms = 20_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`${what} not met in time`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
