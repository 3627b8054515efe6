// Tests that need real tools or root. On a developer's machine without them the tests are
// skipped with the reason; in CI (CI=true) a missing requirement FAILS the run instead,
// because .ci/run installs everything and a skip there would hide a missing install step.
import { spawnSync } from 'node:child_process';

export function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd]).status === 0;
}

export function requirements(what: { commands?: readonly string[]; root?: boolean }): boolean {
  const missing = (what.commands ?? []).filter((c) => !hasCommand(c));
  if (what.root && process.getuid?.() !== 0) missing.push('root');
  if (process.platform !== 'linux') missing.push('Linux');
  if (missing.length === 0) return true;
  if (process.env.CI) {
    throw new Error(`CI is missing what these tests need: ${missing.join(', ')} (see .ci/run)`);
  }
  console.warn(`skipping: needs ${missing.join(', ')}`);
  return false;
}
