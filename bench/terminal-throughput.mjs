#!/usr/bin/env node
// `npm run bench:terminal` (after `electron-vite build`): terminal output from a real sshd to
// parsed-in-xterm in Chromium, through `stx-lab web` (WebSocket, flow control, xterm write
// callbacks), beside OpenSSH (`ssh host CMD > /dev/null`) measured in the same run.
// Prints: MB/s into xterm (bytes counted in xterm's write callback, shown by the pane), MB/s of
// OpenSSH, the renderer's longest frame (rAF deltas) and longest task while streaming, and the
// console's RSS sampled while the page's main thread is blocked (acks stop: the SSH channel is
// paused at the high-water mark, so memory stays flat). Asserts nothing (see bench/README.md).
//
//   node bench/terminal-throughput.mjs [--size-mib 200] [--stall-sec 5] [--renderer webgl|dom]
//                                      [--json]
// --renderer dom hides WebGL2 from the page, so xterm uses its DOM renderer (the fallback);
// Chromium here runs with --disable-gpu, so "webgl" is software WebGL (SwiftShader).

/* global requestAnimationFrame -- used only inside page.evaluate */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { chromium } from 'playwright-core';

import { onCleanup, startLab, track } from './lib/lab.mjs';
import { fmtMBs, fmtMs, parseArgs, table, timeCommand } from './lib/measure.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'bin/stx-lab.mjs');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'];
const TARGET_MBS = 25;
const TARGET_FRAME_MS = 100;

const opts = parseArgs(process.argv.slice(2), {
  sizeMib: 200,
  stallSec: 5,
  renderer: 'webgl',
  json: false,
});
const run = promisify(execFile);
const progress = (s) => console.error(`bench: ${s}`);
const mbps = (bytes, ms) => bytes / 1e6 / (ms / 1000);

/** Bytes `head -c N /dev/zero | base64` prints (76-column lines, each ending in \n). */
function base64Output(n) {
  const chars = 4 * Math.ceil(n / 3);
  return chars + Math.ceil(chars / 76);
}

function rssKiB(pid) {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

async function startWeb(dataDir) {
  const child = track(
    spawn(process.execPath, [CLI, '--data', dataDir, 'web', '--port', '0'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NO_COLOR: '1' },
    }),
  );
  onCleanup(() => child.kill('SIGKILL'));
  const url = await new Promise((res, rej) => {
    let out = '';
    const timer = setTimeout(() => rej(new Error('stx-lab web printed no URL')), 30_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /serving at (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res(m[1]);
      }
    });
  });
  return { child, url };
}

