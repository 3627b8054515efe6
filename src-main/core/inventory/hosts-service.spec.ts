import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { AppError } from '../../shared/errors';
import { HostInputSchema, type HostInput } from '../../shared/models/hosts';
import {
  EncryptedSecretStore,
  MemorySecretStore,
  hostPasswordRef,
  type Cipher,
  type SecretStore,
} from '../secrets/secret-store';
import { AuditLog } from '../store/audit';
import { openStore, type Db } from '../store/database';
import { HostsService } from './hosts-service';

function setup(secrets?: (db: Db) => SecretStore): {
  svc: HostsService;
  db: Db;
  file: string;
  secrets: SecretStore;
  audit: AuditLog;
} {
  const { db, file } = openStore(mkdtempSync(join(tmpdir(), 'stx-hosts-')));
  const store = secrets?.(db) ?? new MemorySecretStore('test');
  const audit = new AuditLog(db);
  return { svc: new HostsService(db, store, audit), db, file, secrets: store, audit };
}

const save = (svc: HostsService, input: HostInput) =>
  svc.save(HostInputSchema.parse(input), 'test');

/** AES-256-GCM with a random key: stands in for the OS secret store in tests. */
function testCipher(): Cipher {
  const key = randomBytes(32);
  return {
    backend: 'test-aes-gcm',
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decrypt(data) {
      const d = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      d.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([d.update(data.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

function fileBytes(file: string): string {
  return [file, `${file}-wal`]
    .filter((f) => existsSync(f))
    .map((f) => readFileSync(f).toString('latin1'))
    .join('');
}

describe('HostsService', () => {
  it('creates, lists, updates and deletes hosts with roles, groups and BMC', () => {
    const { svc, audit } = setup();
    const a = save(svc, {
      name: 'controller-0',
      address: '10.10.10.2',
      user: 'sysadmin',
      roles: ['controller', 'controller', 'storage'],
      groups: ['lab-a', 'ctl'],
      bmc: { type: 'ipmi', address: '10.10.11.2', user: 'admin' },
      auth: { kind: 'key', keyPath: '~/.ssh/id_ed25519' },
    });
    expect(a).toMatchObject({
      port: 22,
      user: 'sysadmin',
      roles: ['controller', 'storage'],
      groups: ['ctl', 'lab-a'],
      bmc: { type: 'ipmi', address: '10.10.11.2', user: 'admin' },
      auth: { kind: 'key', keyPath: '~/.ssh/id_ed25519' },
      hasPassword: false,
    });
    save(svc, { name: 'build-1', address: 'build1.lab.example', roles: ['build'] });
    expect(svc.list().map((h) => h.name)).toEqual(['build-1', 'controller-0', 'localhost']);

    const b = save(svc, {
      ...a,
      roles: [...a.roles],
      jump: ['bastion', 'admin@10.0.0.1:2222'],
      id: a.id,
      port: 2222,
      groups: ['lab-a'],
      bmc: null,
      auth: { kind: 'agent' },
    });
    expect(b).toMatchObject({
      jump: ['bastion', 'admin@10.0.0.1:2222'],
      id: a.id,
      port: 2222,
      groups: ['lab-a'],
      bmc: null,
      auth: { kind: 'agent' },
    });
    expect(svc.listGroups()).toEqual([
      { name: 'ctl', description: '', hostCount: 0 },
      { name: 'lab-a', description: '', hostCount: 1 },
    ]);

    expect(svc.delete(a.id, 'test')).toBe('controller-0');
    expect(svc.list().map((h) => h.name)).toEqual(['build-1', 'localhost']);
    expect(audit.recent().map((r) => r.action)).toEqual([
      'host.delete',
      'host.update',
      'host.create',
      'host.create',
    ]);
  });

  it('refuses a second host of the same name, whatever its case, at the name field', () => {
    const { svc } = setup();
    save(svc, { name: 'worker-1', address: '10.0.0.1' });
    const err = (() => {
      try {
        save(svc, { name: 'WORKER-1', address: '10.0.0.2' });
      } catch (e) {
        return e;
      }
    })() as AppError;
    expect(err.code).toBe('conflict');
    expect(err.details?.fields).toEqual([
      { path: 'name', message: 'a host named "WORKER-1" already exists' },
    ]);
  });

  it('reports a missing host as not_found', () => {
    const { svc } = setup();
    expect(() => svc.delete(42, 't')).toThrow(AppError);
    expect(() => save(svc, { id: 42, name: 'x', address: '1.2.3.4' })).toThrow(
      /no host with id 42/,
    );
  });

  it('renames a group for every host in it and deletes a group without deleting hosts', () => {
    const { svc } = setup();
    const h = save(svc, { name: 'n1', address: '10.0.0.1', groups: ['old'] });
    svc.saveGroup({ name: 'other', description: 'spare' }, 't');
    expect(() => svc.saveGroup({ name: 'OTHER' }, 't')).toThrow(/already exists/);
    expect(() => svc.saveGroup({ previousName: 'old', name: 'Other' }, 't')).toThrow(
      /already exists/,
    );
    svc.saveGroup({ previousName: 'old', name: 'new', description: 'renamed' }, 't');
    expect(svc.get(h.id).groups).toEqual(['new']);
    svc.deleteGroup('new', 't');
    expect(svc.get(h.id).groups).toEqual([]);
    expect(svc.listGroups().map((g) => g.name)).toEqual(['other']);
  });

  it('keeps a password in memory only, and never in the database file', () => {
    const { svc, db, file, secrets } = setup();
    const pw = 'correct-horse-battery-staple-4711';
    const h = save(svc, {
      name: 'bmc-host',
      address: '10.0.0.9',
      auth: { kind: 'password' },
      password: pw,
    });
    expect(h.hasPassword).toBe(true);
    expect(JSON.stringify(svc.list())).not.toContain(pw);
    expect(secrets.get(hostPasswordRef(h.id))).toBe(pw);
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(fileBytes(file)).not.toContain(pw);
    // Switching away from password sign-in forgets the password.
    save(svc, { id: h.id, name: 'bmc-host', address: '10.0.0.9', auth: { kind: 'agent' } });
    expect(secrets.has(hostPasswordRef(h.id))).toBe(false);
  });

  it('keeps only ciphertext in SQLite with the OS secret store', () => {
    const { svc, file, secrets } = setup((db) => new EncryptedSecretStore(db, testCipher()));
    const pw = 'Tr0ub4dor&3-very-secret';
    const h = save(svc, {
      name: 'h',
      address: '10.0.0.1',
      auth: { kind: 'password' },
      password: pw,
    });
    expect(secrets.info).toMatchObject({ backend: 'test-aes-gcm', persistent: true });
    expect(secrets.get(hostPasswordRef(h.id))).toBe(pw);
    expect(fileBytes(file)).not.toContain(pw);
    expect(fileBytes(file)).not.toContain(Buffer.from(pw).toString('base64'));
    svc.delete(h.id, 't');
    expect(secrets.has(hostPasswordRef(h.id))).toBe(false);
  });

  it('refuses a password with another sign-in method', () => {
    const { svc } = setup();
    expect(() => save(svc, { name: 'h', address: '10.0.0.1', password: 'x' })).toThrow(/password/);
  });
});
