// SshExecutor + SshPool against real sshd: quoting, streams, exit codes, channel budget with
// sibling connections, cancel/timeout that really kill the remote process, a dropped connection
// and the reconnect after it, audit entries.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AppError } from '../../shared/errors';
import type { AuditEntry } from '../store/audit';
import { type Lab, labTarget, MapVerifier, startLab } from '../../test-support/lab-in-a-box';
import { SshPool } from './pool';
import { SshExecutor } from './ssh-exec';
import type { SshTarget } from './types';

let lab: Lab;
let pool: SshPool;
let exec: SshExecutor;
const audit: AuditEntry[] = [];

beforeAll(async () => {
  lab = await startLab({ hosts: [{}, { maxSessions: 3 }, {}, {}] });
  pool = new SshPool({
    hostVerifier: new MapVerifier(lab.hosts),
    decideUnknown: async () => false,
    audit: (e) => audit.push(e),
    actor: 'tester',
    reconnect: { initialMs: 50, maxMs: 400, maxAttempts: 20 },
  });
  exec = new SshExecutor(pool, { graceMs: 1000 });
});
afterAll(async () => {
  await pool?.dispose();
  await lab?.stop();
});

const host = (i: number): SshTarget => labTarget(lab, lab.hosts[i]!);

/** Processes on this machine (the lab's hosts run here) whose command line has the marker. */
function remoteProcesses(marker: string): string[] {
  try {
    return execFileSync('pgrep', ['-a', '-f', marker], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('exec', () => {
  it('a hostile argv arrives intact, word for word', async () => {
    const hostile = [
      'plain',
      '',
      'two words',
      "it's",
      '"dq"',
      '$(touch /tmp/pwned)',
      '`id`',
      '; rm -rf / ;',
      'a\nb',
      '$HOME',
      '*',
      '\\',
      '-n',
      "'; echo '",
      'ünïcødé ✓',
    ];
    const r = await exec.exec(host(0), { argv: ['printf', '%s\\0', ...hostile] });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(hostile);
  });

  it('env and cwd, stdout and stderr apart, streamed, exit code', async () => {
    const chunks: string[] = [];
    const r = await exec.exec(host(0), {
      argv: ['sh', '-c', 'echo "$GREETING from $(pwd)"; echo oops >&2; exit 3'],
      env: { GREETING: 'hello; $(id)' },
      cwd: '/usr',
      onStdout: (c) => chunks.push(c.toString()),
    });
    expect(r.exitCode).toBe(3);
    expect(r.signal).toBeNull();
    expect(r.stdout).toBe('hello; $(id) from /usr\n');
    expect(r.stderr).toBe('oops\n');
    expect(chunks.join('')).toBe(r.stdout);
  });

  it('reports a signal death', async () => {
    const r = await exec.exec(host(0), { argv: ['sh', '-c', 'kill -TERM $$'] });
    expect(r.exitCode).toBeNull();
    expect(r.signal).toBe('SIGTERM');
  });

  it('caps the capture but still streams everything', async () => {
    let streamed = 0;
    const r = await exec.exec(host(0), {
      argv: ['head', '-c', '100000', '/dev/zero'],
      captureLimit: 1000,
      onStdout: (c) => (streamed += c.length),
    });
    expect(r.stdout.length).toBe(1000);
    expect(r.truncated).toBe(true);
    expect(streamed).toBe(100000);
  });

  it('runs with a pty when asked', async () => {
    const r = await exec.exec(host(0), { argv: ['sh', '-c', '[ -t 0 ] && echo tty'], pty: true });
    expect(r.stdout.trim()).toBe('tty');
  });

  it('audits every command with host, user, argv, start, end and exit code', async () => {
    audit.length = 0;
    await exec.exec(host(0), { argv: ['true'] });
    await exec.exec(host(0), { argv: ['false'] });
    expect(audit.map((a) => [a.action, a.actor, a.target])).toEqual([
      ['ssh.exec', 'tester', 'host1'],
      ['ssh.exec', 'tester', 'host1'],
    ]);
    expect(audit[1]!.detail).toMatchObject({
      host: `127.0.0.1:${lab.hosts[0]!.port}`,
      user: lab.user,
      argv: ['false'],
      exitCode: 1,
    });
    const d = audit[1]!.detail!;
    expect(Date.parse(String(d['end']))).toBeGreaterThanOrEqual(Date.parse(String(d['start'])));
  });
});

describe('channel budget', () => {
  it('20 concurrent commands on one host with MaxSessions 10 all succeed on sibling connections', async () => {
    const t = host(2);
    const rs = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        exec.exec(t, { argv: ['sh', '-c', `sleep 0.3; echo ${i}`] }),
      ),
    );
    expect(rs.map((r) => r.stdout.trim())).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    expect(pool.stats(t).connections).toBeGreaterThanOrEqual(2);
  });

  it('learns a smaller MaxSessions (3) from "open failed" and opens siblings', async () => {
    const t = host(1);
    const t0 = Date.now();
    const rs = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        exec.exec(t, { argv: ['sh', '-c', `sleep 0.5; echo ${i}`] }),
      ),
    );
    expect(rs.map((r) => r.stdout.trim())).toEqual(Array.from({ length: 12 }, (_, i) => String(i)));
    // in parallel on siblings, not queued behind 3 channels (that would take ≥ 2 s)
    expect(Date.now() - t0).toBeLessThan(1900);
    const s = pool.stats(t);
    expect(s.connections).toBeGreaterThanOrEqual(4);
    expect(s.limits).toContain(3);
  });
});

