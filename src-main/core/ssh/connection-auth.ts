// Client authentication for one hop: the methods an SshAuth allows, in order, built lazily so
// nothing is read from disk or asked of the person before the server's host key was accepted.
import { readFile } from 'node:fs/promises';

import ssh2, { type AnyAuthMethod, type AuthenticationType, type ParsedKey } from 'ssh2';

// ssh2 is CommonJS: take its exports from the default import so Node's ESM loader finds them.
const { utils } = ssh2;

import { AppError } from '../../shared/errors';
import type { ConnectOptions } from './connection';
import type { CredentialPrompter, SshTarget } from './types';

/** Builds the auth methods for a target, lazily: nothing is read or asked before it is needed. */
export function authPlan(
  target: SshTarget,
  options: ConnectOptions,
  tried: string[],
): (left: AuthenticationType[] | null) => Promise<AnyAuthMethod | false> {
  const username = target.user;
  const auth = target.auth;
  const steps: AuthenticationType[] =
    auth.kind === 'key'
      ? ['publickey']
      : auth.kind === 'agent'
        ? ['agent']
        : ['password', 'keyboard-interactive'];
  return async (left) => {
    for (;;) {
      const step = steps.shift();
      if (step === undefined) return false;
      const offered = left === null || left.includes(step === 'agent' ? 'publickey' : step);
      if (!offered) continue;
      if (step === 'publickey' && auth.kind === 'key') {
        const loaded = await loadKey(auth.keyPath, options.prompter, target);
        if (!loaded) {
          tried.push('publickey (no passphrase given)');
          continue;
        }
        tried.push(`publickey ${auth.keyPath}`);
        return { type: 'publickey', username, ...loaded };
      }
      if (step === 'agent') {
        const agent =
          (auth.kind === 'agent' ? auth.socket : undefined) ??
          options.agentSocket ??
          process.env.SSH_AUTH_SOCK;
        if (!agent) {
          tried.push('agent (no SSH_AUTH_SOCK)');
          continue;
        }
        tried.push('agent');
        return { type: 'agent', username, agent };
      }
      if (step === 'password') {
        const password = await options.prompter?.password(target);
        if (password === undefined) continue;
        tried.push('password');
        return { type: 'password', username, password };
      }
      if (step === 'keyboard-interactive') {
        tried.push('keyboard-interactive');
        return {
          type: 'keyboard-interactive',
          username,
          prompt: (_name, _instructions, _lang, prompts, finish) => {
            if (prompts.length === 0) return finish([]);
            const asked = prompts.map((p) => ({ prompt: p.prompt, echo: p.echo ?? false }));
            const reply =
              options.prompter?.keyboardInteractive(target, asked) ?? Promise.resolve(undefined);
            reply.then(
              (answers) => finish(answers ?? []),
              () => finish([]),
            );
          },
        };
      }
    }
  };
}

async function loadKey(
  keyPath: string,
  prompter: CredentialPrompter | undefined,
  target: SshTarget,
): Promise<{ key: Buffer | ParsedKey } | undefined> {
  let data: Buffer;
  try {
    data = await readFile(keyPath);
  } catch (err) {
    throw new AppError('not_found', `cannot read key file ${keyPath}`, {
      host: target.name,
      keyPath,
      cause: (err as NodeJS.ErrnoException).code ?? String(err),
    });
  }
  const plain = utils.parseKey(data);
  if (!(plain instanceof Error)) return { key: data };
  if (!/passphrase|encrypted/i.test(plain.message)) {
    throw new AppError(
      'invalid_input',
      `${keyPath} is not a usable private key: ${plain.message}`,
      {
        host: target.name,
        keyPath,
      },
    );
  }
  const passphrase = await prompter?.passphrase(keyPath);
  if (passphrase === undefined) return undefined;
  const parsed = utils.parseKey(data, passphrase);
  if (parsed instanceof Error) {
    throw new AppError('forbidden', `wrong passphrase for ${keyPath}`, {
      host: target.name,
      keyPath,
    });
  }
  // The decrypted key goes to ssh2 as is: no second KDF run, and the passphrase is not kept.
  return { key: parsed };
}
