import { describe, expect, it, vi } from 'vitest';
import type { Executor, SshTarget } from '../ssh/types';
import { detectOs, parseProbe, PROBE_SCRIPT } from './detect';

const target: SshTarget = {
  name: 'h1',
  host: 'h1',
  port: 22,
  user: 'u',
  auth: { kind: 'agent' },
  jump: [],
};

describe('the probe', () => {
  it('is one fixed sh -c script with LC_ALL=C', async () => {
    const exec = vi.fn<Executor['exec']>().mockResolvedValue({
      exitCode: 0,
      signal: null,
      stdout: '@@stx-probe:os-release\nID=debian\n@@stx-probe:end\n',
      stderr: '',
      durationMs: 1,
      truncated: false,
    });
    const facts = await detectOs({ exec }, target);
    expect(exec).toHaveBeenCalledOnce();
    expect(exec.mock.calls[0]![1]).toMatchObject({
      argv: ['sh', '-c', PROBE_SCRIPT, 'stx-probe'],
      env: { LC_ALL: 'C' },
    });
    expect(facts.osRelease).toEqual({ ID: 'debian' });
    expect(facts.buildInfo).toBeNull();
  });

  it('a failed probe gives the host’s message', async () => {
    const exec = vi.fn<Executor['exec']>().mockResolvedValue({
      exitCode: 127,
      signal: null,
      stdout: '',
      stderr: 'sh: not found\n',
      durationMs: 1,
      truncated: false,
    });
    await expect(detectOs({ exec }, target)).rejects.toMatchObject({
      code: 'unavailable',
      message: 'OS detection failed on h1: sh: not found',
    });
  });

  it('refuses output that is not the probe’s', () => {
    expect(() => parseProbe('hello')).toThrow(/unexpected/);
  });
});