describe('cancel and timeout', () => {
  it('cancel kills the remote process tree; nothing is left on the server', async () => {
    const marker = `stx-cancel-${randomBytes(4).toString('hex')}`;
    const ctl = new AbortController();
    const p = exec.exec(host(0), {
      argv: ['sh', '-c', `sleep 600 & sleep 600; : ${marker}`],
      signal: ctl.signal,
    });
    await waitFor(() => remoteProcesses(marker).length > 0);
    ctl.abort();
    await expect(p).rejects.toMatchObject({ code: 'cancelled', details: { reason: 'cancelled' } });
    expect(remoteProcesses(marker)).toEqual([]);
    expect(remoteProcesses('sleep 600').filter((l) => l.includes(marker))).toEqual([]);
  });

  it('a process that ignores TERM is KILLed after the grace period', async () => {
    const marker = `stx-stubborn-${randomBytes(4).toString('hex')}`;
    const ctl = new AbortController();
    const p = exec.exec(host(0), {
      argv: ['sh', '-c', `trap '' TERM; while :; do sleep 0.05; done; : ${marker}`],
      signal: ctl.signal,
    });
    await waitFor(() => remoteProcesses(marker).length > 0);
    ctl.abort();
    await expect(p).rejects.toMatchObject({ code: 'cancelled' });
    expect(remoteProcesses(marker)).toEqual([]);
  });

  it('timeout stops the command and says so', async () => {
    const marker = `stx-timeout-${randomBytes(4).toString('hex')}`;
    const t0 = Date.now();
    await expect(
      exec.exec(host(0), { argv: ['sh', '-c', `sleep 600; : ${marker}`], timeoutMs: 300 }),
    ).rejects.toMatchObject({ code: 'cancelled', details: { reason: 'timeout', timeoutMs: 300 } });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(remoteProcesses(marker)).toEqual([]);
  });

  it('a signal aborted before the start never runs anything', async () => {
    const ctl = new AbortController();
    ctl.abort();
    await expect(exec.exec(host(0), { argv: ['true'], signal: ctl.signal })).rejects.toMatchObject({
      code: 'cancelled',
    });
  });
});

describe('connection loss', () => {
  it('sshd killed mid-command: a clear error; the next command reconnects with backoff', async () => {
    const t = host(3);
    expect((await exec.exec(t, { argv: ['echo', 'before'] })).stdout).toBe('before\n');
    // A marker of our own: other spec files run `sleep 30` on this machine at the same time.
    const mark = `stx-loss-${process.pid}-${Date.now()}`;
    const p = exec.exec(t, { argv: ['sh', '-c', `sleep 30; : ${mark}`] });
    await waitFor(() => remoteProcesses(mark).length > 0);
    lab.kill(t.name);
    const err = (await p.catch((e: unknown) => e)) as AppError;
    expect(err.code).toBe('unavailable');
    expect(err.message).toMatch(/connection to .* lost.*during the command/);
    expect(err.details?.['host']).toBe('host4');
    // Start the next command while the host is still down: it retries until the host is back.
    const next = exec.exec(t, { argv: ['echo', 'after'] });
    await new Promise((r) => setTimeout(r, 300));
    await lab.restart(t.name);
    expect((await next).stdout).toBe('after\n');
  });

  it('an unreachable host fails fast with host:port', async () => {
    const t = { ...host(0), name: 'nowhere', port: 1 };
    const err = (await exec.exec(t, { argv: ['true'] }).catch((e: unknown) => e)) as AppError;
    expect(err.code).toBe('unavailable');
    expect(err.message).toContain('127.0.0.1:1 is unreachable (ECONNREFUSED)');
  });

  it('back-to-back commands on the pooled connection do not stall (Nagle off)', async () => {
    const t = host(0);
    await exec.exec(t, { argv: ['true'] });
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) await exec.exec(t, { argv: ['true'] });
    expect((performance.now() - t0) / 10).toBeLessThan(40);
  });
});
