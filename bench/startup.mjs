#!/usr/bin/env node
// `npm run bench` (after `electron-vite build`): how long the browser face takes from a cold
// `stx-lab web` to a painted Hosts screen in Chromium, against a bare-Node reference, and how
// much JavaScript the first screen loads. Prints figures; asserts nothing (see bench/README.md).
//
//   node bench/startup.mjs [--runs N] [--json]

/* global document, requestAnimationFrame -- used only inside page.evaluate/waitForFunction */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';

const ROOT = resolve(import.meta.dirname, '..');
const RENDERER = join(ROOT, 'out', 'renderer');
const OVERALL_TIMEOUT_MS = 60_000;
const STEP_TIMEOUT_MS = 20_000;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const TARGET_STARTUP_MS = 1500;
const TARGET_FIRST_JS_GZIP = 400_000;

/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set();
/** @type {Set<string>} */
const tempDirs = new Set();
/** @type {import('playwright-core').Browser | undefined} */
let browser;
let step = 'starting';

// ── cleanup: whatever happens, no server or data dir is left behind ──────────────────────────
function killChildren() {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
  children.clear();
}
function removeTempDirs() {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  tempDirs.clear();
}
process.on('exit', () => {
  killChildren();
  removeTempDirs();
});
for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
  process.on(sig, () => {
    console.error(`\nbench: interrupted (${sig}) while ${step}`);
    void shutdown(130);
  });
}
const watchdog = setTimeout(() => {
  console.error(
    `bench: gave up after ${OVERALL_TIMEOUT_MS / 1000} s while ${step}. ` +
      'Is the build current (npm run build) and does Chromium start here?',
  );
  void shutdown(1);
}, OVERALL_TIMEOUT_MS);

/** @param {number} code */
async function shutdown(code) {
  killChildren();
  if (browser) {
    const b = browser;
    browser = undefined;
    await Promise.race([b.close().catch(() => {}), sleep(3000)]);
  }
  removeTempDirs();
  process.exit(code);
}

// ── small helpers ─────────────────────────────────────────────────────────────────────────────
/** @param {number} ms */
function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms).unref());
}

/**
 * @template T
 * @param {Promise<T>} promise @param {string} what
 * @returns {Promise<T>}
 */
function withTimeout(promise, what, ms = STEP_TIMEOUT_MS) {
  /** @type {NodeJS.Timeout | undefined} */
  let t;
  const timeout = new Promise((_, reject) => {
    t = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(t));
}

/** @param {number[]} xs */
function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? /** @type {number} */ (s[mid]) : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN, runs: s.length };
}

/**
 * Spawns a Node process and resolves with the first http:// URL it prints on stdout.
 * @param {string[]} args @param {string} what
 */
function spawnAndWaitForUrl(args, what) {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  children.add(child);
  let out = '';
  let err = '';
  const url = new Promise((resolveUrl, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      const m = /(http:\/\/\S+)/.exec(out);
      if (m) resolveUrl(/** @type {string} */ (m[1]));
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      reject(
        new Error(`${what} exited (${code ?? signal}) before printing its URL:\n${out}${err}`),
      ),
    );
  });
  return { child, url: withTimeout(url, `waiting for ${what} to print its URL`) };
}

/** @param {import('node:child_process').ChildProcess} child */
async function stop(child) {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(3000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.delete(child);
}

/**
 * Resolves after the page has produced a frame (two animation-frame callbacks).
 * @param {import('playwright-core').Page} page
 */
function afterNextPaint(page) {
  return page.evaluate(
    () =>
      new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(undefined)))),
  );
}

// ── measurements ──────────────────────────────────────────────────────────────────────────────
/** Bare Node: spawn → process exit, with an HTTP server listening once. */
async function bareNodeStart() {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    ['-e', "require('node:http').createServer().listen(0, '127.0.0.1', () => process.exit(0))"],
    { stdio: 'ignore' },
  );
  children.add(child);
  const code = await withTimeout(
    new Promise((r, j) => {
      child.on('exit', r);
      child.on('error', j);
    }),
    'waiting for bare node to exit',
  );
  children.delete(child);
  if (code !== 0) throw new Error(`bare node exited with ${String(code)}`);
  return performance.now() - t0;
}

