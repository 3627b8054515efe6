import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { MemorySecretStore } from '../secrets/secret-store';
import { AuditLog } from '../store/audit';
import { openStore } from '../store/database';
import { HostsService } from './hosts-service';
import { importSshConfig } from './ssh-config-import';

describe('importSshConfig', () => {
  it('imports concrete Host entries with jump chains, keys and ports, and says what it skipped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stx-sshcfg-'));
    const file = join(dir, 'config');
    writeFileSync(
      file,
      [
        'Host bastion',
        '  HostName 192.0.2.10',
        '  User jump',
        '  Port 2222',
        '  IdentityFile /keys/id_bastion',
        'Host controller-0 controller-1',
        '  HostName %h.lab.example',
        '  ProxyJump bastion',
        '  User sysadmin',
        'Host legacy',
        '  HostName 192.0.2.99',
        '  ProxyCommand nc %h %p',
        'Host *.wild',
        '  User nobody',
        '',
      ].join('\n'),
    );
    const { db } = openStore(mkdtempSync(join(tmpdir(), 'stx-sshcfg-db-')));
    const hosts = new HostsService(db, new MemorySecretStore('t'), new AuditLog(db));
    const r = importSshConfig(file, hosts, 'test');
    expect(r.added).toEqual(['bastion', 'controller-0', 'controller-1', 'legacy']);
    expect(r.warnings).toEqual(['legacy: ProxyCommand is not run; use ProxyJump']);
    expect(hosts.findByName('bastion')).toMatchObject({
      address: '192.0.2.10',
      port: 2222,
      user: 'jump',
      auth: { kind: 'key', keyPath: '/keys/id_bastion' },
      jump: [],
    });
    expect(hosts.findByName('controller-1')).toMatchObject({
      address: 'controller-1.lab.example',
      user: 'sysadmin',
      jump: ['bastion'],
      auth: { kind: 'agent' },
    });
    // Importing again updates in place.
    expect(importSshConfig(file, hosts, 'test').updated).toHaveLength(4);
  });
});
