// Playwright: the same specs drive the browser-host face (Debian's Chromium) and, where an
// Electron binary is present, the desktop face. Run: npx playwright test -c e2e/playwright.config.ts
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  defineConfig,
  type PlaywrightTestOptions,
  type PlaywrightWorkerOptions,
  type Project,
  type ReporterDescription,
} from '@playwright/test';

import type { LabOptions } from './fixtures/app';

const ROOT = join(import.meta.dirname, '..');

/** Chromium flags for a quiet, headless run on a CI machine without a sandbox. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The Electron binary that `npm install` downloads, unless ELECTRON_SKIP_BINARY_DOWNLOAD was set. */
function electronPresent(): boolean {
  const dir = join(ROOT, 'node_modules/electron');
  const pathTxt = join(dir, 'path.txt');
  if (!existsSync(pathTxt)) return false;
  const binary = readFileSync(pathTxt, 'utf8').trim();
  return binary !== '' && existsSync(join(dir, 'dist', binary));
}

const projects: Project<PlaywrightTestOptions, PlaywrightWorkerOptions & LabOptions>[] = [
  {
    name: 'web',
    use: {
      face: 'web',
      browserName: 'chromium',
      headless: true,
      viewport: { width: 1280, height: 800 },
      launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS },
    },
  },
];

if (electronPresent()) {
  // Specs about the browser host only (its token, its HTTP server) are tagged @web-only.
  projects.push({ name: 'electron', use: { face: 'electron' }, grepInvert: /@web-only/ });
} else if (!process.env.STX_E2E_ELECTRON_NOTED) {
  // The config is loaded by the runner and again by each worker: say it once.
  process.env.STX_E2E_ELECTRON_NOTED = '1';
  console.log(
    'e2e: Electron binary not present (ELECTRON_SKIP_BINARY_DOWNLOAD); the electron project is skipped',
  );
}

const reporter: ReporterDescription[] = [['list']];
if (process.env.PW_JSON_OUTPUT) {
  reporter.push(['json', { outputFile: process.env.PW_JSON_OUTPUT }]);
}

export default defineConfig<object, LabOptions>({
  testDir: 'specs',
  outputDir: join(ROOT, 'test-results'),
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 30_000,
  // Generous: CI machines have 2 cores and other suites may run beside this one.
  expect: { timeout: 10_000 },
  reporter,
  use: { trace: 'retain-on-failure' },
  projects,
});