const HELLO_SERVER = `
const http = require('node:http');
const s = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end('<!doctype html><title>hello</title><h1>hello</h1>');
});
s.listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + s.address().port + '/'));
`;

/**
 * Timer from spawning `node <args>` to `ready(page)` being true and a frame painted; also
 * when the server printed its URL.
 * @param {import('playwright-core').Browser} b
 * @param {string[]} args
 * @param {string} what
 * @param {() => boolean} ready   runs in the page
 */
async function timeToPaint(b, args, what, ready) {
  const context = await b.newContext(); // fresh profile state: no cache, no cookies
  const page = await context.newPage();
  try {
    const t0 = performance.now();
    const { child, url } = spawnAndWaitForUrl(args, what);
    try {
      step = `waiting for ${what} to print its URL`;
      const u = await url;
      const urlMs = performance.now() - t0;
      step = `loading ${what} in Chromium`;
      await withTimeout(page.goto(u, { waitUntil: 'commit' }), `opening ${u}`);
      await page.waitForFunction(ready, undefined, { polling: 'raf', timeout: STEP_TIMEOUT_MS });
      await afterNextPaint(page);
      return { totalMs: performance.now() - t0, urlMs };
    } finally {
      await stop(child);
    }
  } finally {
    await context.close();
  }
}

/** @param {import('playwright-core').Browser} b */
function helloPage(b) {
  return timeToPaint(b, ['-e', HELLO_SERVER], 'a node hello server', () =>
    Boolean(document.querySelector('h1')?.textContent?.includes('hello')),
  );
}

/** @param {import('playwright-core').Browser} b */
async function consoleHostsScreen(b) {
  const data = mkdtempSync(join(tmpdir(), 'stx-bench-'));
  tempDirs.add(data);
  try {
    return await timeToPaint(
      b,
      [join(ROOT, 'bin', 'stx-lab.mjs'), '--data', data, 'web', '--port', '0'],
      'stx-lab web',
      () =>
        Boolean(
          document.querySelector('[data-screen="hosts"]') ??
          document.querySelector('h1')?.textContent?.includes('Hosts'),
        ),
    );
  } finally {
    rmSync(data, { recursive: true, force: true });
    tempDirs.delete(data);
  }
}

