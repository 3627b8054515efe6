// Follows one run for the live view and the presenter: loads it, then applies its `runs.event`
// broadcasts once per frame. Also the run's controls (cancel, pause, continue, resume, confirm).
import type { RunEvent } from '@shared/models/flows';

import { backend } from '../platform/backend';
import { errorMessage } from './errors';
import { RunLive } from './flow-run-model.svelte';
import { FrameQueue } from './frame-queue';
import { status } from './status.svelte';

/** Log lines loaded when a run is opened (the newest; older ones stay in the record). */
const LOG_TAIL = 50_000;

export type RunAction = 'cancel' | 'pause' | 'continue';

export class FlowRunStore {
  run = $state.raw<RunLive | null>(null);
  loading = $state(false);
  error = $state('');
  busy = $state<string>('');
  #off: (() => void) | null = null;
  #pending: RunEvent[] | null = null;
  #queue = new FrameQueue<RunEvent>((events) => {
    const t0 = performance.now();
    this.run?.apply(events);
    // Visible in the browser's performance tools (and to the frame-time probe) as "flows.apply".
    performance.measure('flows.apply', { start: t0, end: performance.now() });
  });
  #openSeq = 0;

  /** Shows run `id` (live or finished) and follows it until another is opened. */
  async open(id: string): Promise<void> {
    if (this.run?.id === id && !this.run.replay && !this.error) return;
    this.close();
    const seq = ++this.#openSeq;
    this.loading = true;
    this.error = '';
    // Listen first, keep what arrives while loading, apply it after (duplicates are dropped).
    this.#pending = [];
    this.#off = backend.on('runs.event', (e) => {
      if (e.runId !== id) return;
      if (this.#pending) this.#pending.push(e);
      else this.#queue.push(e);
    });
    try {
      const detail = await backend.call('runs.get', { id });
      if (seq !== this.#openSeq) return;
      const live = new RunLive(detail);
      const page = await backend.call('runs.log', { id, tail: true, limit: LOG_TAIL });
      if (seq !== this.#openSeq) return;
      live.addLines(page.lines);
      live.log.dropped = Math.max(0, detail.logLines - page.lines.length);
      live.apply(this.#pending ?? []);
      this.#pending = null;
      this.run = live;
    } catch (err) {
      if (seq === this.#openSeq) this.error = errorMessage(err);
    } finally {
      if (seq === this.#openSeq) this.loading = false;
    }
  }

  /** Loads the shown run again (after a lost connection: events may have been missed). */
  async reload(): Promise<void> {
    const run = this.run;
    if (!run || run.replay) return;
    this.close();
    await this.open(run.id);
  }

  /** Shows a run object made elsewhere (a replay); stops following any live run. */
  show(run: RunLive): void {
    this.close();
    this.run = run;
  }

  close(): void {
    this.#openSeq++;
    this.#off?.();
    this.#off = null;
    this.#pending = null;
    this.#queue.clear();
    this.run = null;
    this.error = '';
    this.loading = false;
  }

  async act(action: RunAction): Promise<void> {
    const run = this.run;
    if (!run || run.replay || this.busy) return;
    this.busy = action;
    try {
      await backend.call(`runs.${action}`, { id: run.id });
      status.say(
        `${action === 'continue' ? 'Continued' : action === 'pause' ? 'Paused' : 'Cancelling'} the run.`,
      );
    } catch (err) {
      status.say(errorMessage(err));
    } finally {
      this.busy = '';
    }
  }

  /** Resumes an interrupted or failed run; returns the id of the run that goes on. */
  async resume(inputs: Record<string, string>): Promise<string | null> {
    const run = this.run;
    if (!run || run.replay) return null;
    this.busy = 'resume';
    try {
      const { runId } = await backend.call('runs.resume', { id: run.id, inputs });
      status.say('Resumed the run.');
      if (runId === run.id) {
        this.run = null;
        await this.open(runId);
      }
      return runId;
    } catch (err) {
      status.say(errorMessage(err));
      throw err;
    } finally {
      this.busy = '';
    }
  }

  async confirm(step: string, accept: boolean, evidence: string): Promise<void> {
    const run = this.run;
    if (!run || run.replay) return;
    this.busy = 'confirm';
    try {
      await backend.call('runs.confirm', { id: run.id, step, accept, evidence });
      run.asking = null;
    } finally {
      this.busy = '';
    }
  }
}

export const flowRun = new FlowRunStore();
