// The fixture itself, proven with the real OpenSSH client: host keys, auth, bastion isolation,
// the 3-hop chain, kill/restart, and that stop() leaves none of its processes behind.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Lab, startLab } from './lab-in-a-box';

const run = promisify(execFile);

describe('lab-in-a-box', () => {
  let lab: Lab;
  let knownHosts: string;
  let sshConfig: string;
  let startMs = 0;

  beforeAll(async () => {
    const t0 = Date.now();
    lab = await startLab({ hosts: 3, bastion: true });
    startMs = Date.now() - t0;
    knownHosts = join(lab.dir, 'known_hosts');
    writeFileSync(knownHosts, lab.knownHostsText());
    // -J starts inner ssh processes that read only the config file, so the options live there.
    sshConfig = join(lab.dir, 'ssh_config');
    writeFileSync(
      sshConfig,
      [
        'Host *',
        '  BatchMode yes',
        `  UserKnownHostsFile ${knownHosts}`,
        '  StrictHostKeyChecking yes',
        '  ConnectTimeout 5',
        `  IdentityFile ${lab.keyPath}`,
        '  IdentitiesOnly yes',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => lab?.stop());

  const sshArgs = (extra: string[] = []): string[] => ['-F', sshConfig, ...extra];

  it('starts quickly, each host with its own three host keys', () => {
    expect(startMs).toBeLessThan(5000);
    const fps = new Set(lab.hosts.flatMap((h) => h.hostKeys.map((k) => k.fingerprint)));
    expect(fps.size).toBe(lab.hosts.length * 3);
    expect(lab.hosts[0]!.hostKeys.map((k) => k.type)).toEqual([
      'ssh-ed25519',
      'ecdsa-sha2-nistp256',
      'ssh-rsa',
    ]);
  });

  it('accepts the key and checks host keys with OpenSSH', async () => {
    const h = lab.hosts[0]!;
    const { stdout } = await run('ssh', [
      ...sshArgs(),
      '-p',
      String(h.port),
      `${lab.user}@127.0.0.1`,
      'echo',
      'ok',
    ]);
    expect(stdout.trim()).toBe('ok');
  });

  it('hides the targets behind the bastion and chains three hops', async () => {
    const b = lab.bastion!;
    const [, hop2, hop3] = lab.chain;
    const jump = `-J${lab.user}@127.0.0.1:${b.port}`;
    const t = lab.targets[0]!;
    const viaBastion = await run('ssh', [
      ...sshArgs([jump]),
      '-p',
      String(t.port),
      `${lab.user}@127.0.0.1`,
      'echo',
      'inside',
    ]);
    expect(viaBastion.stdout.trim()).toBe('inside');
    const chain = `-J${lab.user}@127.0.0.1:${b.port},${lab.user}@127.0.0.1:${hop2!.port}`;
    const three = await run('ssh', [
      ...sshArgs([chain]),
      '-p',
      String(hop3!.port),
      `${lab.user}@127.0.0.1`,
      'echo',
      'deep',
    ]);
    expect(three.stdout.trim()).toBe('deep');
    // The bastion alone may not reach hop 3.
    await expect(
      run('ssh', [...sshArgs([jump]), '-p', String(hop3!.port), `${lab.user}@127.0.0.1`, 'true']),
    ).rejects.toThrow();
    if (lab.isolation === 'netns') {
      await expect(
        run('ssh', [...sshArgs(), '-p', String(t.port), `${lab.user}@127.0.0.1`, 'true']),
      ).rejects.toThrow(/refused|closed|timed out/i);
    }
  });

  it('serves a real ssh-agent holding an authorised key', async () => {
    const h = lab.hosts[1]!;
    const args = sshArgs(['-o', 'IdentitiesOnly=no', '-o', 'IdentityFile=none']);
    const { stdout } = await run(
      'ssh',
      [...args, '-p', String(h.port), `${lab.user}@127.0.0.1`, 'echo', 'agent'],
      {
        env: { ...process.env, SSH_AUTH_SOCK: lab.agentSocket },
      },
    );
    expect(stdout.trim()).toBe('agent');
  });

  it('kills and restarts a host on the same port', async () => {
    const h = lab.hosts[2]!;
    lab.kill(h.name);
    await expect(
      run('ssh', [...sshArgs(), '-p', String(h.port), `${lab.user}@127.0.0.1`, 'true']),
    ).rejects.toThrow(/refused/);
    await lab.restart(h.name);
    const { stdout } = await run('ssh', [
      ...sshArgs(),
      '-p',
      String(h.port),
      `${lab.user}@127.0.0.1`,
      'echo',
      'back',
    ]);
    expect(stdout.trim()).toBe('back');
  });

  it('stop() leaves none of its processes behind', async () => {
    const other = await startLab({ hosts: 2 });
    const marker = other.dir;
    const before = await run('pgrep', ['-f', marker]);
    expect(before.stdout.trim().split('\n').length).toBeGreaterThanOrEqual(2);
    await other.stop();
    await expect(run('pgrep', ['-f', marker])).rejects.toThrow();
  });
});
