import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KnownHostsVerifier,
  checkEntries,
  globMatch,
  hashHostName,
  hostLookupName,
  parseKnownHosts,
} from './known-hosts';
import { keygen, makeKey, type RealKey, tempDir } from './testdata/keys';

const tmp = tempDir('stx-kh-');
let ed: RealKey, ed2: RealKey, ec: RealKey, rsa: RealKey, bad: RealKey;

beforeAll(() => {
  ed = makeKey(tmp.dir, 'ed25519');
  ed2 = makeKey(tmp.dir, 'ed25519');
  ec = makeKey(tmp.dir, 'ecdsa');
  rsa = makeKey(tmp.dir, 'rsa');
  bad = makeKey(tmp.dir, 'ed25519');
});
afterAll(() => tmp.cleanup());

/** Line numbers `ssh-keygen -F name -f file` reports. */
function keygenFind(file: string, name: string): number[] {
  const out = keygen(['-F', name, '-f', file]);
  return [...out.matchAll(/found: line (\d+)/g)].map((m) => Number(m[1]));
}

describe('parseKnownHosts', () => {
  it('parses lists, ports, markers, comments and reports malformed lines', () => {
    const text = [
      '# a comment',
      '',
      `controller-0,10.10.10.2 ${ed.publicLine} root@controller-0`,
      `[controller-1]:2222 ${ec.publicLine}`,
      `@revoked * ${bad.publicLine}`,
      `@cert-authority *.lab ${rsa.publicLine}`,
      'broken-line-without-key',
      `host ssh-ed25519 !!notbase64!!`,
      `@weird host ${ed.publicLine}`,
      `host ssh-rsa ${ed.publicLine.split(' ')[1]}`,
      `|1|bad|hash ${ed.publicLine}`,
      `node,,x ${ed.publicLine}`,
      '  \t',
    ].join('\n');
    const { entries, problems } = parseKnownHosts(text, '/kh');
    expect(entries.map((e) => [e.line, e.marker, e.hostsText])).toEqual([
      [3, null, 'controller-0,10.10.10.2'],
      [4, null, '[controller-1]:2222'],
      [5, 'revoked', '*'],
      [6, 'cert-authority', '*.lab'],
    ]);
    expect(entries[0]!.comment).toBe('root@controller-0');
    expect(entries[0]!.fingerprint).toBe(ed.keygenFingerprint);
    expect(problems.map((p) => p.line)).toEqual([7, 8, 9, 10, 11, 12]);
    expect(problems.every((p) => p.file === '/kh' && p.reason.length > 0)).toBe(true);
  });

  it('handles CRLF line ends', () => {
    const { entries, problems } = parseKnownHosts(
      `a ${ed.publicLine}\r\nb ${ec.publicLine}\r\n`,
      'f',
    );
    expect(problems).toEqual([]);
    expect(entries.map((e) => e.hostsText)).toEqual(['a', 'b']);
  });
});

describe('globMatch', () => {
  it('follows OpenSSH: * any run, ? exactly one, case-insensitive', () => {
    expect(globMatch('node?', 'node1')).toBe(true);
    expect(globMatch('node?', 'node')).toBe(false);
    expect(globMatch('node?', 'node12')).toBe(false);
    expect(globMatch('*.LAB', 'c0.lab')).toBe(true);
    expect(globMatch('a*b*c', 'aXXbYYc')).toBe(true);
    expect(globMatch('a*b*c', 'aXXbYY')).toBe(false);
    expect(globMatch('[*]:2222', '[x]:2222')).toBe(true);
  });
});

