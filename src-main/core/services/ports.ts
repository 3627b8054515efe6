// Listening sockets of a host: `ss -Hltunp` (iproute2), else the kernel's tables through
// `grep -H . /proc/net/{tcp,tcp6,udp,udp6}` (minimal images without ss).
import type { Executor, SshTarget } from '../ssh/types';
import { parseProcNet, parseSs, type Listener } from './parse';

export async function listeners(
  executor: Executor,
  target: SshTarget,
  signal?: AbortSignal,
): Promise<Listener[]> {
  const o = { timeoutMs: 20_000, ...(signal ? { signal } : {}) };
  const ss = await executor.exec(target, { argv: ['ss', '-Hltunp'], ...o });
  if (ss.exitCode === 0) return parseSs(ss.stdout);
  const proc = await executor.exec(target, {
    argv: ['grep', '-H', '.', '/proc/net/tcp', '/proc/net/tcp6', '/proc/net/udp', '/proc/net/udp6'],
    ...o,
  });
  // grep exits 2 when one of the files is missing (no IPv6) but still prints the others.
  if (proc.stdout.trim() === '') {
    throw new Error(
      `neither ss nor /proc/net answered: ${(ss.stderr || proc.stderr).trim().split('\n')[0] ?? ''}`,
    );
  }
  return parseProcNet(proc.stdout);
}
