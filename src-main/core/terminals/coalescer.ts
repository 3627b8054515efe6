// Coalesces a terminal's raw output into chunks for the transport: flushed when `maxBytes` are
// waiting or `delayMs` after the first byte, whichever comes first. Decoded as UTF-8 with a
// StringDecoder so a multi-byte character is never split across chunks (its bytes are counted
// in the chunk whose text holds it).
import { StringDecoder } from 'node:string_decoder';

export interface OutputChunk {
  readonly data: string;
  /** Raw bytes behind `data` (what the renderer acks). */
  readonly bytes: number;
}

export interface CoalescerOptions {
  readonly maxBytes: number;
  readonly delayMs: number;
  readonly onChunk: (chunk: OutputChunk) => void;
}

export class OutputCoalescer {
  private readonly decoder = new StringDecoder('utf8');
  private parts: Buffer[] = [];
  private size = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Bytes flushed while their text was still held by the decoder (a split character). */
  private carried = 0;

  constructor(private readonly o: CoalescerOptions) {}

  /** Bytes waiting for the next flush. */
  get buffered(): number {
    return this.size;
  }

  push(buf: Buffer): void {
    if (this.closed || buf.length === 0) return;
    let rest = buf;
    // A large read is cut into maxBytes pieces, each sent at once.
    while (this.size + rest.length >= this.o.maxBytes) {
      const take = this.o.maxBytes - this.size;
      this.parts.push(rest.subarray(0, take));
      this.size += take;
      rest = rest.subarray(take);
      this.flush();
    }
    if (rest.length > 0) {
      this.parts.push(rest);
      this.size += rest.length;
      this.timer ??= setTimeout(() => this.flush(), this.o.delayMs);
    }
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.size === 0) return;
    const buf = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
    const bytes = this.size;
    this.parts = [];
    this.size = 0;
    const data = this.decoder.write(buf);
    this.emit(data, bytes);
  }

  /** Flushes what is left (an incomplete character at the very end becomes U+FFFD). */
  end(): void {
    if (this.closed) return;
    this.flush();
    const tail = this.decoder.end();
    this.closed = true;
    if (tail) this.emit(tail, 0);
  }

  private emit(data: string, bytes: number): void {
    // A flush holding only part of a character sends nothing: its bytes ride with the chunk
    // that completes the character, so `bytes` always sums to what the source produced.
    if (data === '') {
      this.carried += bytes;
      return;
    }
    this.o.onChunk({ data, bytes: bytes + this.carried });
    this.carried = 0;
  }
}
