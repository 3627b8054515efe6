import type { HostSshStatus } from '@shared/models/exec';
import type { Host } from '@shared/models/hosts';
import { describe, expect, it } from 'vitest';

import { keygenCommands, knownHostsName, shellWord, sshSummary } from './ssh-format';

const KEY = {
  keyType: 'ssh-ed25519',
  fingerprint: 'SHA256:abc',
  file: '/data/known_hosts',
  line: 3,
};

function status(name: string, extra: Partial<HostSshStatus> = {}): HostSshStatus {
  return { name, connections: 0, pinned: [], ...extra };
}

function host(name: string, address: string, port: number): Host {
  return { name, address, port } as Host;
}

describe('sshSummary', () => {
  it('says connected when a connection is open, with the pinned key', () => {
    const s = sshSummary(status('a', { connections: 2, pinned: [KEY] }));
    expect(s.state).toBe('connected');
    expect(s.detail).toBe('2 open connections; pinned key ED25519 SHA256:abc');
  });
  it('says key pinned, or that no key is pinned yet', () => {
    expect(sshSummary(status('a', { pinned: [KEY] })).detail).toBe('Pinned key ED25519 SHA256:abc');
    expect(sshSummary(status('a')).label).toBe('No key yet');
  });
});

describe('keygen commands', () => {
  it('names hosts as known_hosts does and quotes for the shell', () => {
    expect(knownHostsName({ address: 'n1', port: 22 })).toBe('n1');
    expect(knownHostsName({ address: '[fe80::1]', port: 2222 })).toBe('[fe80::1]:2222');
    expect(shellWord('[n1]:2222')).toBe("'[n1]:2222'");
    expect(shellWord('/home/me/.ssh/known_hosts')).toBe('/home/me/.ssh/known_hosts');
    expect(shellWord("it's")).toBe("'it'\\''s'");
  });
  it('matches each still-pinned line to its host, or to every host', () => {
    const hosts = [host('a', '10.0.0.1', 22), host('b', '10.0.0.2', 2222)];
    const before = [status('a'), status('b', { pinned: [{ ...KEY, file: '/u/kh', line: 7 }] })];
    expect(keygenCommands([{ file: '/u/kh', line: 7 }], before, hosts)).toEqual([
      "ssh-keygen -R '[10.0.0.2]:2222' -f /u/kh",
    ]);
    expect(keygenCommands([{ file: '/etc/kh', line: 1 }], before, hosts)).toEqual([
      'ssh-keygen -R 10.0.0.1 -f /etc/kh',
      "ssh-keygen -R '[10.0.0.2]:2222' -f /etc/kh",
    ]);
  });
});
