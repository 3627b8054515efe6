// How a host's facts read in the table.
import type { Host } from '@shared/models/hosts';

import type { IconName } from '../ui/icons';

export interface SignIn {
  readonly icon: IconName;
  readonly label: string;
  readonly detail: string;
  /** The whole story, for a tooltip. */
  readonly title: string;
  /** Something the user should notice (a password sign-in without a stored password). */
  readonly warn: boolean;
}

/** An address as it reads before ":port": IPv6 addresses in brackets, as ssh and URLs write them. */
export function displayAddress(address: string): string {
  return address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
}

/** The file name of a path (either slash), so long key paths fit the table. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).at(-1) ?? path;
}

export function signIn(host: Host): SignIn {
  if (host.connection === 'local') {
    return {
      icon: 'monitor',
      label: 'Local',
      detail: 'no SSH',
      title: 'The machine the console runs on: commands run as child processes',
      warn: false,
    };
  }
  switch (host.auth.kind) {
    case 'agent':
      return {
        icon: 'terminal',
        label: 'SSH agent',
        detail: '',
        title: 'Signs in with the keys of your SSH agent',
        warn: false,
      };
    case 'key':
      return {
        icon: 'key',
        label: 'Key',
        detail: baseName(host.auth.keyPath),
        title: `Private key file ${host.auth.keyPath}`,
        warn: false,
      };
    case 'password':
      return host.hasPassword
        ? {
            icon: 'lock',
            label: 'Password',
            detail: 'stored',
            title: 'A password is stored for this host',
            warn: false,
          }
        : {
            icon: 'lock',
            label: 'Password',
            detail: 'not stored',
            title: 'Signs in with a password, but none is stored: edit the host to enter it',
            warn: true,
          };
  }
}

export function bmcLabel(type: 'redfish' | 'ipmi'): string {
  return type === 'redfish' ? 'Redfish' : 'IPMI';
}

/** Words for the filter to match: everything the table shows. */
export function searchText(host: Host): string {
  return [
    host.name,
    `${host.address}:${host.port}`,
    host.user ?? '',
    ...host.roles,
    ...host.groups,
    host.bmc ? `${host.bmc.type} ${host.bmc.address}` : '',
    host.auth.kind,
    host.auth.kind === 'key' ? host.auth.keyPath : '',
    host.notes,
    host.connection === 'local' ? 'local' : '',
    ...host.jump,
  ]
    .join(' ')
    .toLowerCase();
}

/** Hosts matching every word of the query, and the group when one is chosen. */
export function filterHosts(hosts: readonly Host[], query: string, group: string): Host[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const g = group.toLowerCase();
  return hosts.filter((h) => {
    if (g && !h.groups.some((x) => x.toLowerCase() === g)) return false;
    const text = searchText(h);
    return words.every((w) => text.includes(w));
  });
}

/** "via bastion", "via a → b": the ProxyJump chain as the table shows it; '' when direct. */
export function viaText(host: Host): string {
  return host.jump.length === 0 ? '' : `via ${host.jump.join(' → ')}`;
}
