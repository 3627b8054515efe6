import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { AppError } from '../../shared/errors';
import type { AuditEntry } from '../store/audit';
import { LocalExecutor } from './local-exec';
import type { SshTarget } from './types';

const LOCAL: SshTarget = {
  name: 'localhost',
  host: 'localhost',
  port: 22,
  user: '',
  auth: { kind: 'agent' },
  jump: [],
  local: true,
};

const tmp = mkdtempSync(join(tmpdir(), 'local-exec-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A `sleep` argument no other process on the machine has, to find our processes with pgrep. */
function marker(): string {
  return `1000.${process.pid}${Math.floor(Math.random() * 1e6)}`;
}

function pids(mark: string): number[] {
  try {
    const out = execFileSync('pgrep', ['-f', `sleep ${mark}`], { encoding: 'utf8' });
    return out.split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

async function gone(mark: string, withinMs = 2000): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (pids(mark).length === 0) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected the promise to reject');
}

describe('LocalExecutor', () => {
  const exec = new LocalExecutor({ killGraceMs: 300 });

  it('runs argv directly and separates stdout from stderr', async () => {
    const r = await exec.exec(LOCAL, { argv: ['sh', '-c', 'echo out; echo err >&2; exit 3'] });
    expect(r).toMatchObject({ exitCode: 3, signal: null, stdout: 'out\n', stderr: 'err\n' });
    expect(r.truncated).toBe(false);
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('passes a hostile argv through intact, without a shell', async () => {
    const words = [
      '; touch pwned ;',
      '$(id)',
      '`id`',
      "it's",
      '"q"',
      'a\nb',
      '',
      '*',
      '$HOME',
      '-n',
    ];
    const r = await exec.exec(LOCAL, { argv: ['printf', '%s\\0', ...words], cwd: tmp });
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(words);
    expect(execFileSync('ls', ['-A', tmp], { encoding: 'utf8' })).toBe('');
  });

  it('merges env onto the process env with LC_ALL=C unless set', async () => {
    const r = await exec.exec(LOCAL, { argv: ['env'], env: { STX_TEST: 'x y $(z)' } });
    const lines = r.stdout.split('\n');
    expect(lines).toContain('LC_ALL=C');
    expect(lines).toContain('STX_TEST=x y $(z)');
    expect(lines.some((l) => l.startsWith('PATH='))).toBe(true);
    const set = await exec.exec(LOCAL, { argv: ['env'], env: { LC_ALL: 'C.UTF-8' } });
    expect(set.stdout.split('\n')).toContain('LC_ALL=C.UTF-8');
  });

  it('runs in cwd and refuses a missing one clearly', async () => {
    const r = await exec.exec(LOCAL, { argv: ['pwd'], cwd: tmp });
    expect(r.stdout).toBe(`${realpathSync(tmp)}\n`);
    const e = await rejection(exec.exec(LOCAL, { argv: ['pwd'], cwd: join(tmp, 'nope') }));
    expect(e.code).toBe('not_found');
    expect(e.message).toContain('working directory not found');
  });

  it('reports a missing command as "command not found"', async () => {
    const e = await rejection(exec.exec(LOCAL, { argv: ['stx-no-such-command-xyz', '-v'] }));
    expect(e.code).toBe('not_found');
    expect(e.message).toBe('command not found: stx-no-such-command-xyz');
  });

  it('rejects bad input and pty with clear errors', async () => {
    expect((await rejection(exec.exec(LOCAL, { argv: [] }))).code).toBe('invalid_input');
    expect((await rejection(exec.exec(LOCAL, { argv: ['a\0b'] }))).code).toBe('invalid_input');
    const env = await rejection(exec.exec(LOCAL, { argv: ['env'], env: { 'A=B': '1' } }));
    expect(env.code).toBe('invalid_input');
    const pty = await rejection(exec.exec(LOCAL, { argv: ['true'], pty: true }));
    expect(pty.code).toBe('unavailable');
    expect(pty.message).toContain('pseudo-terminal');
  });

  it('streams chunks while capturing up to the limit', async () => {
    const chunks: Buffer[] = [];
    const r = await exec.exec(LOCAL, {
      argv: ['sh', '-c', 'head -c 100000 /dev/zero | tr "\\0" a'],
      captureLimit: 1000,
      onStdout: (c) => chunks.push(c),
    });
    expect(r.stdout).toBe('a'.repeat(1000));
    expect(r.truncated).toBe(true);
    expect(Buffer.concat(chunks).length).toBe(100000);
  });

  it('times out (rejecting as a timeout) and kills the whole process tree', async () => {
    const mark = marker();
    const p = exec.exec(LOCAL, {
      argv: ['sh', '-c', `sleep ${mark} & sh -c 'sleep ${mark}' & sleep ${mark}; wait`],
      timeoutMs: 300,
    });
    await new Promise((r) => setTimeout(r, 150));
    expect(pids(mark).length).toBeGreaterThanOrEqual(3); // the marker does find the tree
    const e = await rejection(p);
    expect(e.code).toBe('cancelled');
    expect(e.details).toMatchObject({ reason: 'timeout', timeoutMs: 300, signal: 'SIGTERM' });
    expect(await gone(mark)).toBe(true);
  });

  it('escalates to SIGKILL when the tree ignores SIGTERM', async () => {
    const mark = marker();
    const e = await rejection(
      exec.exec(LOCAL, {
        argv: ['sh', '-c', `trap '' TERM; sleep ${mark} & sleep ${mark}; wait`],
        timeoutMs: 200,
      }),
    );
    expect(e.details).toMatchObject({ reason: 'timeout', signal: 'SIGKILL' });
    expect(await gone(mark)).toBe(true);
  });

  it('cancels through AbortSignal, leaving no process behind', async () => {
    const mark = marker();
    const ctrl = new AbortController();
    const chunks: string[] = [];
    const p = exec.exec(LOCAL, {
      argv: ['sh', '-c', `echo started; sleep ${mark} & sleep ${mark} & wait`],
      signal: ctrl.signal,
      onStdout: (c) => {
        chunks.push(c.toString());
        ctrl.abort();
      },
    });
    const e = await rejection(p);
    expect(e.code).toBe('cancelled');
    expect(chunks.join('')).toBe('started\n');
    expect(await gone(mark)).toBe(true);
    const again = await rejection(exec.exec(LOCAL, { argv: ['true'], signal: ctrl.signal }));
    expect(again.code).toBe('cancelled');
  });

  it('reports a signal that ended the command by name', async () => {
    const r = await exec.exec(LOCAL, { argv: ['sh', '-c', 'kill -USR1 $$'] });
    expect(r).toMatchObject({ exitCode: null, signal: 'SIGUSR1' });
  });

  it('audits every command like the SSH executor, including failures', async () => {
    const entries: AuditEntry[] = [];
    const audited = new LocalExecutor({ audit: (e) => entries.push(e), actor: 'cli' });
    await audited.exec(LOCAL, { argv: ['sh', '-c', 'exit 2'], cwd: tmp, env: { SECRETISH: 'v' } });
    await rejection(audited.exec(LOCAL, { argv: ['stx-no-such-command-xyz'] }));
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      actor: 'cli',
      action: 'local.exec',
      target: 'localhost',
      detail: {
        host: 'localhost',
        argv: ['sh', '-c', 'exit 2'],
        cwd: tmp,
        envNames: ['SECRETISH'],
        exitCode: 2,
        signal: null,
      },
    });
    const d = entries[0]!.detail!;
    expect(JSON.stringify(d)).not.toContain('"v"'); // env values are not recorded
    expect(d['user']).not.toBe('');
    expect(Date.parse(String(d['end']))).toBeGreaterThanOrEqual(Date.parse(String(d['start'])));
    expect(entries[1]!.detail).toMatchObject({
      exitCode: null,
      error: { code: 'not_found', message: 'command not found: stx-no-such-command-xyz' },
    });
  });

  it('an audit sink that throws does not change the outcome', async () => {
    const audited = new LocalExecutor({
      audit: () => {
        throw new Error('disk full');
      },
    });
    expect((await audited.exec(LOCAL, { argv: ['true'] })).exitCode).toBe(0);
  });
});
