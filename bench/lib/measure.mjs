// Timing and printing helpers shared by the SSH benches.
import { spawn, spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

import { killTree, track } from './lab.mjs';

export const median = (xs) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Runs one command to completion and times it from spawn to exit (ms). Output is kept up to
 * `keep` bytes (for checks); stdout can be sent to a file descriptor instead (`stdoutFd`).
 * A run that outlives `timeoutMs` is killed (with its descendants) and reported as timed out.
 */
export function timeCommand(
  cmd,
  args,
  { env, stdoutFd, keep = 1 << 20, timeoutMs = 120_000, cwd } = {},
) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const proc = track(
      spawn(cmd, args, {
        env: env ?? process.env,
        cwd,
        stdio: ['ignore', stdoutFd ?? 'pipe', 'pipe'],
      }),
    );
    let stdout = '';
    let stderr = '';
    proc.stdout?.on('data', (d) => {
      if (stdout.length < keep) stdout += d.toString('utf8');
    });
    proc.stderr.on('data', (d) => {
      if (stderr.length < keep) stderr += d.toString('utf8');
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (proc.pid) killTree(proc.pid);
    }, timeoutMs);
    proc.once('error', (err) => {
      clearTimeout(timer);
      resolve({ ms: performance.now() - t0, code: null, stdout, stderr: String(err), timedOut });
    });
    proc.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ ms: performance.now() - t0, code, signal, stdout, stderr, timedOut });
    });
  });
}

/** True when `name` is on PATH. */
export function have(name) {
  return spawnSync('sh', ['-c', `command -v "$1" >/dev/null 2>&1`, 'sh', name]).status === 0;
}

export const fmtMs = (ms) =>
  Number.isFinite(ms) ? (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`) : '—';
export const fmtRatio = (r) => (Number.isFinite(r) ? `${r.toFixed(2)}×` : '—');
export const fmtMBs = (v) => (Number.isFinite(v) ? `${v.toFixed(0)} MB/s` : '—');

/** A plain-text table: rows are arrays of cells; the first row is the header. */
export function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i] ?? '').length)));
  const line = (r) =>
    r
      .map((c, i) => String(c ?? '').padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [
    line(rows[0]),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
  ].join('\n');
}

/** Parses `--name value` / `--flag` options into an object with defaults. */
export function parseArgs(argv, defaults) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const key = a.slice(2).replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (!(key in defaults)) {
      console.error(`unknown option ${a}`);
      process.exit(64);
    }
    if (typeof defaults[key] === 'boolean') out[key] = true;
    else if (typeof defaults[key] === 'number') out[key] = Number(argv[++i]);
    else out[key] = argv[++i];
  }
  return out;
}
