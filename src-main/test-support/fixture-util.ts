// Small helpers shared by the systemd-host and keystone test fixtures: free loopback ports,
// killing exactly a process tree we started, cleanup on process exit, host-key parsing.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

import { fingerprintSha256 } from '../core/ssh/fingerprint';
import type { LabHostKey } from './lab-in-a-box';

/** A port that was free on 127.0.0.1 a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Rejects with a clear message when 127.0.0.1:port is already taken. */
export async function assertPortFree(port: number, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const s = createServer();
    s.once('error', (e: NodeJS.ErrnoException) =>
      reject(new Error(`${what}: 127.0.0.1:${port} is already in use (${e.code}); pass another port`)),
    );
    s.listen(port, '127.0.0.1', () => s.close(() => resolve()));
  });
}

function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // raced with an exit
    }
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    const p = queue.shift()!;
    for (const [child, pp] of parent) {
      if (pp === p) {
        out.push(child);
        queue.push(child);
      }
    }
  }
  return out;
}

/** Sends `signal` to pid and every descendant of it (found through /proc). */
export function killTree(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const p of [pid, ...descendants(pid)]) {
    try {
      process.kill(p, signal);
    } catch {
      // already gone
    }
  }
}

const exitHooks = new Set<() => void>();
let installed = false;

/** Runs `fn` (synchronously) if the process exits first; the result removes the hook. */
export function onExit(fn: () => void): () => void {
  if (!installed) {
    installed = true;
    process.on('exit', () => {
      for (const f of exitHooks) {
        try {
          f();
        } catch {
          // best effort
        }
      }
    });
  }
  exitHooks.add(fn);
  return () => exitHooks.delete(fn);
}

/** The type, blob and fingerprint of an OpenSSH public key line. */
export function pubKeyOf(line: string): LabHostKey {
  const [type, b64] = line.trim().split(/\s+/);
  if (!type || !b64) throw new Error(`not a public key line: ${line}`);
  const blob = Buffer.from(b64, 'base64');
  return { type, blob, fingerprint: fingerprintSha256(blob) };
}
