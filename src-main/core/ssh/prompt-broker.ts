// Questions for the person at the console: trust this host key? what is the password?
// The broker gives each question an id, announces it (the app publishes a contract event),
// and resolves when any window answers, or refuses when nobody answers in time.
import { randomUUID } from 'node:crypto';

import type { CredentialPrompt, HostKeyPrompt } from '../../shared/models/exec';

export interface PromptSink {
  hostKey(prompt: HostKeyPrompt): void;
  credentials(prompt: CredentialPrompt): void;
  closed(id: string): void;
}

interface Pending {
  resolve(answer: { accept?: boolean; values?: string[] | null }): void;
  timer: NodeJS.Timeout;
}

export class PromptBroker {
  readonly #pending = new Map<string, Pending>();

  constructor(
    private readonly sink: PromptSink,
    private readonly timeoutMs = 5 * 60_000,
  ) {}

  #ask(
    announce: (id: string) => void,
    signal?: AbortSignal,
  ): Promise<{ accept?: boolean; values?: string[] | null }> {
    const id = randomUUID();
    return new Promise((resolve) => {
      const finish = (answer: { accept?: boolean; values?: string[] | null }): void => {
        const p = this.#pending.get(id);
        if (!p) return;
        clearTimeout(p.timer);
        this.#pending.delete(id);
        signal?.removeEventListener('abort', onAbort);
        this.sink.closed(id);
        resolve(answer);
      };
      const onAbort = (): void => finish({ accept: false, values: null });
      const timer = setTimeout(onAbort, this.timeoutMs);
      timer.unref();
      this.#pending.set(id, { resolve: finish, timer });
      signal?.addEventListener('abort', onAbort, { once: true });
      announce(id);
    });
  }

  /** Resolves true only when someone chose to trust the key. */
  async hostKey(q: Omit<HostKeyPrompt, 'id'>, signal?: AbortSignal): Promise<boolean> {
    const a = await this.#ask((id) => this.sink.hostKey({ id, ...q }), signal);
    return a.accept === true;
  }

  /** The answers, or undefined when refused or unanswered. */
  async credentials(
    q: Omit<CredentialPrompt, 'id'>,
    signal?: AbortSignal,
  ): Promise<string[] | undefined> {
    const a = await this.#ask((id) => this.sink.credentials({ id, ...q }), signal);
    return a.values ?? undefined;
  }

  /** false when the prompt is unknown (already answered elsewhere, or expired). */
  answer(id: string, answer: { accept?: boolean; values?: string[] | null }): boolean {
    const p = this.#pending.get(id);
    if (!p) return false;
    p.resolve(answer);
    return true;
  }

  get pending(): number {
    return this.#pending.size;
  }
}
