#!/usr/bin/env node
// `npm test`: typecheck, lint, build, unit + integration (vitest), end-to-end (Playwright).
// Runs every stage even after a failure, then prints one summary line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const outDir = join(root, '.test-output');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const bin = (name) => join(root, 'node_modules', '.bin', name);
const only = process.argv.slice(2); // e.g. `npm test -- unit e2e`

const stages = [
  { name: 'typecheck', cmd: ['npm', 'run', '--silent', 'typecheck'] },
  { name: 'lint', cmd: [bin('eslint'), '--max-warnings', '0', '.'] },
  { name: 'build', cmd: [bin('electron-vite'), 'build'] },
  {
    name: 'unit',
    cmd: [
      bin('vitest'),
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${join(outDir, 'vitest.json')}`,
    ],
    count: () => countVitest(join(outDir, 'vitest.json')),
  },
  {
    name: 'e2e',
    cmd: [bin('playwright'), 'test', '-c', 'e2e/playwright.config.ts'],
    env: { PW_JSON_OUTPUT: join(outDir, 'playwright.json') },
    count: () => countPlaywright(join(outDir, 'playwright.json')),
  },
];

function countVitest(file) {
  if (!existsSync(file)) return null;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: r.numPassedTests ?? 0, failed: (r.numFailedTests ?? 0) + (r.numTodoTests ?? 0) };
}

function countPlaywright(file) {
  if (!existsSync(file)) return null;
  const s = JSON.parse(readFileSync(file, 'utf8')).stats ?? {};
  return { passed: s.expected ?? 0, failed: (s.unexpected ?? 0) + (s.flaky ?? 0) };
}

let passed = 0;
let failed = 0;
const report = [];
for (const stage of stages) {
  if (only.length && !only.includes(stage.name)) continue;
  const started = Date.now();
  console.log(`\n━━ ${stage.name} ━━ ${stage.cmd.map((c) => c.replace(root + '/', '')).join(' ')}`);
  const [cmd, ...args] = stage.cmd;
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...stage.env },
  });
  const ok = r.status === 0;
  const counted = stage.count?.();
  if (counted) {
    passed += counted.passed;
    failed += counted.failed;
  }
  // A stage that failed without failing tests (crash, lint, type error) counts as one failure.
  if (!ok && !(counted?.failed > 0)) failed += 1;
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  const tests = counted ? ` (${counted.passed} passed, ${counted.failed} failed)` : '';
  report.push(`${ok ? 'ok  ' : 'FAIL'} ${stage.name.padEnd(10)} ${secs.padStart(6)} s${tests}`);
  if (stage.name === 'build' && !ok) break; // nothing after it can run without a build
}
console.log(`\n━━ summary ━━\n${report.join('\n')}`);
if (passed + failed === 0) {
  console.log('no test ran');
  process.exit(1);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
