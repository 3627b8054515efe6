// Integrity check of terminal output, on when the console is opened with `?debug=terminal-hash`.
// The remote side brackets what it wants checked with an OSC that xterm ignores:
//
//   printf '\033]7777;stx-hash\007'; head -c 50M /dev/urandom | base64; printf '\033]7777;stx-hash\007'
//
// and the SHA-256 (and byte count) of the UTF-8 text xterm parsed between the two markers is
// shown beside the terminal, to compare with `sha256sum` on the remote (run `stty -onlcr` first,
// or the pty turns each \n into \r\n). It hashes in xterm's write callbacks, so it proves what
// xterm received end to end. Off by default: hashing costs CPU on every byte.

import { Sha256 } from './sha256';

export const HASH_MARKER = '\x1b]7777;stx-hash\x07';

export interface HashResult {
  readonly bytes: number;
  readonly sha256: string;
}

export interface Hasher {
  update(text: string): void;
  readonly length: number;
  hex(): string;
}

export class OutputHash {
  #carry = '';
  #hasher: Hasher | null = null;

  constructor(
    private readonly makeHasher: () => Hasher,
    private readonly onResult: (result: HashResult) => void,
  ) {}

  /** true between an opening and a closing marker. */
  get hashing(): boolean {
    return this.#hasher !== null;
  }

  /** Bytes hashed so far in the open region. */
  get bytes(): number {
    return this.#hasher?.length ?? 0;
  }

  /** Feeds parsed output in order. */
  feed(chunk: string): void {
    const text = this.#carry + chunk;
    let pos = 0;
    for (;;) {
      const at = text.indexOf(HASH_MARKER, pos);
      if (at < 0) break;
      this.#take(text.slice(pos, at));
      this.#toggle();
      pos = at + HASH_MARKER.length;
    }
    const keep = partialMarkerAtEnd(text, pos);
    this.#take(text.slice(pos, text.length - keep));
    this.#carry = text.slice(text.length - keep);
  }

  #take(part: string): void {
    if (part && this.#hasher) this.#hasher.update(part);
  }

  #toggle(): void {
    if (!this.#hasher) {
      this.#hasher = this.makeHasher();
      return;
    }
    const h = this.#hasher;
    this.#hasher = null;
    this.onResult({ bytes: h.length, sha256: h.hex() });
  }
}

/** Length of the longest end of text[from..] that is a proper prefix of the marker. */
function partialMarkerAtEnd(text: string, from: number): number {
  const max = Math.min(HASH_MARKER.length - 1, text.length - from);
  for (let n = max; n > 0; n--) {
    if (text.endsWith(HASH_MARKER.slice(0, n))) return n;
  }
  return 0;
}

/** An OutputHash over SHA-256. */
export function sha256OutputHash(onResult: (result: HashResult) => void): OutputHash {
  return new OutputHash(() => new Sha256(), onResult);
}