describe('lookups agree with ssh-keygen -F', () => {
  const lines = () => [
    `controller-0,10.10.10.2 ${ed.publicLine}`,
    `[controller-0]:2222 ${ec.publicLine}`,
    `worker-*,!worker-9 ${rsa.publicLine}`,
    `[worker-?]:2200 ${ed2.publicLine}`,
    `*.lab.example,!bastion.lab.example ${ed.publicLine}`,
    `Storage-0 ${ec.publicLine}`,
    `[10.0.0.5]:22 ${ed.publicLine}`,
  ];
  const queries: [string, number][] = [
    ['controller-0', 22],
    ['controller-0', 2222],
    ['10.10.10.2', 22],
    ['worker-1', 22],
    ['worker-9', 22],
    ['worker-1', 2200],
    ['worker-12', 2200],
    ['c0.lab.example', 22],
    ['bastion.lab.example', 22],
    ['storage-0', 22],
    ['10.0.0.5', 22],
    ['nothere', 22],
  ];

  it('plain file', () => {
    const file = join(tmp.dir, 'plain_known_hosts');
    writeFileSync(file, lines().join('\n') + '\n');
    const v = new KnownHostsVerifier({ files: [file] });
    for (const [host, port] of queries) {
      const name = hostLookupName(host, port);
      expect(
        v.lookup(host, port).map((e) => e.line),
        name,
      ).toEqual(keygenFind(file, name));
    }
  });

  it('file hashed by ssh-keygen -H', () => {
    const file = join(tmp.dir, 'hashed_known_hosts');
    // ssh-keygen -H leaves wildcard/negated lines alone and splits name lists into one line each.
    writeFileSync(
      file,
      [
        `controller-0,10.10.10.2 ${ed.publicLine}`,
        `[controller-0]:2222 ${ec.publicLine}`,
        `worker-1 ${rsa.publicLine}`,
      ].join('\n') + '\n',
    );
    keygen(['-H', '-f', file]);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^\|1\|/m);
    expect(text).not.toMatch(/controller-0/);
    const v = new KnownHostsVerifier({ files: [file] });
    for (const [host, port] of [...queries, ['worker-1', 22] as [string, number]]) {
      const name = hostLookupName(host, port);
      expect(
        v.lookup(host, port).map((e) => e.line),
        name,
      ).toEqual(keygenFind(file, name));
    }
    expect(v.check('controller-0', 2222, ec.blob).status).toBe('known');
    expect(v.check('10.10.10.2', 22, ed.blob).status).toBe('known');
  });

  it('our hashHostName is what ssh-keygen -F finds', () => {
    const file = join(tmp.dir, 'ours_hashed');
    writeFileSync(
      file,
      `${hashHostName('[node-3]:2022')} ${ed.publicLine}\n${hashHostName('node-4')} ${ed.publicLine}\n`,
    );
    expect(keygenFind(file, '[node-3]:2022')).toEqual([1]);
    expect(keygenFind(file, 'node-4')).toEqual([2]);
    const v = new KnownHostsVerifier({ files: [file] });
    expect(v.check('node-3', 2022, ed.blob).status).toBe('known');
    expect(v.check('node-3', 22, ed.blob).status).toBe('unknown');
  });
});

