// One host's Flock services: their live state, start/stop/restart in dependency order with the
// steps streamed, and the journal of one service (the last lines, then following on request).
import { AppError } from '@shared/errors';
import type {
  JournalLine,
  ServiceAction,
  ServiceActionEvent,
  ServiceActionReport,
  ServiceActionResult,
  ServicesList,
} from '@shared/models/services';

import { backend } from '../platform/backend';
import { errorMessage } from './errors';

/** Journal lines kept in the log panel while following. */
const JOURNAL_LIMIT = 2000;

export interface ActionStep {
  readonly service: string;
  readonly phase: 'queued' | 'running' | 'done';
  readonly result: ServiceActionResult | null;
}

export interface JournalRow extends JournalLine {
  readonly id: number;
}

export class ServicesStore {
  host = $state('');
  list = $state.raw<ServicesList | null>(null);
  loading = $state(false);
  error = $state('');
  /** Catalog ids ticked in the table. */
  selected = $state.raw<string[]>([]);

  action = $state<ServiceAction | null>(null);
  busy = $state(false);
  steps = $state.raw<ActionStep[]>([]);
  report = $state.raw<ServiceActionReport | null>(null);
  actionError = $state('');

  /** The service whose journal shows, its lines, and whether it is being followed. */
  logService = $state('');
  logUnit = $state('');
  logSource = $state('');
  journal = $state.raw<JournalRow[]>([]);
  logLoading = $state(false);
  logError = $state('');
  following = $state(false);

  #generation = 0;
  #lineId = 0;
  #follow: AbortController | null = null;
  #offChanged: (() => void) | null = null;

  /** Shows `host` (its services are listed again). */
  open(host: string): void {
    if (!this.#offChanged) {
      this.#offChanged = backend.on('services.changed', (e) => {
        if (e.host === this.host && !this.busy) void this.refresh();
      });
    }
    if (host === this.host && (this.list || this.loading)) return;
    this.stopFollowing();
    this.host = host;
    this.list = null;
    this.selected = [];
    this.steps = [];
    this.report = null;
    this.action = null;
    this.actionError = '';
    this.logService = '';
    this.journal = [];
    void this.refresh();
  }

  async refresh(): Promise<void> {
    const generation = ++this.#generation;
    this.loading = true;
    this.error = '';
    try {
      const list = await backend.call('services.list', { host: this.host });
      if (generation !== this.#generation) return;
      this.list = list;
      const names = list.services.map((s) => s.name);
      this.selected = this.selected.filter((n) => names.includes(n));
    } catch (err) {
      if (generation === this.#generation) this.error = errorMessage(err);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  toggle(name: string, on: boolean): void {
    const rest = this.selected.filter((n) => n !== name);
    this.selected = on ? [...rest, name] : rest;
  }

  /** Ticks (or unticks) every one of `names` (the rows on show). */
  selectAll(on: boolean, names: readonly string[]): void {
    const rest = this.selected.filter((n) => !names.includes(n));
    this.selected = on ? [...rest, ...names] : rest;
  }

  /** Runs `action` on the selected services (the person has confirmed a stop or restart). */
  async act(action: ServiceAction, services: readonly string[]): Promise<boolean> {
    if (this.busy || services.length === 0) return false;
    this.action = action;
    this.busy = true;
    this.report = null;
    this.actionError = '';
    this.steps = services.map((service) => ({ service, phase: 'queued', result: null }));
    try {
      const report = await backend.call(
        'services.action',
        { host: this.host, services: [...services], action },
        { onChunk: (e) => this.#step(e) },
      );
      this.report = report;
      this.steps = report.order.map((service) => ({
        service,
        phase: 'done',
        result: report.results.find((r) => r.service === service) ?? null,
      }));
      return report.ok;
    } catch (err) {
      this.actionError = errorMessage(err);
      return false;
    } finally {
      this.busy = false;
      await this.refresh();
    }
  }

  #step(e: ServiceActionEvent): void {
    if (e.type === 'plan') {
      this.steps = e.order.map((service) => ({ service, phase: 'queued', result: null }));
      return;
    }
    const service = e.type === 'step' ? e.service : e.result.service;
    const next: ActionStep =
      e.type === 'step'
        ? { service, phase: 'running', result: null }
        : { service, phase: 'done', result: e.result };
    const known = this.steps.some((s) => s.service === service);
    this.steps = known
      ? this.steps.map((s) => (s.service === service ? next : s))
      : [...this.steps, next];
  }

  /** Shows the last `lines` of `service`'s journal (and stops following another one). */
  async showLog(service: string, lines = 200): Promise<void> {
    this.stopFollowing();
    this.logService = service;
    this.logLoading = true;
    this.logError = '';
    this.journal = [];
    try {
      const logs = await backend.call('services.logs', { host: this.host, service, lines });
      if (this.logService !== service) return;
      this.logUnit = logs.unit;
      this.logSource = logs.source;
      this.journal = logs.lines.map((l) => ({ ...l, id: ++this.#lineId }));
    } catch (err) {
      if (this.logService === service) this.logError = errorMessage(err);
    } finally {
      if (this.logService === service) this.logLoading = false;
    }
  }

  /** Follows the journal of the shown service until stopped (or the panel goes away). */
  async follow(): Promise<void> {
    if (!this.logService || this.#follow) return;
    const service = this.logService;
    const abort = new AbortController();
    this.#follow = abort;
    this.following = true;
    this.logError = '';
    this.journal = [];
    try {
      await backend.call(
        'services.follow',
        { host: this.host, service, lines: 50 },
        { signal: abort.signal, onChunk: (line) => this.#append(line) },
      );
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'cancelled') && this.#follow === abort)
        this.logError = errorMessage(err);
    } finally {
      if (this.#follow === abort) {
        this.#follow = null;
        this.following = false;
      }
    }
  }

  stopFollowing(): void {
    this.#follow?.abort();
    this.#follow = null;
    this.following = false;
  }

  #append(line: JournalLine): void {
    const next = [...this.journal, { ...line, id: ++this.#lineId }];
    this.journal = next.length > JOURNAL_LIMIT ? next.slice(-JOURNAL_LIMIT) : next;
  }
}

export const services = new ServicesStore();
