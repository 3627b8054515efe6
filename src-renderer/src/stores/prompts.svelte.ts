// Questions the core asks the user while connecting: trust an unknown host key, or give a
// password / passphrase / keyboard-interactive answer. They queue up and are shown one at a
// time; 'prompt.closed' (answered in another window, or expired) takes one away. Answers go
// straight back through 'prompts.answer' and are not kept here.
import type { CredentialPrompt, HostKeyPrompt } from '@shared/models/exec';

import { backend } from '../platform/backend';
import { errorMessage } from './errors';

export type Prompt =
  | { readonly kind: 'hostkey'; readonly prompt: HostKeyPrompt }
  | { readonly kind: 'credentials'; readonly prompt: CredentialPrompt };

export class PromptStore {
  queue = $state.raw<Prompt[]>([]);
  error = $state('');
  readonly current: Prompt | null = $derived(this.queue[0] ?? null);

  start(): () => void {
    const offs = [
      backend.on('prompt.hostkey', (prompt) => this.#add({ kind: 'hostkey', prompt })),
      backend.on('prompt.credentials', (prompt) => this.#add({ kind: 'credentials', prompt })),
      backend.on('prompt.closed', ({ id }) => this.#remove(id)),
    ];
    return () => {
      for (const off of offs) off();
    };
  }

  async answerHostKey(id: string, accept: boolean): Promise<void> {
    await this.#answer({ id, accept });
  }

  /** `values` null refuses to answer (the sign-in then fails). */
  async answerCredentials(id: string, values: string[] | null): Promise<void> {
    await this.#answer(values === null ? { id, accept: false, values: null } : { id, values });
  }

  async #answer(input: { id: string; accept?: boolean; values?: string[] | null }): Promise<void> {
    this.error = '';
    try {
      await backend.call('prompts.answer', input);
      this.#remove(input.id);
    } catch (err) {
      this.error = errorMessage(err);
      throw err;
    }
  }

  #add(p: Prompt): void {
    if (this.queue.some((q) => q.prompt.id === p.prompt.id)) return;
    this.queue = [...this.queue, p];
  }

  #remove(id: string): void {
    if (this.queue[0]?.prompt.id === id) this.error = '';
    this.queue = this.queue.filter((q) => q.prompt.id !== id);
  }
}

export const prompts = new PromptStore();
