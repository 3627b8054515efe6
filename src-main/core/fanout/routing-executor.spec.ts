import { describe, expect, it } from 'vitest';

import { LocalExecutor } from '../ssh/local-exec';
import type { ExecOptions, ExecResult, Executor, SshTarget } from '../ssh/types';
import { RoutingExecutor } from './routing-executor';

const target = (name: string, local?: true): SshTarget => ({
  name,
  host: name,
  port: 22,
  user: 'stx',
  auth: { kind: 'agent' },
  jump: [],
  ...(local ? { local } : {}),
});

/** Records what reached it instead of connecting anywhere. */
class RecordingRemote implements Executor {
  readonly seen: string[] = [];
  async exec(t: SshTarget, o: ExecOptions): Promise<ExecResult> {
    this.seen.push(`${t.name}:${o.argv.join(' ')}`);
    return {
      exitCode: 0,
      signal: null,
      stdout: 'remote\n',
      stderr: '',
      durationMs: 0,
      truncated: false,
    };
  }
}

describe('RoutingExecutor', () => {
  it('runs local targets as child processes and the rest remotely', async () => {
    const remote = new RecordingRemote();
    const local = new LocalExecutor();
    const routing = new RoutingExecutor({ local, remote });
    const here = await routing.exec(target('localhost', true), { argv: ['echo', 'here'] });
    const there = await routing.exec(target('node1'), { argv: ['echo', 'there'] });
    expect(here.stdout).toBe('here\n');
    expect(there.stdout).toBe('remote\n');
    expect(remote.seen).toEqual(['node1:echo there']);
    expect(routing.for(target('x', true))).toBe(local);
    expect(routing.for(target('x'))).toBe(remote);
  });
});
