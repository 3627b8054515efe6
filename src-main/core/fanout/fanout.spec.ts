import { execFileSync } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { AppError } from '../../shared/errors';
import { LocalExecutor } from '../ssh/local-exec';
import type { ExecOptions, ExecResult, Executor, SshTarget } from '../ssh/types';
import { type FanoutEvent, type FanoutResult, runFanout } from './fanout';

const local = new LocalExecutor({ killGraceMs: 300 });

/** Local "hosts" with different names, as fan-out sees real ones. */
function hosts(n: number, prefix = 'node'): SshTarget[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `${prefix}${i + 1}`,
    host: 'localhost',
    port: 22,
    user: '',
    auth: { kind: 'agent' },
    jump: [],
    local: true,
  }));
}

/**
 * Real child processes, with one environment variable per host so that outputs can differ the
 * way they do across a lab. Only the env is added; the process runs through LocalExecutor.
 */
class PerHostEnv implements Executor {
  active = 0;
  maxActive = 0;
  constructor(private readonly env: Record<string, Record<string, string>>) {}
  async exec(t: SshTarget, o: ExecOptions): Promise<ExecResult> {
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      return await local.exec(t, { ...o, env: { ...o.env, ...this.env[t.name] } });
    } finally {
      this.active--;
    }
  }
}

/** Simulates hosts that cannot be reached; the others run locally for real. */
class Unreachable implements Executor {
  constructor(private readonly down: Record<string, AppError>) {}
  async exec(t: SshTarget, o: ExecOptions): Promise<ExecResult> {
    const err = this.down[t.name];
    if (err) throw err;
    return local.exec(t, o);
  }
}

function marker(): string {
  return `1000.${process.pid}${Math.floor(Math.random() * 1e6)}`;
}

function leftover(mark: string): number {
  try {
    return execFileSync('pgrep', ['-f', `sleep ${mark}`], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean).length;
  } catch {
    return 0;
  }
}

const byHost = (r: FanoutResult): Record<string, string> =>
  Object.fromEntries(r.hosts.map((h) => [h.host, h.state]));

describe('runFanout over LocalExecutor', () => {
  it('runs on every host and streams events as they happen', async () => {
    const targets = hosts(6);
    const exec = new PerHostEnv({ node5: { VER: '2' }, node6: { VER: 'bad' } });
    const events: FanoutEvent[] = [];
    const r = await runFanout({
      targets,
      executor: exec,
      command: {
        argv: [
          'sh',
          '-c',
          'echo "version ${VER:-1}"; [ "$VER" = bad ] && echo oops >&2 && exit 3; exit 0',
        ],
      },
      onEvent: (e) => events.push(e),
    });
    expect(byHost(r)).toEqual({
      node1: 'ok',
      node2: 'ok',
      node3: 'ok',
      node4: 'ok',
      node5: 'ok',
      node6: 'failed',
    });
    expect(r.hosts.map((h) => h.host)).toEqual(targets.map((t) => t.name));
    expect(r.hosts[4]).toMatchObject({ stdout: 'version 2\n', exitCode: 0, error: null });
    expect(r.hosts[5]).toMatchObject({ exitCode: 3, stdout: 'version bad\n', stderr: 'oops\n' });
    expect(r.cancelled).toBe(false);

    for (const t of targets) {
      const mine = events
        .filter((e) => e.type !== 'progress' && e.host === t.name)
        .map((e) => e.type);
      expect(mine[0]).toBe('host-started');
      expect(mine.at(-1)).toBe('host-finished');
      expect(mine).toContain('output');
    }
    const out = events.filter((e) => e.type === 'output' && e.host === 'node6');
    expect(out.map((e) => (e.type === 'output' ? `${e.stream}:${e.text}` : ''))).toEqual(
      expect.arrayContaining(['stdout:version bad\n', 'stderr:oops\n']),
    );
    const last = events.at(-1);
    expect(last).toEqual({
      type: 'progress',
      counts: {
        total: 6,
        queued: 0,
        running: 0,
        done: 6,
        ok: 5,
        failed: 1,
        error: 0,
        timeout: 0,
        cancelled: 0,
      },
    });
  });

  it('respects the forks limit exactly', async () => {
    const exec = new PerHostEnv({});
    let maxRunning = 0;
    const t0 = performance.now();
    await runFanout({
      targets: hosts(7),
      executor: exec,
      forks: 3,
      command: { argv: ['sleep', '0.2'] },
      onEvent: (e) => {
        if (e.type === 'progress') maxRunning = Math.max(maxRunning, e.counts.running);
      },
    });
    expect(exec.maxActive).toBe(3);
    expect(maxRunning).toBe(3);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(3 * 200 - 20); // ceil(7/3) rounds
  });

  it('times out slow hosts only, keeping their partial output and killing their processes', async () => {
    const mark = marker();
    const exec = new PerHostEnv({ node2: { SLOW: '1' }, node3: { SLOW: '1' } });
    const r = await runFanout({
      targets: hosts(4),
      executor: exec,
      perHostTimeoutMs: 400,
      command: { argv: ['sh', '-c', `echo started; [ -n "$SLOW" ] && sleep ${mark}; echo done`] },
    });
    expect(byHost(r)).toEqual({ node1: 'ok', node2: 'timeout', node3: 'timeout', node4: 'ok' });
    expect(r.hosts[1]).toMatchObject({ stdout: 'started\n', error: 'timed out after 400 ms' });
    expect(r.hosts[1]!.durationMs).toBeGreaterThanOrEqual(390);
    expect(r.hosts[0]!.stdout).toBe('started\ndone\n');
    expect(leftover(mark)).toBe(0);
  });

  it('cancel stops running hosts and marks queued ones cancelled', async () => {
    const mark = marker();
    const ctrl = new AbortController();
    let started = 0;
    const t0 = performance.now();
    const r = await runFanout({
      targets: hosts(5),
      executor: local,
      forks: 2,
      signal: ctrl.signal,
      command: { argv: ['sh', '-c', `sleep ${mark} & sleep ${mark}; wait`] },
      onEvent: (e) => {
        if (e.type === 'host-started' && ++started === 2) setTimeout(() => ctrl.abort(), 100);
      },
    });
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(r.cancelled).toBe(true);
    expect(r.hosts.map((h) => h.state)).toEqual(Array(5).fill('cancelled'));
    expect(r.hosts[0]!.error).toBe('cancelled');
    expect(r.hosts[4]!.error).toBe('cancelled before it started');
    expect(started).toBe(2);
    expect(leftover(mark)).toBe(0);
  });

  it('reports unreachable and refused hosts without stopping the others', async () => {
    const exec = new Unreachable({
      node2: new AppError('unavailable', 'node2: connect ECONNREFUSED 10.0.0.2:22'),
      node3: new AppError('forbidden', 'node3: host key changed (SHA256:abc)'),
      node4: new AppError('disconnected', 'node4: connection lost'),
    });
    const r = await runFanout({ targets: hosts(5), executor: exec, command: { argv: ['true'] } });
    expect(byHost(r)).toEqual({
      node1: 'ok',
      node2: 'error',
      node3: 'error',
      node4: 'error',
      node5: 'ok',
    });
    expect(r.hosts.map((h) => h.errorKind)).toEqual([
      null,
      'unreachable',
      'refused',
      'unreachable',
      null,
    ]);
    expect(r.hosts[1]!.error).toBe('node2: connect ECONNREFUSED 10.0.0.2:22');
  });

  it('reports a command missing on the host as an error of kind other', async () => {
    const r = await runFanout({
      targets: hosts(1),
      executor: local,
      command: { argv: ['stx-no-such-command-xyz'] },
    });
    expect(r.hosts[0]).toMatchObject({
      state: 'error',
      errorKind: 'other',
      error: 'command not found: stx-no-such-command-xyz',
    });
  });
});

