// One run as the live view shows it: steps with their host cells, the run's status, the log,
// what is blocking now. Built from RunDetail and then moved on by RunEvents — the same code for
// a live run and for a replay, so a replay looks exactly like the run did.
import type {
  HostStepStatus,
  RunConfirmation,
  RunDetail,
  RunEvent,
  RunLogLine,
  RunStatus,
  RunStep,
  StepStatus,
} from '@shared/models/flows';

import { LogBuffer, type LogLine } from '../lib/flows/log-buffer';

function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

export interface HostCell {
  readonly status: HostStepStatus;
  readonly summary: string | null;
}

export class StepLive {
  readonly id: string;
  readonly title: string;
  readonly kind: string;
  readonly say: string | null;
  readonly needs: readonly string[];
  status = $state<StepStatus>('pending');
  attempts = $state(0);
  summary = $state<string | null>(null);
  error = $state<string | null>(null);
  outputs = $state.raw<Readonly<Record<string, unknown>>>({});
  cells = $state.raw<Readonly<Record<string, HostCell>>>({});
  confirm = $state.raw<RunConfirmation | null>(null);

  constructor(step: RunStep, blank: boolean) {
    this.id = step.id;
    this.title = step.title;
    this.kind = step.kind;
    this.say = step.say;
    this.needs = step.needs;
    if (blank) return;
    this.status = step.status;
    this.attempts = step.attempts;
    this.summary = step.summary;
    this.error = step.error;
    this.outputs = step.outputs;
    this.confirm = step.confirm;
    const cells: Record<string, HostCell> = {};
    for (const h of step.hosts) cells[h.host] = { status: h.status, summary: h.summary };
    this.cells = cells;
  }
}

function toLine(l: RunLogLine): LogLine {
  return {
    seq: l.seq,
    ts: l.at,
    step: l.step,
    host: l.host,
    stream: l.stream === 'system' ? 'info' : l.stream,
    text: l.text,
  };
}

export class RunLive {
  readonly id: string;
  readonly flowId: string;
  readonly flowTitle: string;
  readonly file: string;
  readonly startedAt: string;
  readonly secretInputs: readonly string[];
  readonly inputs: Readonly<Record<string, unknown>>;
  /** A recorded run played back: never to be mistaken for a live one. */
  readonly replay: boolean;
  status = $state<RunStatus>('queued');
  error = $state<string | null>(null);
  endedAt = $state<string | null>(null);
  steps: StepLive[];
  /** Host columns, in the order hosts first appear. */
  hosts = $state.raw<string[]>([]);
  /** A confirm step waiting for an answer. */
  asking = $state.raw<{ step: string; prompt: string } | null>(null);
  readonly log = new LogBuffer();
  logVersion = $state(0);
  /** Highest event seq applied (status events). */
  lastSeq = 0;
  /** Highest log line seq held. */
  lastLogSeq = 0;
  // An index into `steps` (themselves reactive), not state of its own.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #byId = new Map<string, StepLive>();

  constructor(detail: RunDetail, opts: { replay?: boolean } = {}) {
    this.replay = opts.replay ?? false;
    const blank = this.replay;
    this.id = detail.id;
    this.flowId = detail.flowId;
    this.flowTitle = detail.flowTitle;
    this.file = detail.file;
    this.startedAt = detail.startedAt;
    this.secretInputs = detail.secretInputs;
    this.inputs = detail.inputs;
    this.steps = detail.steps.map((s) => new StepLive(s, blank));
    for (const s of this.steps) this.#byId.set(s.id, s);
    if (!blank) {
      this.status = detail.status;
      this.error = detail.error;
      this.endedAt = detail.endedAt;
      this.lastSeq = detail.lastSeq;
      const seen: Record<string, true> = {};
      const hosts: string[] = [];
      for (const h of detail.steps.flatMap((s) => s.hosts.map((x) => x.host))) {
        if (!seen[h]) hosts.push(h);
        seen[h] = true;
      }
      this.hosts = hosts;
      const waiting = detail.steps.find(
        (s) => s.status === 'waiting' && s.confirm?.accepted === null,
      );
      if (waiting?.confirm) this.asking = { step: waiting.id, prompt: waiting.confirm.prompt };
    }
  }

