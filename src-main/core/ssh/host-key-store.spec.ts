import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostKeyStore } from './host-key-store';
import { KnownHostsVerifier } from './known-hosts';
import { keygen, makeKey, type RealKey, tempDir } from './testdata/keys';

const tmp = tempDir('stx-store-');
let ed: RealKey, ed2: RealKey, ec: RealKey;
let n = 0;
const fresh = () => join(tmp.dir, `app-${++n}`, 'known_hosts');

beforeAll(() => {
  ed = makeKey(tmp.dir, 'ed25519');
  ed2 = makeKey(tmp.dir, 'ed25519');
  ec = makeKey(tmp.dir, 'ecdsa');
});
afterAll(() => tmp.cleanup());

describe('HostKeyStore.trust', () => {
  it('appends OpenSSH lines with 0600 and does not duplicate', () => {
    const file = fresh();
    const store = new HostKeyStore({ file });
    const a = store.trust('controller-0', 22, ed.blob);
    const b = store.trust('controller-0', 2222, ec.blob);
    const again = store.trust('Controller-0', 22, ed.blob);
    expect(a).toMatchObject({ added: true, entry: { file, line: 1, hostsText: 'controller-0' } });
    expect(b.entry).toMatchObject({
      line: 2,
      hostsText: '[controller-0]:2222',
      fingerprint: ec.keygenFingerprint,
    });
    expect(again.added).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe(
      `controller-0 ${ed.publicLine}\n[controller-0]:2222 ${ec.publicLine}\n`,
    );
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(file, '..')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // OpenSSH's own lookup finds what we wrote.
    expect(keygen(['-F', '[controller-0]:2222', '-f', file])).toContain('found: line 2');
  });

  it('writes hashed names that ssh-keygen -F finds', () => {
    const file = fresh();
    const store = new HostKeyStore({ file, hash: true });
    store.trust('worker-1', 2200, ed.blob);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^\|1\|[^ ]+ ssh-ed25519 /);
    expect(keygen(['-F', '[worker-1]:2200', '-f', file])).toContain('found: line 1');
    expect(new KnownHostsVerifier({ files: [file] }).check('worker-1', 2200, ed.blob).status).toBe(
      'known',
    );
  });

  it('refuses to add a second key of the same type (a change must go through rekey)', () => {
    const file = fresh();
    const user = join(tmp.dir, `user-trust-${n}`);
    writeFileSync(user, `pinned ${ed.publicLine}\n`);
    const store = new HostKeyStore({ file, otherFiles: [user] });
    store.trust('h', 22, ed.blob);
    expect(() => store.trust('h', 22, ed2.blob)).toThrow(
      expect.objectContaining({ code: 'conflict' }) as Error,
    );
    expect(() => store.trust('pinned', 22, ed2.blob)).toThrow(new RegExp(`${user}:1`));
    expect(store.trust('h', 22, ec.blob).added).toBe(true);
  });

  it('refuses names that would be patterns or break the line', () => {
    const store = new HostKeyStore({ file: fresh() });
    for (const bad of ['a b', 'a,b', 'node*', '!x', 'x\ny', '@revoked']) {
      expect(() => store.trust(bad, 22, ed.blob)).toThrow(/cannot be written/);
    }
  });
});

describe('HostKeyStore.rekey', () => {
  it('removes what ssh-keygen -R removes, keeps markers, and reports other files', () => {
    const file = fresh();
    const user = join(tmp.dir, `user-${n}`);
    writeFileSync(user, `# mine\nworker-1 ${ed.publicLine}\nworker-2 ${ed.publicLine}\n`);
    const lines = [
      `worker-1 ${ed.publicLine}`,
      `worker-2 ${ec.publicLine}`,
      `[worker-1]:2222 ${ed.publicLine}`,
      `@revoked worker-1 ${ed2.publicLine}`,
      `worker-3 ${ed.publicLine}`,
    ];
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, lines.join('\n') + '\n', { mode: 0o600 });
    const expected = `${file}.keygen`;
    copyFileSync(file, expected);
    keygen(['-R', 'worker-1', '-f', expected]);
    keygen(['-R', 'worker-2', '-f', expected]);

    const store = new HostKeyStore({ file, otherFiles: [user, join(tmp.dir, 'absent')] });
    const r = store.rekey([
      { host: 'worker-1', port: 22 },
      { host: 'worker-2', port: 22 },
    ]);
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(expected, 'utf8'));
    expect(r.removed.map((e) => [e.line, e.host])).toEqual([
      [1, 'worker-1'],
      [2, 'worker-2'],
    ]);
    expect(r.added).toEqual([]);
    expect(r.stillPinned.map((e) => [e.file, e.line, e.host])).toEqual([
      [user, 2, 'worker-1'],
      [user, 3, 'worker-2'],
    ]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('a changed key is refused, then known after a re-key with the new key', () => {
    const file = fresh();
    const store = new HostKeyStore({ file });
    store.trust('storage-0', 22, ed.blob);
    const v = new KnownHostsVerifier({ files: [file] });
    expect(v.check('storage-0', 22, ed2.blob).status).toBe('changed');
    const r = store.rekey([{ host: 'storage-0', port: 22, newKey: ed2.blob }]);
    expect(r.removed[0]?.fingerprint).toBe(ed.keygenFingerprint);
    expect(r.added[0]).toMatchObject({ line: 1, fingerprint: ed2.keygenFingerprint });
    expect(v.check('storage-0', 22, ed2.blob).status).toBe('known');
    expect(v.check('storage-0', 22, ed.blob).status).toBe('changed');
  });

  it('does not write when nothing matches', () => {
    const file = fresh();
    const r = new HostKeyStore({ file }).rekey([{ host: 'nobody', port: 22 }]);
    expect(r).toEqual({ removed: [], added: [], stillPinned: [] });
    expect(() => statSync(file)).toThrow();
  });
});
