// Collects items and hands them over once per animation frame (a timer covers hidden tabs, where
// requestAnimationFrame does not fire), so a burst of events costs one render, not one each.
export class FrameQueue<T> {
  #items: T[] = [];
  #frame = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly flush: (items: T[]) => void) {}

  push(item: T): void {
    this.#items.push(item);
    if (this.#timer !== undefined) return;
    this.#frame = requestAnimationFrame(() => this.drain());
    this.#timer = setTimeout(() => this.drain(), 250);
  }

  drain(): void {
    cancelAnimationFrame(this.#frame);
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const items = this.#items;
    this.#items = [];
    if (items.length > 0) this.flush(items);
  }

  clear(): void {
    cancelAnimationFrame(this.#frame);
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#items = [];
  }
}
