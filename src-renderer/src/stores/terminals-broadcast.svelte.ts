// Safe broadcast: while ARMED, what is typed or pasted into any target terminal goes to every
// target through `terminals.broadcast`, in order (one call in flight, later keys coalesced).
// The server skips terminals at a password prompt (unless allowed) and holds back a line that
// completes a destructive command (rm -rf, reboot, shutdown, mkfs, dd…) until it is re-sent
// confirmed: the confirmation dialog shows what matched, where.
import type { BroadcastReport, DestructiveMatch } from '@shared/models/terminals';

import { backend } from '../platform/backend';
import { errorMessage } from './errors';
import type { TerminalSession } from './terminals-session.svelte';

export interface PendingConfirmation {
  readonly data: string;
  /** Server ids held back, and the terminals they belong to. */
  readonly ids: readonly string[];
  readonly sessions: readonly TerminalSession[];
  readonly matches: readonly DestructiveMatch[];
}

export class BroadcastStore {
  armed = $state(false);
  /** Session keys chosen as targets. */
  targets = $state.raw<readonly string[]>([]);
  /** Also type into terminals that sit at a password prompt. */
  includeSecret = $state(false);
  confirm = $state.raw<PendingConfirmation | null>(null);
  last = $state.raw<BroadcastReport | null>(null);
  error = $state('');

  #queue = '';
  #sending = false;

  constructor(private readonly sessions: () => readonly TerminalSession[]) {}

  has(key: string): boolean {
    return this.targets.includes(key);
  }

  setTargets(keys: Iterable<string>): void {
    this.targets = [...keys].filter((k, i, all) => all.indexOf(k) === i);
    if (this.targets.length === 0) this.armed = false;
  }

  toggle(key: string): void {
    this.setTargets(
      this.targets.includes(key) ? this.targets.filter((k) => k !== key) : [...this.targets, key],
    );
  }

  /** Forgets a closed terminal. */
  drop(key: string): void {
    if (this.targets.includes(key)) this.toggle(key);
  }

  arm(on: boolean): void {
    this.armed = on && this.targets.length > 0;
    if (!this.armed) {
      this.#queue = '';
      this.confirm = null;
    }
  }

  /** The target terminals that are connected now. */
  liveTargets(): TerminalSession[] {
    return this.sessions().filter((s) => this.targets.includes(s.key) && s.live);
  }

  /** Keys typed or text pasted into an armed terminal (or the broadcast field). */
  send(data: string): void {
    if (!this.armed) return;
    this.#queue += data;
    void this.#pump();
  }

  /**
   * A paste from the broadcast field: bracketed (ESC[200~ … ESC[201~) when every live target's
   * program asked for bracketed paste, as xterm would do for one terminal; line ends as CR.
   */
  paste(text: string): void {
    const body = text.replace(/\r?\n/g, '\r');
    const targets = this.liveTargets();
    const bracketed = targets.length > 0 && targets.every((s) => s.term.modes.bracketedPasteMode);
    this.send(bracketed ? `\x1b[200~${body}\x1b[201~` : body);
  }

  async #pump(): Promise<void> {
    if (this.#sending || this.confirm) return;
    this.#sending = true;
    try {
      while (this.#queue && !this.confirm && this.armed) {
        const data = this.#queue;
        this.#queue = '';
        await this.#deliver(data, false, this.liveTargets());
      }
    } finally {
      this.#sending = false;
    }
  }

  async #deliver(data: string, confirmed: boolean, to: readonly TerminalSession[]): Promise<void> {
    const live = to.filter((s) => s.id !== null);
    const byId = (id: string): TerminalSession | undefined => live.find((s) => s.id === id);
    if (live.length === 0) return;
    try {
      const report = await backend.call('terminals.broadcast', {
        ids: live.map((s) => s.id as string),
        data,
        allowSecretPrompt: this.includeSecret,
        confirmed,
      });
      this.last = report;
      this.error = '';
      const held = report.results.filter(
        (r) => r.status === 'skipped' && r.reason === 'needs-confirmation',
      );
      if (held.length > 0) {
        const matches = held.flatMap((r) => (r.status === 'skipped' ? (r.matches ?? []) : []));
        this.confirm = {
          data,
          ids: held.map((r) => r.id),
          sessions: held.map((r) => byId(r.id)).filter((s) => s !== undefined),
          matches: uniqueMatches(matches),
        };
      }
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  /** The person confirmed the destructive line: send it to the terminals that held it. */
  async confirmSend(): Promise<void> {
    const pending = this.confirm;
    if (!pending) return;
    this.confirm = null;
    await this.#deliver(pending.data, true, pending.sessions);
    void this.#pump();
  }

  /** Not confirmed: the line stays typed (not run) in those terminals. */
  cancelSend(): void {
    this.confirm = null;
    this.#queue = '';
  }
}

function uniqueMatches(matches: readonly DestructiveMatch[]): DestructiveMatch[] {
  return matches.filter(
    (m, i) => matches.findIndex((o) => o.rule === m.rule && o.line === m.line) === i,
  );
}