describe('runFanout with test executors', () => {
  it('does not hang on an executor that ignores the signal', async () => {
    const stubborn: Executor = { exec: () => new Promise(() => {}) };
    const t0 = performance.now();
    const r = await runFanout({
      targets: hosts(2),
      executor: stubborn,
      command: { argv: ['x'] },
      perHostTimeoutMs: 50,
      stopGraceMs: 100,
    });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(r.hosts[0]).toMatchObject({
      state: 'timeout',
      error: 'timed out after 50 ms (the command did not stop in time)',
    });
  });

  it('decodes UTF-8 split across chunks and survives a throwing listener', async () => {
    const bytes = Buffer.from('héllo ✓\n');
    const chunky: Executor = {
      async exec(_t, o) {
        for (let i = 0; i < bytes.length; i++) o.onStdout?.(bytes.subarray(i, i + 1));
        return {
          exitCode: 0,
          signal: null,
          stdout: bytes.toString(),
          stderr: '',
          durationMs: 1,
          truncated: false,
        };
      },
    };
    const texts: string[] = [];
    const r = await runFanout({
      targets: hosts(2),
      executor: chunky,
      command: { argv: ['x'] },
      onEvent: (e) => {
        if (e.type === 'output' && e.host === 'node1') texts.push(e.text);
        throw new Error('listener bug');
      },
    });
    expect(texts.join('')).toBe('héllo ✓\n');
    expect(texts.every((t) => !t.includes('\uFFFD'))).toBe(true);
    expect(r.hosts.map((h) => h.state)).toEqual(['ok', 'ok']);
  });

  it('treats a synchronous throw from an executor as that host failing', async () => {
    const broken: Executor = {
      exec: (t) => {
        if (t.name === 'node1') throw new Error('boom');
        return local.exec(t, { argv: ['true'] });
      },
    };
    const r = await runFanout({ targets: hosts(2), executor: broken, command: { argv: ['true'] } });
    expect(r.hosts.map((h) => [h.state, h.errorKind, h.error])).toEqual([
      ['error', 'other', 'boom'],
      ['ok', null, null],
    ]);
  });

  it('rejects bad options and handles no targets or an already-aborted signal', async () => {
    const base = { executor: local, command: { argv: ['true'] } };
    await expect(runFanout({ ...base, targets: hosts(1), forks: 0 })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(runFanout({ ...base, targets: [...hosts(1), ...hosts(1)] })).rejects.toThrow(
      /listed twice/,
    );
    await expect(runFanout({ ...base, targets: hosts(1), perHostTimeoutMs: -1 })).rejects.toThrow(
      AppError,
    );
    expect((await runFanout({ ...base, targets: [] })).hosts).toEqual([]);
    const r = await runFanout({ ...base, targets: hosts(3), signal: AbortSignal.abort() });
    expect(r.hosts.map((h) => h.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
  });
});
