// Splits streamed text chunks into lines per host and stream (a line may span chunks).
export class LineSplitter {
  readonly #rest = new Map<string, string>();

  constructor(private readonly emit: (key: string, line: string) => void) {}

  push(key: string, text: string): void {
    const data = (this.#rest.get(key) ?? '') + text;
    let start = 0;
    for (;;) {
      const nl = data.indexOf('\n', start);
      if (nl < 0) break;
      const end = nl > start && data.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.emit(key, data.slice(start, end));
      start = nl + 1;
    }
    this.#rest.set(key, data.slice(start));
  }

  /** The unterminated last line of one key (or all). */
  end(key?: string): void {
    const keys = key === undefined ? [...this.#rest.keys()] : [key];
    for (const k of keys) {
      const rest = this.#rest.get(k);
      if (rest) this.emit(k, rest);
      this.#rest.delete(k);
    }
  }
}