describe('KnownHostsVerifier.check', () => {
  function setup(userLines: string[], systemLines: string[] = [], appLines: string[] = []) {
    const dir = tempDir('stx-khv-');
    const files = ['user', 'system', 'app'].map((n) => join(dir.dir, n));
    writeFileSync(files[0]!, userLines.join('\n'));
    writeFileSync(files[1]!, systemLines.join('\n'));
    writeFileSync(files[2]!, appLines.join('\n'));
    return {
      v: new KnownHostsVerifier({ files: [...files, join(dir.dir, 'missing')] }),
      files,
      dir,
    };
  }

  it('known, with the deciding entry', () => {
    const { v, files, dir } = setup([`other ${ec.publicLine}`, `h1 ${ed.publicLine}`]);
    const r = v.check('H1', 22, ed.blob);
    expect(r.status).toBe('known');
    expect(r.keyType).toBe('ssh-ed25519');
    expect(r.fingerprint).toBe(ed.keygenFingerprint);
    expect(r.match).toEqual({
      file: files[0],
      line: 2,
      fingerprint: ed.keygenFingerprint,
      keyType: 'ssh-ed25519',
    });
    dir.cleanup();
  });

  it('changed when a key of the same type differs; names file and line', () => {
    const { v, files, dir } = setup([], [`h1 ${ed.publicLine}`]);
    const r = v.check('h1', 22, ed2.blob);
    expect(r.status).toBe('changed');
    expect(r.fingerprint).toBe(ed2.keygenFingerprint);
    expect(r.match).toMatchObject({ file: files[1], line: 1, fingerprint: ed.keygenFingerprint });
    dir.cleanup();
  });

  it('a match in any file wins over a stale entry elsewhere (as ssh does)', () => {
    const { v, files, dir } = setup([`h1 ${ed.publicLine}`], [], [`h1 ${ed2.publicLine}`]);
    const r = v.check('h1', 22, ed2.blob);
    expect(r.status).toBe('known');
    expect(r.match?.file).toBe(files[2]);
    dir.cleanup();
  });

  it('unknown (with a warning list) when only keys of other types are known', () => {
    const { v, dir } = setup([`h1 ${rsa.publicLine}`, `h1 ${ec.publicLine}`]);
    const r = v.check('h1', 22, ed.blob);
    expect(r.status).toBe('unknown');
    expect(r.match).toBeUndefined();
    expect(r.otherTypes.map((o) => o.keyType)).toEqual(['ssh-rsa', 'ecdsa-sha2-nistp256']);
    dir.cleanup();
  });

  it('port matters: [h]:2222 entries do not vouch for port 22 and back', () => {
    const { v, dir } = setup([`[h1]:2222 ${ed.publicLine}`]);
    expect(v.check('h1', 22, ed.blob).status).toBe('unknown');
    expect(v.check('h1', 2222, ed.blob).status).toBe('known');
    expect(v.check('h1', 2222, ed2.blob).status).toBe('changed');
    dir.cleanup();
  });

  it('revoked beats a matching entry, everywhere', () => {
    const { v, files, dir } = setup(
      [`h1 ${bad.publicLine}`],
      [`@revoked somewhere-else ${bad.publicLine}`],
    );
    const r = v.check('h1', 22, bad.blob);
    expect(r.status).toBe('revoked');
    expect(r.match).toMatchObject({ file: files[1], line: 1 });
    dir.cleanup();
  });

  it('cert-authority lines are not host keys', () => {
    const { v, dir } = setup([`@cert-authority h1 ${ed.publicLine}`]);
    expect(v.check('h1', 22, ed.blob).status).toBe('unknown');
    expect(v.check('h1', 22, ed2.blob).status).toBe('unknown');
    dir.cleanup();
  });

  it('negation excludes a host from a wildcard entry', () => {
    const { v, dir } = setup([`node*,!node7 ${ed.publicLine}`]);
    expect(v.check('node3', 22, ed.blob).status).toBe('known');
    expect(v.check('node7', 22, ed2.blob).status).toBe('unknown');
    dir.cleanup();
  });

  it('re-reads a file after it changes and reports malformed lines', () => {
    const { v, files, dir } = setup([`junk`]);
    expect(v.problems()).toEqual([
      { file: files[0], line: 1, reason: expect.any(String) as string },
    ]);
    expect(v.check('h2', 22, ed.blob).status).toBe('unknown');
    writeFileSync(files[0]!, `junk\nh2 ${ed.publicLine}\n`);
    expect(v.check('h2', 22, ed.blob).status).toBe('known');
    dir.cleanup();
  });

  it('checkEntries agrees after ssh-keygen -R removes a host', () => {
    const file = join(tmp.dir, 'kh_remove');
    writeFileSync(file, `h1 ${ed.publicLine}\nh2 ${ec.publicLine}\n`);
    const copy = `${file}.copy`;
    copyFileSync(file, copy);
    keygen(['-R', 'h1', '-f', copy]);
    const parsed = parseKnownHosts(readFileSync(copy, 'utf8'), copy);
    expect(checkEntries(parsed.entries, 'h1', 22, ed.blob).status).toBe('unknown');
    expect(checkEntries(parsed.entries, 'h2', 22, ec.blob).status).toBe('known');
  });
});
