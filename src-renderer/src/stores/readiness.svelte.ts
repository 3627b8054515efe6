// The readiness screen: the pattern (with its preview), and the matrix of one run at a time.
// Rows arrive as each host finishes; the final matrix replaces them.
import { AppError, fieldErrors } from '@shared/errors';
import type { PatternPreview } from '@shared/models/exec';
import type {
  HostReadiness,
  ReadinessEvent,
  ReadinessMatrix,
  RuleDescriptor,
} from '@shared/models/readiness';

import { backend } from '../platform/backend';
import { errorMessage } from './errors';

const PREVIEW_DELAY_MS = 180;

/** A row of the matrix: running (no result yet) or finished. */
export interface MatrixRow {
  readonly host: string;
  readonly row: HostReadiness | null;
}

export class ReadinessStore {
  pattern = $state('localhost');
  preview = $state.raw<PatternPreview | null>(null);
  previewError = $state('');
  running = $state(false);
  rows = $state.raw<MatrixRow[]>([]);
  rules = $state.raw<readonly RuleDescriptor[]>([]);
  matrix = $state.raw<ReadinessMatrix | null>(null);
  error = $state('');
  fieldError = $state('');
  #abort: AbortController | null = null;
  #previewTimer: ReturnType<typeof setTimeout> | undefined;
  #previewGeneration = 0;

  previewSoon(pattern: string): void {
    clearTimeout(this.#previewTimer);
    const generation = ++this.#previewGeneration;
    if (pattern.trim() === '') {
      this.preview = null;
      this.previewError = '';
      return;
    }
    this.#previewTimer = setTimeout(() => {
      backend.call('inventory.preview', { pattern }).then(
        (p) => {
          if (generation !== this.#previewGeneration) return;
          this.preview = p;
          this.previewError = '';
        },
        (err: unknown) => {
          if (generation === this.#previewGeneration) this.previewError = errorMessage(err);
        },
      );
    }, PREVIEW_DELAY_MS);
  }

  async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.error = '';
    this.fieldError = '';
    this.rows = [];
    this.matrix = null;
    this.#abort = new AbortController();
    try {
      const matrix = await backend.call(
        'readiness.run',
        { pattern: this.pattern },
        { signal: this.#abort.signal, onChunk: (event) => this.#onEvent(event) },
      );
      this.matrix = matrix;
      this.rules = matrix.rules;
      this.rows = matrix.hosts.map((row) => ({ host: row.host, row }));
    } catch (err) {
      const fields = err instanceof AppError ? fieldErrors(err) : {};
      if (fields.pattern) this.fieldError = fields.pattern;
      else this.error = errorMessage(err);
    } finally {
      this.running = false;
      this.#abort = null;
    }
  }

  cancel(): void {
    this.#abort?.abort();
  }

  #onEvent(event: ReadinessEvent): void {
    if (event.type === 'host-started') {
      if (!this.rows.some((r) => r.host === event.host))
        this.rows = [...this.rows, { host: event.host, row: null }];
      return;
    }
    const done = { host: event.host, row: event.row };
    const index = this.rows.findIndex((r) => r.host === event.host);
    this.rows =
      index < 0 ? [...this.rows, done] : this.rows.map((r, i) => (i === index ? done : r));
  }
}

export const readiness = new ReadinessStore();

/** The Readiness tab of a host's page (its own run, apart from the Readiness screen's). */
export const hostReadiness = new ReadinessStore();
