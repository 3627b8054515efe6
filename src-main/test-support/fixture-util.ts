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
      reject(
        new Error(`${what}: 127.0.0.1:${port} is already in use (${e.code}); pass another port`),
      ),
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

export interface JsonResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
}

/** One HTTP(S) request with a JSON body/answer; `ca` (PEM path) is trusted for https. */
export async function requestJson(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: unknown; ca?: string } = {},
): Promise<JsonResponse> {
  const u = new URL(url);
  const mod = u.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const data = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  if (data !== undefined) headers['Content-Type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = mod.request(
      u,
      {
        method: opts.method ?? 'GET',
        headers,
        agent: false,
        ...(opts.ca ? { ca: readFileSync(opts.ca) } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? (JSON.parse(text) as unknown) : null;
          } catch {
            // not JSON: the text itself
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
    req.end(data);
  });
}

/** true when pid runs (and, with `marker`, its command line contains it: pids get reused). */
export function processAlive(pid: number, marker?: string): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return marker === undefined || cmdline.includes(marker);
  } catch {
    return false;
  }
}
