// From inventory hosts to SSH targets: defaults as OpenSSH applies them, `~` expanded, and
// ProxyJump hops resolved (an inventory host by name, else `[user@]host[:port]`).
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';

import { AppError } from '../../shared/errors';
import type { Host } from '../../shared/models/hosts';
import { parseJumpHop } from '../inventory/ssh-args';
import type { SshAuth, SshTarget } from '../ssh/types';

export function expandHome(path: string, home = homedir()): string {
  return path === '~' ? home : path.startsWith('~/') ? join(home, path.slice(2)) : path;
}

/** What a target is built from: an inventory host (from SQLite or straight from a file). */
export type TargetHost = Pick<
  Host,
  'name' | 'address' | 'port' | 'user' | 'auth' | 'jump' | 'connection' | 'groups'
>;

function authOf(host: TargetHost): SshAuth {
  switch (host.auth.kind) {
    case 'key':
      return { kind: 'key', keyPath: expandHome(host.auth.keyPath) };
    case 'password':
      return { kind: 'password' };
    default:
      return { kind: 'agent' };
  }
}

export interface TargetOptions {
  /** User when a host names none (OpenSSH: the local user name). */
  readonly defaultUser?: string;
}

export function targetsFor(
  names: readonly string[],
  hosts: readonly TargetHost[],
  options: TargetOptions = {},
): SshTarget[] {
  const byName = new Map(hosts.map((h) => [h.name, h]));
  const defaultUser = options.defaultUser ?? userInfo().username;

  function build(host: TargetHost, seen: readonly string[]): SshTarget {
    if (seen.includes(host.name)) {
      throw new AppError('invalid_input', `jump hosts loop: ${[...seen, host.name].join(' → ')}`);
    }
    const user = host.user ?? defaultUser;
    const auth = authOf(host);
    const jump: SshTarget[] = [];
    for (const hop of host.jump) {
      const known = byName.get(hop);
      if (known) {
        const t = build(known, [...seen, host.name]);
        jump.push(...t.jump, { ...t, jump: [] });
        continue;
      }
      const parsed = parseJumpHop(hop);
      if (!parsed) {
        throw AppError.field('invalid_input', 'jump', `"${hop}" is not [user@]host[:port]`);
      }
      jump.push({
        name: hop,
        host: parsed.host,
        port: parsed.port ?? 22,
        user: parsed.user ?? user,
        // A hop outside the inventory signs in as the target does, except with a password.
        auth: auth.kind === 'password' ? { kind: 'agent' } : auth,
        jump: [],
      });
    }
    return {
      name: host.name,
      host: host.address.replace(/^\[|\]$/g, ''),
      port: host.port,
      user,
      auth,
      jump,
      ...(host.connection === 'local' ? { local: true } : {}),
    };
  }

  return names.map((name) => {
    const host = byName.get(name);
    if (!host) throw new AppError('not_found', `there is no host named "${name}"`);
    return build(host, []);
  });
}
