// `stx-lab exec` and the exec.run request against real sshd servers (the lab-in-a-box).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import { createApp } from '../app/create-app';
import { localClient } from '../app/local-client';
import { startLab, type Lab } from '../test-support/lab-in-a-box';
import { main } from './index';

let lab: Lab;
let dir: string;

beforeAll(async () => {
  lab = await startLab({ hosts: 3, bastion: true });
  dir = mkdtempSync(join(tmpdir(), 'stx-exec-'));
}, 60_000);
afterAll(async () => {
  await lab.stop();
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

function capture(): { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  return { out, err };
}

/** An Ansible INI inventory of the lab's directly reachable hosts. */
function inventory(extra = ''): string {
  const file = join(dir, `inv-${Math.random().toString(36).slice(2)}.ini`);
  const lines = lab.hosts.map(
    (h, i) =>
      `node${i + 1} ansible_host=${h.host} ansible_port=${h.port} ansible_user=${lab.user} ` +
      `ansible_ssh_private_key_file=${lab.keyPath}`,
  );
  writeFileSync(file, `[lab]\n${lines.join('\n')}\n${extra}`);
  return file;
}

/** `stx-lab --data DATA exec ARGS…`, in process. */
function stxExec(data: string, args: string[]): Promise<number> {
  return main(['--data', data, 'exec', ...args]);
}

function knownHosts(text: string): string {
  const file = join(dir, `kh-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, text);
  return file;
}

describe('stx-lab exec on real sshd', () => {
  it('runs on every host, groups identical output and exits 0', async () => {
    const io = capture();
    const data = mkdtempSync(join(dir, 'data-'));
    const code = await stxExec(data, [
      '-i',
      inventory(),
      '--known-hosts',
      knownHosts(lab.knownHostsText()),
      '--json',
      '@lab',
      '--',
      'printf',
      '%s|',
      'a b',
      '$(id)',
      "it's",
    ]);
    expect(code).toBe(0);
    const doc = JSON.parse(io.out.join('\n')) as {
      hosts: { host: string; stdout: string }[];
      summary: string;
    };
    expect(doc.summary).toBe('3 ok');
    expect(doc.hosts.map((h) => [h.host, h.stdout])).toEqual([
      ['node1', "a b|$(id)|it's|"],
      ['node2', "a b|$(id)|it's|"],
      ['node3', "a b|$(id)|it's|"],
    ]);
  });

  it('refuses unknown host keys without --accept-new (exit 2), pins them with it', async () => {
    const data = mkdtempSync(join(dir, 'data-'));
    const inv = inventory();
    const emptyKh = knownHosts('');
    const io = capture();
    expect(await stxExec(data, ['-i', inv, '--known-hosts', emptyKh, 'node1', '--', 'true'])).toBe(
      2,
    );
    expect(io.err.join('\n')).toMatch(/not known: ssh-ed25519 SHA256:[A-Za-z0-9+/]{43}\b/);
    expect(io.out.join('\n')).toMatch(/0 ok · 1 unreachable/);
    process.exitCode = undefined;
    expect(
      await stxExec(data, [
        '-i',
        inv,
        '--known-hosts',
        emptyKh,
        '--accept-new',
        'node1',
        '--',
        'true',
      ]),
    ).toBe(0);
    expect(readFileSync(join(data, 'known_hosts'), 'utf8')).toContain(
      `[${lab.hosts[0]!.host}]:${lab.hosts[0]!.port}`,
    );
    process.exitCode = undefined;
    expect(await main(['--data', data, 'hostkeys', 'list', '--json'])).toBe(0);
    process.exitCode = undefined;
    // Pinned now: no flag needed.
    expect(await stxExec(data, ['-i', inv, '--known-hosts', emptyKh, 'node1', '--', 'true'])).toBe(
      0,
    );
  });

  it('exits 1 when a command fails somewhere, and diffs the odd host', async () => {
    const io = capture();
    const data = mkdtempSync(join(dir, 'data-'));
    const code = await stxExec(data, [
      '-i',
      inventory(),
      '--known-hosts',
      knownHosts(lab.knownHostsText()),
      'all',
      '--',
      'sh',
      '-c',
      `echo same; echo "$SSH_CONNECTION" | grep -q " ${lab.hosts[2]!.port}$" && { echo odd; exit 4; }; exit 0`,
    ]);
    expect(code).toBe(1);
    const text = io.out.join('\n');
    expect(text).toMatch(/── 2 hosts \(exit 0, majority\): node1, node2/);
    expect(text).toMatch(/\+odd/);
    expect(text).toMatch(/2 ok · 1 failed$/);
  });

  it('never runs what a hostile inventory smuggles in', async () => {
    const io = capture();
    const data = mkdtempSync(join(dir, 'data-'));
    const marker = join(dir, `pwned-${Date.now()}`);
    const evil =
      `[evil]\nbad1 ansible_host=${lab.hosts[0]!.host} ansible_port=${lab.hosts[0]!.port} ` +
      `ansible_user="x;touch ${marker}" ansible_ssh_private_key_file=${lab.keyPath}\n` +
      `bad2 ansible_host="$(touch ${marker})" ansible_user=${lab.user}\n` +
      `good ansible_host=${lab.hosts[1]!.host} ansible_port=${lab.hosts[1]!.port} ` +
      `ansible_user=${lab.user} ansible_ssh_private_key_file=${lab.keyPath} stx_note="; rm -rf /"\n`;
    const code = await stxExec(data, [
      '-i',
      inventory(evil),
      '--known-hosts',
      knownHosts(lab.knownHostsText()),
      '--json',
      '@evil',
      '--',
      'sh',
      '-c',
      `echo "$1"`,
      'sh',
      `$(touch ${marker})`,
    ]);
    expect(existsSync(marker)).toBe(false);
    expect(code).toBe(2);
    const doc = JSON.parse(io.out.join('\n')) as {
      hosts: { host: string; state: string; stdout: string; error: string | null }[];
    };
    const by = Object.fromEntries(doc.hosts.map((h) => [h.host, h]));
    expect(by.bad1?.error).toMatch(/^authentication failed for x;touch /);
    expect(by.bad2?.error).toMatch(/unreachable \(ENOTFOUND\)/);
    expect(by.good).toMatchObject({ state: 'ok', stdout: `$(touch ${marker})\n` });
  });

  it('runs through the bastion when the inventory says ProxyJump', async () => {
    const io = capture();
    const data = mkdtempSync(join(dir, 'data-'));
    const b = lab.bastion!;
    const t = lab.targets[0]!;
    const inv = join(dir, 'jump.ini');
    writeFileSync(
      inv,
      `[hidden]\nt1 ansible_host=${t.host} ansible_port=${t.port} ansible_user=${lab.user} ` +
        `ansible_ssh_private_key_file=${lab.keyPath} ` +
        `ansible_ssh_common_args='-o ProxyJump=${lab.user}@${b.host}:${b.port}'\n`,
    );
    const code = await stxExec(data, [
      '-i',
      inv,
      '--known-hosts',
      knownHosts(lab.knownHostsText()),
      't1',
      '--',
      'echo',
      'behind',
    ]);
    expect(io.out.join('\n')).toMatch(/behind/);
    expect(code).toBe(0);
  });
});

describe('a reimaged host (changed key)', () => {
  it('is refused naming both fingerprints and the file:line, until it is re-keyed', async () => {
    const data = mkdtempSync(join(dir, 'data-'));
    const h = lab.hosts[0]!;
    const other = lab.hosts[1]!;
    const io = capture();
    await main([
      '--data',
      data,
      'hosts',
      'add',
      'reimaged',
      '--address',
      h.host,
      '--port',
      String(h.port),
      '--user',
      lab.user,
      '--key',
      lab.keyPath,
    ]);
    // The app pinned the key another machine has: as if this host had been reimaged since.
    const stale = other.hostKeys.find((k) => k.type === 'ssh-ed25519')!;
    const now = h.hostKeys.find((k) => k.type === 'ssh-ed25519')!;
    writeFileSync(
      join(data, 'known_hosts'),
      `[${h.host}]:${h.port} ssh-ed25519 ${stale.blob.toString('base64')}\n`,
    );
    const kh = knownHosts('');
    process.exitCode = undefined;
    expect(
      await stxExec(data, ['--known-hosts', kh, '--accept-new', 'reimaged', '--', 'true']),
    ).toBe(2);
    const said = io.out.join('\n');
    expect(said).toContain(now.fingerprint);
    expect(said).toContain(stale.fingerprint);
    expect(said).toContain(`${join(data, 'known_hosts')}:1`);
    process.exitCode = undefined;
    expect(await main(['--data', data, 'hostkeys', 'rekey', 'reimaged'])).toBe(0);
    expect(io.out.join('\n')).toMatch(/forgot 1 pinned key of reimaged/);
    const app = createApp({ dataDir: data, face: 'cli' });
    const rekeyed = app.services.audit.recent().find((r) => r.action === 'hostkey.rekey');
    expect(rekeyed).toMatchObject({ target: 'reimaged', actor: 'cli:local' });
    expect(JSON.stringify(rekeyed?.detail)).toContain(stale.fingerprint);
    app.close();
    process.exitCode = undefined;
    expect(
      await stxExec(data, ['--known-hosts', kh, '--accept-new', 'reimaged', '--', 'true']),
    ).toBe(0);
  });
});

describe('exec.run through the contract', () => {
  it('asks about an unknown host key through an event and runs once it is trusted', async () => {
    const data = mkdtempSync(join(dir, 'data-'));
    const app = createApp({ dataDir: data, face: 'web', ssh: { userKnownHosts: knownHosts('') } });
    const client = localClient(app.dispatcher);
    const h = lab.hosts[1]!;
    await client.call('hosts.save', {
      name: 'n2',
      address: h.host,
      port: h.port,
      user: lab.user,
      auth: { kind: 'key', keyPath: lab.keyPath },
    });
    const prompts: string[] = [];
    client.on('prompt.hostkey', (p) => {
      prompts.push(p.fingerprint);
      void client.call('prompts.answer', { id: p.id, accept: true });
    });
    const chunks: string[] = [];
    const report = await client.call(
      'exec.run',
      { pattern: 'n2', argv: ['echo', 'hello'] },
      { onChunk: (e) => chunks.push(e.type) },
    );
    expect(prompts).toEqual([
      h.hostKeys.find((k) => k.type === 'ssh-ed25519')?.fingerprint ?? prompts[0],
    ]);
    expect(report.summary.line).toBe('1 ok');
    expect(report.hosts[0]?.stdout).toBe('hello\n');
    expect(chunks).toEqual(
      expect.arrayContaining(['host-started', 'output', 'host-finished', 'progress']),
    );
    const status = await client.call('hosts.sshStatus', {});
    expect(status.find((x) => x.name === 'n2')).toMatchObject({
      connections: 1,
      pinned: [
        { keyType: 'ssh-ed25519', fingerprint: prompts[0], file: join(data, 'known_hosts') },
      ],
    });
    expect(status.find((x) => x.name === 'localhost')).toMatchObject({ pinned: [] });
    // Re-key: the pinned key goes (audited); the next run asks again.
    const rekey = await client.call('hostkeys.rekey', { hosts: ['n2'] });
    expect(rekey.removed).toBeGreaterThanOrEqual(1);
    const again = await client.call('hosts.sshStatus', {});
    expect(again.find((x) => x.name === 'n2')?.pinned).toEqual([]);
    client.dispose();
    await app.ssh.dispose();
    app.close();
  });
});
