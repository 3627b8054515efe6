// connect() against real sshd (lab-in-a-box): every auth method, host-key decisions before any
// credential, ProxyJump through a bastion and a 3-hop chain, clear errors.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { type AppError } from '../../shared/errors';
import { type Lab, labTarget, MapVerifier, startLab } from '../../test-support/lab-in-a-box';
import { connect, type ConnectOptions, type SshConnection } from './connection';
import { KnownHostsVerifier } from './known-hosts';
import type { CredentialPrompter, HostKeyCheck, SshTarget } from './types';

let lab: Lab;
let verifier: MapVerifier;

beforeAll(async () => {
  lab = await startLab({
    hosts: [{}, { password: true }, { kbdInteractive: true }],
    bastion: true,
  });
  verifier = new MapVerifier([...lab.hosts, lab.bastion!, ...lab.targets, ...lab.chain]);
});
afterAll(() => lab?.stop());

function prompter(over: Partial<CredentialPrompter> = {}): CredentialPrompter {
  return {
    password: vi.fn(async () => lab.password),
    passphrase: vi.fn(async () => lab.passphrase),
    keyboardInteractive: vi.fn(async (_t: SshTarget, prompts: readonly { prompt: string }[]) =>
      prompts.map(() => lab.password ?? ''),
    ),
    ...over,
  };
}

function options(over: Partial<ConnectOptions> = {}): ConnectOptions {
  return {
    hostVerifier: verifier,
    decideUnknown: async () => false,
    prompter: prompter(),
    ...over,
  };
}

async function run(conn: SshConnection, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    conn.client.exec(command, (err, ch) => {
      if (err) return reject(err);
      let out = '';
      ch.on('data', (d: Buffer) => (out += d.toString()));
      ch.on('close', () => resolve(out));
    });
  });
}

async function caught(p: Promise<unknown>): Promise<AppError> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as AppError,
  );
}

async function expectWorks(target: SshTarget, opts = options()): Promise<void> {
  const conn = await connect(target, opts);
  try {
    expect((await run(conn, 'echo ok')).trim()).toBe('ok');
  } finally {
    conn.close();
  }
}

