// Searching the whole recorded log of a run on the server (full-text), for runs whose log is
// larger than what the live view holds in memory.
import type { RunLogLine } from '@shared/models/flows';

import { LogBuffer } from '../lib/flows/log-buffer';
import { backend } from '../platform/backend';
import { errorMessage } from './errors';

const LIMIT = 5000;
const DELAY_MS = 250;

export class FullLogSearch {
  /** The matches, or null when no server search is active. */
  buffer = $state.raw<LogBuffer | null>(null);
  version = $state(0);
  more = $state(false);
  busy = $state(false);
  error = $state('');
  #seq = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Searches run `id` for `text` once typing pauses; '' clears. */
  search(id: string, text: string, filter: { step: string | null; host: string | null }): void {
    clearTimeout(this.#timer);
    const seq = ++this.#seq;
    if (text.trim() === '') {
      this.buffer = null;
      this.busy = false;
      return;
    }
    this.busy = true;
    this.#timer = setTimeout(() => {
      backend
        .call('runs.log', {
          id,
          search: text.trim(),
          limit: LIMIT,
          ...(filter.step ? { step: filter.step } : {}),
          ...(filter.host ? { host: filter.host } : {}),
        })
        .then(
          (page) => {
            if (seq !== this.#seq) return;
            const buffer = new LogBuffer(LIMIT);
            buffer.push(
              page.lines.map((l: RunLogLine) => ({
                ...l,
                ts: l.at,
                stream: l.stream === 'system' ? 'info' : l.stream,
              })),
            );
            this.buffer = buffer;
            this.more = page.more;
            this.error = '';
            this.version++;
          },
          (err: unknown) => {
            if (seq === this.#seq) this.error = errorMessage(err);
          },
        )
        .finally(() => {
          if (seq === this.#seq) this.busy = false;
        });
    }, DELAY_MS);
  }

  clear(): void {
    clearTimeout(this.#timer);
    this.#seq++;
    this.buffer = null;
    this.busy = false;
    this.error = '';
  }
}
