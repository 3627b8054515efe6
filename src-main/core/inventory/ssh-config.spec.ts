import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { loadSshConfig } from './ssh-config';
import { jumpFromSshArgs, parseJumpHop } from './ssh-args';

// A copy of testdata/ssh with @DIR@ replaced by the copy's absolute path (ssh -G needs real paths).
const dir = mkdtempSync(join(tmpdir(), 'stx-sshcfg-'));
cpSync(join(import.meta.dirname, 'testdata/ssh'), dir, { recursive: true });
const fill = (d: string) => {
  for (const name of readdirSync(d)) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) fill(p);
    else writeFileSync(p, readFileSync(p, 'utf8').replaceAll('@DIR@', dir));
  }
};
fill(dir);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const me = userInfo();
const opts = { home: me.homedir, user: me.username, localHost: 'console.local', uid: 1000 };

/** OpenSSH's own resolution: `ssh -G -F file alias` as key → values. */
function sshG(file: string, alias: string): Map<string, string[]> {
  const out = execFileSync('ssh', ['-G', '-F', file, alias], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const m = new Map<string, string[]>();
  for (const line of out.split('\n')) {
    const sp = line.indexOf(' ');
    if (sp < 0) continue;
    const k = line.slice(0, sp);
    m.set(k, [...(m.get(k) ?? []), line.slice(sp + 1)]);
  }
  return m;
}

function sshGFails(file: string): boolean {
  try {
    execFileSync('ssh', ['-G', '-F', file, 'x'], { stdio: 'ignore' });
    return false;
  } catch {
    return true;
  }
}

describe('loadSshConfig agrees with ssh -G', () => {
  const file = join(dir, 'config');
  const cfg = loadSshConfig(file, opts);
  const aliases = [
    'bastion',
    'controller-0',
    'controller-1',
    'worker-1',
    'worker-9',
    'worker-12',
    'storage-0',
    'build-1',
    'build-2',
    'nested-only',
    'pct',
    'case-test',
    'ctl',
    'CTL',
    'unlisted',
    'hidden-should-not-load',
  ];
  for (const alias of aliases) {
    it(alias, () => {
      const r = cfg.resolve(alias);
      const g = sshG(file, alias);
      expect(r.host).toBe(g.get('hostname')?.[0]);
      expect(String(r.port)).toBe(g.get('port')?.[0]);
      expect(r.user).toBe(g.get('user')?.[0]);
      expect(r.identitiesOnly ? 'yes' : 'no').toBe(g.get('identitiesonly')?.[0]);
      expect(String((r.serverAliveIntervalMs ?? 0) / 1000)).toBe(g.get('serveraliveinterval')?.[0]);
      expect(r.strictHostKeyChecking ?? 'ask').toBe(g.get('stricthostkeychecking')?.[0]);
      expect(r.proxyJump.join(',') || undefined).toBe(g.get('proxyjump')?.[0]);
      expect(r.proxyCommand ?? undefined).toBe(g.get('proxycommand')?.[0]);
      // ssh -G prints IdentityFile unexpanded (and adds defaults when none is configured).
      if (r.identityFiles.length > 0) {
        const expected = (g.get('identityfile') ?? []).map((f) =>
          f.replace(/^~/, me.homedir).replace(
            /%(.)/g,
            (_m, t: string) =>
              ({
                '%': '%',
                d: me.homedir,
                h: r.host,
                n: alias,
                p: String(r.port),
                r: r.user,
                u: me.username,
              })[t] ?? `%${t}`,
          ),
        );
        expect(r.identityFiles).toEqual(expected);
      } else expect(g.get('identityfile')?.[0]).toBe('~/.ssh/id_rsa');
    });
  }

  it('expands tokens and ~ in IdentityFile as ssh_config(5) says', () => {
    const r = cfg.resolve('worker-1');
    expect(r.identityFiles).toEqual([
      `${me.homedir}/.ssh/id_worker_worker-1`,
      `${me.homedir}/keys/worker-1-22`,
    ]);
    expect(r.proxyJump).toEqual(['bastion', 'jump2:2200']);
    expect(cfg.resolve('build-1').identityFiles).toEqual([
      `${me.homedir}/.ssh/id_build`,
      `${me.homedir}/.ssh/id_after_include`,
    ]);
    expect(cfg.resolve('pct').host).toBe('literal%pct');
    expect(cfg.resolve('storage-0').serverAliveIntervalMs).toBe(15_000);
    expect(cfg.resolve('bastion').userKnownHostsFiles).toEqual([
      `${me.homedir}/.ssh/known_hosts`,
      `${me.homedir}/.ssh/lab_known_hosts`,
    ]);
  });

  it('lists concrete aliases across Includes, skipping patterns and dot files', () => {
    expect(cfg.listHosts()).toEqual([
      'build-1',
      'nested-only',
      'pct',
      'case-test',
      'bastion',
      'controller-0',
      'controller-1',
      'worker-9',
      'CTL',
    ]);
  });
});

describe('relative Include', () => {
  it('starts from ~/.ssh (includeBase) and nests', () => {
    const base = mkdtempSync(join(tmpdir(), 'stx-sshrel-'));
    writeFileSync(join(base, 'config'), 'Include conf.d/*\nHost *\n  User fallback\n');
    cpSync(join(dir, 'conf.d'), join(base, 'conf.d'), { recursive: true });
    const cfg = loadSshConfig(join(base, 'config'), { ...opts, includeBase: base });
    expect(cfg.resolve('build-1')).toMatchObject({
      host: '10.0.0.21',
      port: 2201,
      user: 'fallback',
    });
    rmSync(base, { recursive: true, force: true });
  });
});

describe('bad configs name file and line (ssh -G refuses them too)', () => {
  const cases: [string, number, RegExp][] = [
    ['bad-port.conf', 3, /Bad port 'abc'/],
    ['bad-quote.conf', 2, /line 2/],
    ['bad-missing.conf', 2, /needs an argument/],
    ['loop.conf', 3, /nested more than 16/],
  ];
  for (const [name, line, re] of cases) {
    it(name, () => {
      const file = join(dir, name);
      expect(sshGFails(file)).toBe(true);
      let err: unknown;
      try {
        loadSshConfig(file, opts).resolve('x');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AppError);
      const e = err as AppError;
      expect(e.code).toBe('invalid_input');
      expect(e.message).toMatch(re);
      expect(e.details).toMatchObject({ line });
      expect(String(e.details?.file)).toContain('.conf');
    });
  }

  it('a missing file is not_found', () => {
    expect(() => loadSshConfig(join(dir, 'nope'), opts)).toThrow(
      expect.objectContaining({ code: 'not_found' }) as Error,
    );
  });

  it('never runs Match exec; unknown keywords are warnings', () => {
    const cfg = loadSshConfig(join(dir, 'exec.conf'), opts);
    expect(cfg.resolve('x').user).toBe(me.username);
    expect(existsSync(join(dir, 'exec-ran'))).toBe(false);
    expect(cfg.warnings.map((w) => [w.line, w.message])).toEqual([
      [5, 'unknown keyword FrobnicateWidgets'],
      [1, 'Match exec is not evaluated; treated as false'],
    ]);
  });
});

describe('ssh args', () => {
  it('finds jump chains in ansible_ssh_common_args', () => {
    expect(jumpFromSshArgs('-o ProxyJump=bastion')).toEqual({ jump: ['bastion'] });
    expect(jumpFromSshArgs('-J admin@b1:2222,b2 -o StrictHostKeyChecking=no')).toEqual({
      jump: ['admin@b1:2222', 'b2'],
    });
    expect(jumpFromSshArgs('-o "ProxyJump jump1,jump2"')).toEqual({ jump: ['jump1', 'jump2'] });
    expect(jumpFromSshArgs('-o ProxyCommand="ssh -W %h:%p -q bastion"')).toEqual({
      jump: ['bastion'],
    });
    expect(jumpFromSshArgs(`-o ProxyCommand='ssh -p 2222 -l ops -W %h:%p bastion.lab'`)).toEqual({
      jump: ['ops@bastion.lab:2222'],
    });
    expect(jumpFromSshArgs('-o ProxyCommand="ssh -J outer -W %h:%p inner"')).toEqual({
      jump: ['outer', 'inner'],
    });
    expect(jumpFromSshArgs('-o ProxyJump=none')).toEqual({ jump: [] });
    expect(jumpFromSshArgs('-o ProxyCommand="nc -X 5 -x proxy:1080 %h %p"').warning).toMatch(
      /not an "ssh -W/,
    );
    expect(jumpFromSshArgs('-o ControlMaster=auto')).toEqual({});
    expect(jumpFromSshArgs('-o "ProxyJump=x').error).toMatch(/no closing quotation/);
  });

  it('parses hops', () => {
    expect(parseJumpHop('ops@bastion:2222')).toEqual({ user: 'ops', host: 'bastion', port: 2222 });
    expect(parseJumpHop('ssh://[fd00::1]:22')).toEqual({ host: 'fd00::1', port: 22 });
    expect(parseJumpHop('bastion')).toEqual({ host: 'bastion' });
    expect(parseJumpHop('a b')).toBeUndefined();
  });
});