async function main() {
  const bytes = opts.sizeMib * 1024 * 1024;
  const command = `head -c ${bytes} /dev/zero | base64`;
  const expected = base64Output(bytes);

  progress('starting a real sshd');
  const lab = await startLab({ hosts: 1 });
  const dataDir = mkdtempSync(join(tmpdir(), 'stxb-term-'));
  onCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = { ...process.env, NO_COLOR: '1' };
  await run(process.execPath, [CLI, '--data', dataDir, 'inventory', 'import', lab.inventory], {
    env,
  });
  await run(
    process.execPath,
    [CLI, '--data', dataDir, 'exec', '--accept-new', 'node1', '--', 'true'],
    {
      env,
    },
  );

  progress(`OpenSSH: ssh node1 '${command}' > /dev/null`);
  const ssh = await timeCommand('ssh', ['-F', lab.sshConfig, lab.hosts[0].alias, command], {
    keep: 0,
    timeoutMs: 300_000,
  });

  progress('starting stx-lab web and Chromium');
  const { child, url } = await startWeb(dataDir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  onCleanup(() => void browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  if (opts.renderer === 'dom') {
    await page.addInitScript(() => {
      const proto = globalThis.HTMLCanvasElement.prototype;
      const getContext = proto.getContext;
      proto.getContext = function (type, ...rest) {
        return type === 'webgl2' ? null : getContext.call(this, type, ...rest);
      };
    });
  }
  const u = new URL(url);
  u.hash = '#/terminals';
  await page.goto(u.href);
  await page.getByRole('button', { name: 'Connect to a host…' }).click();
  await page.getByRole('list', { name: 'Hosts' }).getByRole('button', { name: 'node1' }).click();
  const pane = page.getByRole('region', { name: /^Terminal / });
  await page.locator('section[data-status="open"]').waitFor({ timeout: 30_000 });
  const renderer = await pane.getAttribute('data-renderer');
  const received = async () =>
    Number(await pane.getByLabel('Bytes received').getAttribute('data-bytes'));
  const typeLine = async (line) => {
    await page.keyboard.type(line);
    await page.keyboard.press('Enter');
  };
  // No \r added by the pty: the byte count is exactly base64's output.
  await typeLine('stty -onlcr');
  await page.waitForTimeout(500);

  await page.evaluate(() => {
    const w = /** @type {any} */ (globalThis);
    w.__bench = { maxFrame: 0, maxTask: 0, frames: 0, on: true };
    let last = performance.now();
    const tick = (t) => {
      if (!w.__bench.on) return;
      w.__bench.maxFrame = Math.max(w.__bench.maxFrame, t - last);
      w.__bench.frames += 1;
      last = t;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries())
          w.__bench.maxTask = Math.max(w.__bench.maxTask, e.duration);
      }).observe({ type: 'longtask' });
    } catch {
      // no longtask support: rAF deltas only
    }
  });

  progress(`streaming ${command} into xterm`);
  await page.keyboard.type(command);
  await page.waitForTimeout(300);
  const before = await received();
  const t0 = Date.now();
  await page.keyboard.press('Enter');
  let got = 0;
  while (got < expected) {
    await page.waitForTimeout(100);
    got = (await received()) - before;
    if (Date.now() - t0 > 600_000) throw new Error(`stalled at ${got} of ${expected} bytes`);
  }
  const xtermMs = Date.now() - t0;
  const frames = await page.evaluate(() => {
    const b = /** @type {any} */ (globalThis).__bench;
    b.on = false;
    return { maxFrame: b.maxFrame, maxTask: b.maxTask, frames: b.frames };
  });

  progress(`memory while the renderer is stalled for ${opts.stallSec} s`);
  await typeLine('stty onlcr; cat /dev/zero | base64');
  await page.waitForTimeout(1500);
  const rssBefore = rssKiB(child.pid);
  const stallMs = opts.stallSec * 1000;
  const stall = page.evaluate((ms) => {
    const end = performance.now() + ms;
    while (performance.now() < end) {
      // the page's main thread is busy: xterm parses nothing, no ack is sent
    }
  }, stallMs);
  const samples = [];
  const s0 = Date.now();
  while (Date.now() - s0 < stallMs) {
    samples.push(rssKiB(child.pid));
    await new Promise((r) => setTimeout(r, 250));
  }
  await stall;
  await page.waitForTimeout(1000);
  const rssAfter = rssKiB(child.pid);
  await page.keyboard.press('Control+C');
  await page.waitForTimeout(500);
  await browser.close();
  child.kill('SIGTERM');
  await lab.stop();

  const xtermMBs = mbps(got, xtermMs);
  const sshMBs = mbps(expected, ssh.ms);
  const rssMax = Math.max(...samples);
  const result = {
    sizeMiB: opts.sizeMib,
    renderer,
    xterm: { bytes: got, expected, ms: xtermMs, MBs: xtermMBs },
    openssh: { ms: ssh.ms, MBs: sshMBs, code: ssh.code },
    frames,
    rssKiB: { before: rssBefore, maxWhileStalled: rssMax, after: rssAfter, samples },
  };
  if (opts.json) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  console.log(
    table([
      ['path', 'bytes', 'time', 'throughput', 'target'],
      [
        `sshd → stx-lab web → xterm (${renderer})`,
        `${got}${got === expected ? '' : ` (expected ${expected})`}`,
        fmtMs(xtermMs),
        fmtMBs(xtermMBs),
        `≥ ${TARGET_MBS} MB/s`,
      ],
      ['OpenSSH ssh → /dev/null (baseline)', String(expected), fmtMs(ssh.ms), fmtMBs(sshMBs), ''],
    ]),
  );
  console.log('');
  console.log(
    table([
      ['renderer while streaming', 'value', 'target'],
      ['longest frame (rAF delta)', fmtMs(frames.maxFrame), `< ${TARGET_FRAME_MS} ms`],
      ['longest task (longtask)', fmtMs(frames.maxTask), ''],
      ['frames', String(frames.frames), ''],
    ]),
  );
  console.log('');
  const mib = (k) => `${(k / 1024).toFixed(1)} MiB`;
  console.log(
    table([
      [`console RSS, renderer blocked ${opts.stallSec} s (output: cat /dev/zero | base64)`, 'RSS'],
      ['before the stall', mib(rssBefore)],
      ['highest while stalled', `${mib(rssMax)} (${samples.length} samples)`],
      ['1 s after', mib(rssAfter)],
    ]),
  );
}

main()
  .then(() => process.exit(0))
  .catch((err) => {
    console.error(`bench: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  });