describe('auth', () => {
  it.each(['ed25519', 'ecdsa', 'rsa'] as const)(
    'key file %s (rsa signs with rsa-sha2)',
    async (type) => {
      await expectWorks(
        labTarget(lab, lab.hosts[0]!, { auth: { kind: 'key', keyPath: lab.keyPaths[type] } }),
      );
    },
  );

  it('encrypted key asks the prompter for the passphrase', async () => {
    const p = prompter();
    const t = labTarget(lab, lab.hosts[0]!, {
      auth: { kind: 'key', keyPath: lab.encryptedKeyPath },
    });
    await expectWorks(t, options({ prompter: p }));
    expect(p.passphrase).toHaveBeenCalledWith(lab.encryptedKeyPath);
  });

  it('a wrong passphrase is refused clearly', async () => {
    const t = labTarget(lab, lab.hosts[0]!, {
      auth: { kind: 'key', keyPath: lab.encryptedKeyPath },
    });
    const err = await caught(
      connect(t, options({ prompter: prompter({ passphrase: async () => 'nope' }) })),
    );
    expect(err.code).toBe('forbidden');
    expect(err.message).toContain('wrong passphrase');
  });

  it('ssh-agent through a real agent socket', async () => {
    await expectWorks(
      labTarget(lab, lab.hosts[0]!, { auth: { kind: 'agent', socket: lab.agentSocket } }),
    );
  });

  it.runIf(process.getuid?.() === 0)('password', async () => {
    const t = labTarget(lab, lab.hosts[1]!, {
      auth: { kind: 'password' },
      user: lab.passwordUser!,
    });
    await expectWorks(t);
  });

  it.runIf(process.getuid?.() === 0)(
    'keyboard-interactive prompts through the prompter',
    async () => {
      const p = prompter();
      const t = labTarget(lab, lab.hosts[2]!, {
        auth: { kind: 'password' },
        user: lab.passwordUser!,
      });
      await expectWorks(t, options({ prompter: p }));
      expect(p.keyboardInteractive).toHaveBeenCalled();
      const prompts = vi.mocked(p.keyboardInteractive).mock.calls[0]![1];
      expect(prompts[0]?.echo).toBe(false);
      expect(prompts[0]?.prompt).toMatch(/password/i);
    },
  );

  it('auth failure names the methods tried', async () => {
    const t = labTarget(lab, lab.hosts[0]!, { auth: { kind: 'password' } });
    const err = (await connect(t, options()).catch((e: unknown) => e)) as AppError;
    expect(err.code).toBe('forbidden');
    expect(err.message).toMatch(/authentication failed for .*@127\.0\.0\.1:\d+ \(tried: /);
  });
});

describe('host keys', () => {
  it('unknown key: refused when the decision says no, and no credential is asked', async () => {
    const p = prompter();
    const decide = vi.fn(async () => false);
    const t = labTarget(lab, lab.hosts[0]!, {
      auth: { kind: 'key', keyPath: lab.encryptedKeyPath },
    });
    const err = (await connect(
      t,
      options({ hostVerifier: new MapVerifier(), decideUnknown: decide, prompter: p }),
    ).catch((e: unknown) => e)) as AppError;
    expect(err.code).toBe('forbidden');
    expect(err.message).toMatch(/not known/);
    expect(decide).toHaveBeenCalledOnce();
    expect(p.passphrase).not.toHaveBeenCalled();
  });

  it('unknown key: accepted when the decision says yes', async () => {
    const decide = vi.fn(async (_t: SshTarget, _c: HostKeyCheck) => true);
    await expectWorks(
      labTarget(lab, lab.hosts[0]!),
      options({ hostVerifier: new MapVerifier(), decideUnknown: decide }),
    );
    const check = decide.mock.calls[0]![1];
    expect(check.status).toBe('unknown');
    expect(check.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('changed key: refused with both fingerprints and the file:line, before any password', async () => {
    const h = lab.hosts[1]!;
    const imposter = new MapVerifier();
    imposter.known.set(
      `${h.host}:${h.port}`,
      lab.hosts[0]!.hostKeys.map((k) => k.blob),
    );
    const p = prompter();
    const decide = vi.fn(async () => true);
    const t = labTarget(lab, h, { auth: { kind: 'password' }, user: lab.passwordUser ?? lab.user });
    const err = (await connect(
      t,
      options({ hostVerifier: imposter, decideUnknown: decide, prompter: p }),
    ).catch((e: unknown) => e)) as AppError;
    expect(err.code).toBe('forbidden');
    const offered = h.hostKeys.map((k) => k.fingerprint);
    const known = lab.hosts[0]!.hostKeys.map((k) => k.fingerprint);
    expect(offered).toContain(err.details!['fingerprint']);
    expect(known).toContain(err.details!['knownFingerprint']);
    expect(err.message).toContain(String(err.details!['fingerprint']));
    expect(err.message).toContain(String(err.details!['knownFingerprint']));
    expect(err.message).toContain('test_known_hosts:1');
    expect(err.message).toContain(h.name);
    expect(decide).not.toHaveBeenCalled();
    expect(p.password).not.toHaveBeenCalled();
    expect(p.keyboardInteractive).not.toHaveBeenCalled();
  });
});

describe('with the real KnownHostsVerifier', () => {
  it('known_hosts from the lab: connects; a changed key names the file and line', async () => {
    const file = join(lab.dir, 'kh_real');
    writeFileSync(file, lab.knownHostsText());
    await expectWorks(
      labTarget(lab, lab.hosts[0]!),
      options({ hostVerifier: new KnownHostsVerifier({ files: [file] }) }),
    );
    // host2's entries now carry host1's keys: a reimaged machine, as far as we can tell
    const [h1, h2] = [lab.hosts[0]!, lab.hosts[1]!];
    const lines = h1.hostKeys.map(
      (k) => `[127.0.0.1]:${h2.port} ${k.type} ${k.blob.toString('base64')}`,
    );
    writeFileSync(file, `# reimaged\n${lines.join('\n')}\n`);
    const err = await caught(
      connect(
        labTarget(lab, h2),
        options({ hostVerifier: new KnownHostsVerifier({ files: [file] }) }),
      ),
    );
    expect(err.code).toBe('forbidden');
    expect(err.message).toMatch(new RegExp(`${file}:[234]`));
    expect(err.message).toContain(String(err.details!['knownFingerprint']));
    expect(h2.hostKeys.map((k) => k.fingerprint)).toContain(err.details!['fingerprint']);
  });
});

describe('ProxyJump', () => {
  it('reaches a target only the bastion can reach', async () => {
    const bastion = labTarget(lab, lab.bastion!);
    const conn = await connect(labTarget(lab, lab.targets[0]!, { jump: [bastion] }), options());
    try {
      expect((await run(conn, 'echo inside')).trim()).toBe('inside');
    } finally {
      conn.close();
    }
    if (lab.isolation === 'netns') {
      await expect(connect(labTarget(lab, lab.targets[0]!), options())).rejects.toMatchObject({
        code: 'unavailable',
      });
    }
  });

  it('chains three hops, verifying every hop', async () => {
    const [b, h2, h3] = lab.chain.map((h) => labTarget(lab, h));
    const checked: string[] = [];
    const spy = {
      check: (host: string, port: number, blob: Buffer) => (
        checked.push(`${host}:${port}`),
        verifier.check(host, port, blob)
      ),
    };
    const conn = await connect({ ...h3!, jump: [b!, h2!] }, options({ hostVerifier: spy }));
    try {
      expect((await run(conn, 'echo deep')).trim()).toBe('deep');
    } finally {
      conn.close();
    }
    expect(checked).toEqual(lab.chain.map((h) => `${h.host}:${h.port}`));
  });

  it('a refused hop key stops the chain at that hop', async () => {
    const [b, h2, h3] = lab.chain.map((h) => labTarget(lab, h));
    const partial = new MapVerifier([lab.chain[0]!, lab.chain[2]!]);
    await expect(
      connect({ ...h3!, jump: [b!, h2!] }, options({ hostVerifier: partial })),
    ).rejects.toMatchObject({
      code: 'forbidden',
      details: { host: 'hop2', status: 'unknown' },
    });
  });
});

describe('errors', () => {
  it('unreachable names host:port and the cause', async () => {
    const t = { ...labTarget(lab, lab.hosts[0]!), port: 1 };
    const err = await caught(connect(t, options()));
    expect(err.code).toBe('unavailable');
    expect(err.message).toContain('127.0.0.1:1 is unreachable (ECONNREFUSED)');
  });

  it('turns Nagle off and keepalive on', async () => {
    const conn = await connect(labTarget(lab, lab.hosts[0]!), options());
    try {
      const cfg = (
        conn.client as unknown as {
          config: { keepaliveInterval: number; keepaliveCountMax: number };
        }
      ).config;
      expect(cfg.keepaliveInterval).toBe(15_000);
      expect(cfg.keepaliveCountMax).toBe(3);
    } finally {
      conn.close();
    }
  });
});