  step(id: string): StepLive | undefined {
    return this.#byId.get(id);
  }

  /** Adds log lines not held yet (a page fetched and events may overlap). */
  addLines(lines: readonly RunLogLine[]): void {
    const fresh = lines.filter((l) => l.seq > this.lastLogSeq);
    if (fresh.length === 0) return;
    this.lastLogSeq = (fresh.at(-1) as RunLogLine).seq;
    this.log.push(fresh.map(toLine));
    this.logVersion++;
  }

  /** Applies events in seq order; those already applied are ignored. */
  apply(events: readonly RunEvent[]): void {
    let newHosts: string[] | null = null;
    for (const e of events) {
      if (e.type === 'log') {
        this.addLines(e.lines);
        continue;
      }
      if (e.seq <= this.lastSeq) continue;
      this.lastSeq = e.seq;
      if (e.type === 'run') {
        this.status = e.status;
        if (e.error !== undefined) this.error = e.error;
        if (e.status !== 'waiting') this.asking = null;
        if (['succeeded', 'failed', 'cancelled'].includes(e.status)) this.endedAt = isoOf(e.at);
      } else if (e.type === 'step') {
        const s = this.#byId.get(e.step);
        if (!s) continue;
        s.status = e.status;
        s.attempts = e.attempt;
        if (e.summary !== undefined) s.summary = e.summary;
        if (e.error !== undefined) s.error = e.error;
        if (e.outputs !== undefined) s.outputs = e.outputs;
        if (this.asking?.step === e.step && e.status !== 'waiting') this.asking = null;
      } else if (e.type === 'host') {
        const s = this.#byId.get(e.step);
        if (!s) continue;
        s.cells = { ...s.cells, [e.host]: { status: e.status, summary: e.summary ?? null } };
        if (!this.hosts.includes(e.host) && !newHosts?.includes(e.host))
          (newHosts ??= []).push(e.host);
      } else if (e.type === 'confirm') {
        this.asking = { step: e.step, prompt: e.prompt };
        const s = this.#byId.get(e.step);
        if (s) s.confirm = { prompt: e.prompt, accepted: null, evidence: null, by: null, at: null };
      }
    }
    if (newHosts) this.hosts = [...this.hosts, ...newHosts];
  }

  /** The step a person looks at now: the one running or waiting, else the last that started. */
  get current(): StepLive | undefined {
    const active = this.steps.find((s) => s.status === 'running' || s.status === 'waiting');
    if (active) return active;
    return this.steps.findLast((s) => s.status !== 'pending') ?? this.steps[0];
  }

  /** One line: what the run waits for right now. */
  get blocking(): string {
    const cur = this.steps.filter((s) => s.status === 'running');
    switch (this.status) {
      case 'queued':
        return 'Starting…';
      case 'paused':
        return cur.length > 0
          ? `Paused — ${cur.map((s) => s.title).join(', ')} finishing; nothing new starts.`
          : 'Paused — nothing new starts until you continue.';
      case 'waiting': {
        const s = this.asking ? this.step(this.asking.step) : undefined;
        return `Waiting for you to confirm: ${s?.title ?? this.asking?.step ?? 'a step'}`;
      }
      case 'running': {
        if (cur.length === 0) return 'Running…';
        const parts = cur.map((s) => {
          const busy = Object.entries(s.cells).filter(([, c]) => c.status === 'running');
          const on = busy.length > 0 ? ` on ${busy.map(([h]) => h).join(', ')}` : '';
          const retry = s.attempts > 1 ? ` (try ${s.attempts})` : '';
          return `${s.title}${on}${retry}`;
        });
        return `Running: ${parts.join(' · ')}`;
      }
      case 'interrupted':
        return 'Interrupted — the console stopped while this ran. Resume continues it.';
      case 'failed':
        return `Failed${this.error ? `: ${this.error}` : ''}`;
      case 'cancelled':
        return 'Cancelled.';
      case 'succeeded':
        return 'Finished: every step succeeded.';
    }
  }
}