/** JS that index.html loads up front (entry scripts + modulepreloads), raw/gzip -9/brotli. */
function firstScreenJs() {
  const html = readFileSync(join(RENDERER, 'index.html'), 'utf8');
  const refs = new Set();
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) refs.add(m[1]);
  for (const m of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)) {
    refs.add(m[1]);
  }
  for (const m of html.matchAll(/<link\b[^>]*\bhref="([^"]+)"[^>]*\brel="modulepreload"/g)) {
    refs.add(m[1]);
  }
  const files = [...refs]
    .filter((r) => /\.m?js(\?|$)/.test(/** @type {string} */ (r)) && !/^[a-z]+:/i.test(r))
    .map((r) => join(RENDERER, /** @type {string} */ (r).replace(/^\.?\//, '').split('?')[0]));
  let raw = 0;
  let gzip = 0;
  let brotli = 0;
  for (const f of files) {
    const data = readFileSync(f);
    raw += data.length;
    gzip += gzipSync(data, { level: 9 }).length;
    brotli += brotliCompressSync(data, {
      params: {
        [zlibConstants.BROTLI_PARAM_QUALITY]: zlibConstants.BROTLI_MAX_QUALITY,
        [zlibConstants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }).length;
  }
  const assets = join(RENDERER, 'assets');
  const allJs = readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .reduce((n, f) => n + statSync(join(assets, f)).size, 0);
  return { files: files.map((f) => f.slice(RENDERER.length + 1)), raw, gzip, brotli, allJs };
}

// ── report ────────────────────────────────────────────────────────────────────────────────────
/** @param {number} ms */
const fmtMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
/** @param {number} n */
const fmtKb = (n) => `${(n / 1000).toFixed(1)} kB`;

function parseArgs(argv) {
  const opts = { runs: 5, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') opts.json = true;
    else if (a === '--runs') opts.runs = Number(argv[++i]);
    else if (a?.startsWith('--runs=')) opts.runs = Number(a.slice(7));
    else throw new Error(`unknown argument: ${a} (use --runs N, --json)`);
  }
  if (!Number.isInteger(opts.runs) || opts.runs < 1 || opts.runs > 50) {
    throw new Error('--runs takes a whole number from 1 to 50');
  }
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  for (const f of [join(RENDERER, 'index.html'), join(ROOT, 'out', 'main', 'cli.js')]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: build first (npm run build)`);
  }
  // playwright-core directly; @playwright/test re-exports the same launcher.
  const { chromium } = await import('playwright-core').catch(() => import('@playwright/test'));
  const executablePath = existsSync(CHROMIUM) ? CHROMIUM : undefined;

  step = 'launching Chromium';
  const tLaunch = performance.now();
  browser = await withTimeout(
    chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS }),
    'launching Chromium',
  );
  const launchMs = performance.now() - tLaunch;
  const version = browser.version();

  // One warm-up of each, not counted: the first spawn pays for the OS file cache.
  step = 'warming up';
  await helloPage(browser);
  await consoleHostsScreen(browser);

  const bare = [];
  const hello = [];
  const hosts = [];
  const hostsUrl = [];
  for (let i = 0; i < opts.runs; i++) {
    step = `run ${i + 1}/${opts.runs}: bare node`;
    bare.push(await bareNodeStart());
    step = `run ${i + 1}/${opts.runs}: hello page`;
    hello.push((await helloPage(browser)).totalMs);
    step = `run ${i + 1}/${opts.runs}: stx-lab web → Hosts`;
    const h = await consoleHostsScreen(browser);
    hosts.push(h.totalMs);
    hostsUrl.push(h.urlMs);
  }
  step = 'closing Chromium';
  await browser.close();
  browser = undefined;
  const js = firstScreenJs();

  const result = {
    node: process.version,
    chromium: version,
    runs: opts.runs,
    chromiumLaunchMs: launchMs,
    bareNodeStartMs: stats(bare),
    helloPagePaintMs: stats(hello),
    hostsScreenPaintMs: stats(hosts),
    hostsServerUrlMs: stats(hostsUrl),
    firstScreenJs: js,
    targets: { startupMs: TARGET_STARTUP_MS, firstScreenJsGzipBytes: TARGET_FIRST_JS_GZIP },
  };
  if (opts.json) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }

  const row = (/** @type {string[]} */ cells) =>
    `  ${cells[0].padEnd(40)}${cells
      .slice(1, 4)
      .map((c) => c.padStart(9))
      .join('')}   ${cells[4] ?? ''}`;
  const timing = (/** @type {string} */ label, s, target = '') =>
    row([label, fmtMs(s.median), fmtMs(s.min), fmtMs(s.max), target]);
  const hostsOk = result.hostsScreenPaintMs.median < TARGET_STARTUP_MS ? 'met' : 'NOT met';
  const jsOk = js.gzip < TARGET_FIRST_JS_GZIP ? 'met' : 'NOT met';
  console.log(
    [
      `StarlingX Lab Console startup bench — ${opts.runs} runs, Node ${process.version}, Chromium ${version} (headless)`,
      '',
      `  Chromium launch (not counted)           ${fmtMs(launchMs)}`,
      '',
      row(['time from spawn', 'median', 'min', 'max', 'target']),
      timing('bare node start → exit', result.bareNodeStartMs),
      timing('node hello server → page painted', result.helloPagePaintMs),
      timing(
        'stx-lab web → Hosts screen painted',
        result.hostsScreenPaintMs,
        `startup < 1.5 s (${hostsOk})`,
      ),
      timing('  of which: until it printed its URL', result.hostsServerUrlMs),
      '',
      `  first-screen JS (${js.files.join(', ')}):`,
      `    raw ${fmtKb(js.raw)}   gzip -9 ${fmtKb(js.gzip)}   brotli ${fmtKb(js.brotli)}` +
        `   target: first-screen JS < 400 KB gzipped (${jsOk})`,
      `    (all JS in out/renderer/assets: ${fmtKb(js.allJs)} raw; 1 kB = 1000 B)`,
    ].join('\n'),
  );
}

try {
  await main();
  clearTimeout(watchdog);
  await shutdown(0);
} catch (err) {
  console.error(`bench: failed while ${step}: ${err instanceof Error ? err.message : String(err)}`);
  await shutdown(1);
}
