// Words for a host's SSH side: its pinned keys, its live connections, and the ssh-keygen
// commands that clear an old key from a known_hosts file the console does not edit.
import type { HostSshStatus } from '@shared/models/exec';
import type { Host } from '@shared/models/hosts';

import { keyTypeName, sshHostPort } from '../prompts/host-key';

export type SshState = 'connected' | 'pinned' | 'unpinned';

/** Connected beats pinned: an open connection means the key was checked a moment ago. */
export function sshState(status: HostSshStatus): SshState {
  if (status.connections > 0) return 'connected';
  return status.pinned.length > 0 ? 'pinned' : 'unpinned';
}

export interface SshSummary {
  readonly state: SshState;
  /** A word or two for the table. */
  readonly label: string;
  /** The whole story, for the tooltip and screen readers. */
  readonly detail: string;
}

const LABELS: Record<SshState, string> = {
  connected: 'Connected',
  pinned: 'Key pinned',
  unpinned: 'No key yet',
};

export function pinnedKeys(status: HostSshStatus): string {
  return status.pinned.map((k) => `${keyTypeName(k.keyType)} ${k.fingerprint}`).join(', ');
}

export function sshSummary(status: HostSshStatus): SshSummary {
  const state = sshState(status);
  const keys = pinnedKeys(status);
  const n = status.connections;
  const connections = `${n} open connection${n === 1 ? '' : 's'}`;
  const detail =
    state === 'connected'
      ? `${connections}${keys ? `; pinned key ${keys}` : ''}`
      : state === 'pinned'
        ? `Pinned key ${keys}`
        : 'No key pinned yet: the first connection asks you to trust it';
  return { state, label: LABELS[state], detail };
}

/** Quotes a word for a POSIX shell when it needs it. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The host as ssh-keygen -R wants it: without IPv6 brackets, `[host]:port` off port 22. */
export function knownHostsName(host: Pick<Host, 'address' | 'port'>): string {
  return sshHostPort(host.address.replace(/^\[|\]$/g, ''), host.port);
}

/**
 * The commands that remove the old keys still pinned outside the console's own file. Each
 * entry is matched to its host through the status taken before the re-key; an entry no host
 * claims gets a command for each host (harmless where the host is not in the file).
 */
export function keygenCommands(
  stillPinned: readonly { readonly file: string; readonly line: number }[],
  before: readonly HostSshStatus[],
  hosts: readonly Host[],
): string[] {
  const commands: string[] = [];
  for (const entry of stillPinned) {
    const owners = before
      .filter((s) => s.pinned.some((k) => k.file === entry.file && k.line === entry.line))
      .map((s) => s.name);
    const targets = owners.length > 0 ? hosts.filter((h) => owners.includes(h.name)) : hosts;
    for (const host of targets) {
      const command = `ssh-keygen -R ${shellWord(knownHostsName(host))} -f ${shellWord(entry.file)}`;
      if (!commands.includes(command)) commands.push(command);
    }
  }
  return commands;
}
