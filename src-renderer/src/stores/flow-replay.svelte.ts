// Replay: a recorded run played back in the live view at real or faster speed, from its stored
// timeline. A virtual clock advances with real time × speed; "skip idle" jumps over quiet gaps.
import type { RunEvent } from '@shared/models/flows';

import { backend } from '../platform/backend';
import { errorMessage } from './errors';
import { RunLive } from './flow-run-model.svelte';
import { flowRun } from './flow-run.svelte';

export const SPEEDS = [1, 2, 10] as const;
export type Speed = (typeof SPEEDS)[number];

/** Gaps longer than this are shortened to IDLE_KEEP when skipping idle time. */
const IDLE_GAP_MS = 1000;
const IDLE_KEEP_MS = 150;
const PAGE = 5000;

export class ReplayStore {
  /** The run being replayed (also shown by flowRun). */
  runId = $state<string | null>(null);
  speed = $state<Speed>(1);
  skipIdle = $state(true);
  playing = $state(false);
  finished = $state(false);
  /** Virtual ms since the run's first event. */
  position = $state(0);
  error = $state('');

  #events: RunEvent[] = [];
  #index = 0;
  #more = true;
  #afterSeq = 0;
  #fetching: Promise<void> | null = null;
  #origin = 0;
  #virtual = 0;
  #lastTick = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #live: RunLive | null = null;
  #gen = 0;

  async start(id: string): Promise<void> {
    this.stop();
    const gen = ++this.#gen;
    this.runId = id;
    this.error = '';
    this.finished = false;
    this.position = 0;
    try {
      const detail = await backend.call('runs.get', { id });
      if (gen !== this.#gen) return;
      this.#live = new RunLive(detail, { replay: true });
      flowRun.show(this.#live);
      await this.#fetch(gen);
      if (gen !== this.#gen) return;
      this.#origin = this.#events[0]?.at ?? Date.parse(detail.startedAt);
      this.#virtual = 0;
      this.play();
    } catch (err) {
      if (gen === this.#gen) this.error = errorMessage(err);
    }
  }

  async #fetch(gen: number): Promise<void> {
    if (!this.#more || !this.runId) return;
    const page = await backend.call('runs.timeline', {
      id: this.runId,
      afterSeq: this.#afterSeq,
      limit: PAGE,
    });
    if (gen !== this.#gen) return;
    this.#events = this.#events.slice(this.#index).concat(page.events);
    this.#index = 0;
    this.#afterSeq = page.lastSeq;
    this.#more = page.more && page.events.length > 0;
  }

  play(): void {
    if (!this.#live || this.finished) return;
    this.playing = true;
    this.#lastTick = performance.now();
    this.#schedule();
  }

  pause(): void {
    this.playing = false;
    clearTimeout(this.#timer);
  }

  toggle(): void {
    if (this.playing) this.pause();
    else if (this.finished && this.runId) void this.start(this.runId);
    else this.play();
  }

  setSpeed(speed: Speed): void {
    this.#advanceClock();
    this.speed = speed;
  }

  stop(): void {
    this.#gen++;
    this.pause();
    this.#events = [];
    this.#index = 0;
    this.#more = true;
    this.#afterSeq = 0;
    this.#fetching = null;
    this.#live = null;
    this.runId = null;
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#tick(), 16);
  }

  #advanceClock(): void {
    const now = performance.now();
    if (this.playing) this.#virtual += (now - this.#lastTick) * this.speed;
    this.#lastTick = now;
  }

  #tick(): void {
    if (!this.playing || !this.#live) return;
    const gen = this.#gen;
    this.#advanceClock();
    const next = this.#events[this.#index];
    if (next && this.skipIdle) {
      const due = next.at - this.#origin;
      if (due - this.#virtual > IDLE_GAP_MS) this.#virtual = due - IDLE_KEEP_MS;
    }
    const batch: RunEvent[] = [];
    while (this.#index < this.#events.length) {
      const e = this.#events[this.#index] as RunEvent;
      if (e.at - this.#origin > this.#virtual) break;
      batch.push(e);
      this.#index++;
    }
    if (batch.length > 0) this.#live.apply(batch);
    this.position = this.#virtual;
    const left = this.#events.length - this.#index;
    if (left < PAGE / 2 && this.#more && !this.#fetching) {
      this.#fetching = this.#fetch(gen)
        .catch((err: unknown) => {
          this.error = errorMessage(err);
          this.#more = false;
        })
        .finally(() => (this.#fetching = null));
    }
    if (left === 0 && !this.#more && !this.#fetching) {
      this.playing = false;
      this.finished = true;
      return;
    }
    this.#schedule();
  }
}

export const replay = new ReplayStore();
