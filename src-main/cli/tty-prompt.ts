// Secrets typed at the terminal: echo off, on stderr, only when a person is there.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

import type { CredentialPrompter } from '../core/ssh/types';

export function askHidden(question: string): Promise<string | undefined> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return Promise.resolve(undefined);
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _enc, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    muted = true;
    rl.on('SIGINT', () => {
      rl.close();
      resolve(undefined);
    });
  });
}

/** Asks at the terminal; without one, answers nothing (the sign-in then fails with its reason). */
export const ttyPrompter: CredentialPrompter = {
  password: (t) => askHidden(`${t.user}@${t.host}'s password: `),
  passphrase: (keyPath) => askHidden(`Enter passphrase for key '${keyPath}': `),
  async keyboardInteractive(_t, prompts) {
    const answers: string[] = [];
    for (const p of prompts) {
      const a = await askHidden(p.prompt);
      if (a === undefined) return undefined;
      answers.push(a);
    }
    return answers;
  },
};
