// Starts bench/lib/ssh2-runner.mjs and sends it requests one at a time.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { killTree, track } from './lab.mjs';

const RUNNER = join(import.meta.dirname, 'ssh2-runner.mjs');

/**
 * @param {object} o
 * @param {string} o.workDir  where the config file goes
 * @param {object} o.config   { user, keyPath, knownHosts, hosts }
 * @param {string[]} [o.nodeArgs] e.g. ['--cpu-prof', '--cpu-prof-dir', DIR]
 * @param {NodeJS.ProcessEnv} [o.env]
 */
export async function startRunner({
  workDir,
  config,
  nodeArgs = [],
  env = process.env,
  name = 'runner',
}) {
  const cfgFile = join(workDir, `${name}.json`);
  writeFileSync(cfgFile, JSON.stringify(config));
  const proc = track(
    spawn(process.execPath, [...nodeArgs, RUNNER, cfgFile], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );
  let stderr = '';
  proc.stderr.on('data', (d) => {
    if (stderr.length < 20_000) stderr += d.toString('utf8');
  });
  const lines = createInterface({ input: proc.stdout });
  const waiting = [];
  let ready;
  const readyP = new Promise((resolve, reject) => {
    ready = { resolve, reject };
  });
  lines.on('line', (l) => {
    if (l === 'READY') return ready.resolve();
    if (l.startsWith('RESULT ')) waiting.shift()?.resolve(JSON.parse(l.slice(7)));
  });
  const exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
  void exited.then((code) => {
    const err = new Error(`ssh2 runner exited (${code}): ${stderr.trim().slice(0, 800)}`);
    ready.reject(err);
    for (const w of waiting.splice(0)) w.reject(err);
  });
  await readyP;
  return {
    /** Sends one request; resolves with the runner's answer. */
    request(req, timeoutMs = 300_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`ssh2 runner: ${req.op} timed out`)),
          timeoutMs,
        );
        waiting.push({
          resolve: (v) => (clearTimeout(timer), resolve(v)),
          reject: (e) => (clearTimeout(timer), reject(e)),
        });
        proc.stdin.write(`${JSON.stringify(req)}\n`);
      });
    },
    /** Closes stdin (the runner disposes its pool and exits, writing any CPU profile). */
    async close() {
      proc.stdin.end();
      const t = setTimeout(() => proc.pid && killTree(proc.pid), 15_000);
      await exited;
      clearTimeout(t);
    },
  };
}
