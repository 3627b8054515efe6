#!/usr/bin/env node
// `npm run bench:terminal` (after `electron-vite build`): terminal output from a real sshd to
// parsed-in-xterm in Chromium, through `stx-lab web` (WebSocket, flow control, xterm write
// callbacks), beside OpenSSH measured in the same run, once before and once after the xterm run:
// `ssh host CMD > /dev/null` (no pty) and `ssh -tt host 'stty -onlcr; CMD' > /dev/null` (a remote
// pty, as in the terminal: same bytes, the pty's own throughput included).
// Prints: MB/s into xterm (bytes counted in xterm's write callback, shown by the pane), MB/s of
// both OpenSSH runs, the load average, the renderer's longest frame (rAF deltas), longest task
// and longest animation frame with the scripts behind it (long-animation-frame), and the
// console's RSS sampled while the page's main thread is blocked (acks stop: the SSH channel is
// paused at the high-water mark, so memory stays flat). Asserts nothing (see bench/README.md).
//
//   node bench/terminal-throughput.mjs [--size-mib 200] [--stall-sec 5] [--renderer webgl|dom]
//                                      [--cpu-profile FILE] [--trace] [--cli PATH] [--json]
// --cli runs another build's bin/stx-lab.mjs (a copy of an older out/, to compare builds).
// --cpu-profile writes a V8 CPU profile of the page while streaming (open it in DevTools) and
// prints the functions with the most self time. --trace records a Chromium trace while streaming
// and prints the longest tasks of the page's main thread with wall time beside thread (CPU) time:
// on a loaded machine a long frame may be the renderer waiting for a core, not working.
// --renderer dom hides WebGL2 from the page, so xterm uses its DOM renderer (the fallback);
// Chromium here runs with --disable-gpu, so "webgl" is software WebGL (SwiftShader).

/* global requestAnimationFrame -- used only inside page.evaluate */
import { execFile, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { chromium } from 'playwright-core';

import { onCleanup, startLab, track } from './lib/lab.mjs';
import { fmtMs, parseArgs, table, timeCommand } from './lib/measure.mjs';
import { cpuMs, longestTasks, topSelf } from './lib/page-profile.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const DEFAULT_CLI = join(ROOT, 'bin/stx-lab.mjs');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'];
const TARGET_MBS = 25;
const TARGET_FRAME_MS = 100;

const opts = parseArgs(process.argv.slice(2), {
  sizeMib: 200,
  stallSec: 5,
  renderer: 'webgl',
  cpuProfile: '',
  trace: false,
  cli: DEFAULT_CLI,
  json: false,
});
const CLI = resolve(opts.cli);
const run = promisify(execFile);
const progress = (s) => console.error(`bench: ${s}`);
const mbps = (bytes, ms) => bytes / 1e6 / (ms / 1000);
const fmtMBs = (v) => (Number.isFinite(v) ? `${v.toFixed(1)} MB/s` : '—');

/** Bytes `head -c N /dev/zero | base64` prints (76-column lines, each ending in \n). */
function base64Output(n) {
  const chars = 4 * Math.ceil(n / 3);
  return chars + Math.ceil(chars / 76);
}

/** OpenSSH streaming `command` to /dev/null, with (`-tt`) or without a remote pty. */
async function openssh(lab, command, pty) {
  const devNull = openSync('/dev/null', 'w');
  try {
    const args = ['-F', lab.sshConfig, ...(pty ? ['-tt'] : []), lab.hosts[0].alias];
    // With a pty, `stty -onlcr` keeps the bytes equal to the terminal run (no \r added).
    args.push(pty ? `stty -onlcr; ${command}` : command);
    const r = await timeCommand('ssh', args, { stdoutFd: devNull, timeoutMs: 600_000 });
    if (r.code !== 0) throw new Error(`ssh exited ${r.code}: ${r.stderr}`);
    return r.ms;
  } finally {
    closeSync(devNull);
  }
}

async function baselines(lab, command, bytes) {
  progress(`OpenSSH: ssh node1 '${command}' > /dev/null, then with -tt`);
  const plain = await openssh(lab, command, false);
  const pty = await openssh(lab, command, true);
  return { plain: mbps(bytes, plain), pty: mbps(bytes, pty) };
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
  const loadStart = loadavg().map((l) => l.toFixed(2));
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

  const sshBefore = await baselines(lab, command, expected);

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
    w.__bench = { maxFrame: 0, maxTask: 0, frames: 0, on: true, loaf: null, loafs: {} };
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
    try {
      // The longest animation frame and, over all frames ≥ 50 ms, script time by source.
      new PerformanceObserver((list) => {
        for (const e of /** @type {any[]} */ (list.getEntries())) {
          if (!w.__bench.on) return;
          const scripts = e.scripts.map((s) => ({
            ms: Math.round(s.duration),
            what: `${s.invokerType} ${s.invoker} → ${s.sourceFunctionName || '?'} ${String(
              s.sourceURL,
            ).replace(/^.*\//, '')}:${s.sourceCharPosition}`,
          }));
          for (const s of scripts) w.__bench.loafs[s.what] = (w.__bench.loafs[s.what] ?? 0) + s.ms;
          if (!w.__bench.loaf || e.duration > w.__bench.loaf.duration) {
            w.__bench.loaf = {
              duration: Math.round(e.duration),
              blocking: Math.round(e.blockingDuration),
              render: Math.round(e.renderStart ? e.startTime + e.duration - e.renderStart : 0),
              styleLayout: Math.round(
                e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0,
              ),
              scripts,
            };
          }
        }
      }).observe({ type: 'long-animation-frame' });
    } catch {
      // no long-animation-frame support
    }
  });
  if (opts.trace)
    await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline', 'v8'] });
  const cdp = opts.cpuProfile ? await page.context().newCDPSession(page) : null;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    await cdp.send('Profiler.start');
  }

  progress(`streaming ${command} into xterm`);
  await page.keyboard.type(command);
  await page.waitForTimeout(300);
  const before = await received();
  const serverCpu0 = cpuMs(child.pid);
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
    return {
      maxFrame: b.maxFrame,
      maxTask: b.maxTask,
      frames: b.frames,
      loaf: b.loaf,
      loafScripts: Object.entries(b.loafs)
        .sort((x, y) => y[1] - x[1])
        .slice(0, 8),
    };
  });
  const serverCpuMs = cpuMs(child.pid) - serverCpu0;
  const tasks = opts.trace ? longestTasks(await browser.stopTracing(), 5) : null;
  let profileTop = [];
  if (cdp) {
    const { profile } = await cdp.send('Profiler.stop');
    writeFileSync(opts.cpuProfile, JSON.stringify(profile));
    profileTop = topSelf(profile, 15);
  }

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
  const sshAfter = await baselines(lab, command, expected);
  await lab.stop();

  const xtermMBs = mbps(got, xtermMs);
  const load = loadavg().map((l) => l.toFixed(2));
  const rssMax = Math.max(...samples);
  const result = {
    sizeMiB: opts.sizeMib,
    renderer,
    xterm: { bytes: got, expected, ms: xtermMs, MBs: xtermMBs },
    openssh: { before: sshBefore, after: sshAfter },
    loadavg: { start: loadStart, end: load },
    frames,
    profileTop,
    tasks,
    serverCpuMs,
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
      [
        'OpenSSH ssh host CMD > /dev/null (no pty)',
        String(expected),
        '',
        `${fmtMBs(sshBefore.plain)} before, ${fmtMBs(sshAfter.plain)} after`,
        '',
      ],
      [
        "OpenSSH ssh -tt host 'stty -onlcr; CMD' > /dev/null",
        String(expected),
        '',
        `${fmtMBs(sshBefore.pty)} before, ${fmtMBs(sshAfter.pty)} after`,
        '',
      ],
    ]),
  );
  const ptyMBs = (sshBefore.pty + sshAfter.pty) / 2;
  console.log(
    `xterm vs OpenSSH with a pty: ${(xtermMBs / ptyMBs).toFixed(2)}×; ` +
      `load average ${loadStart.join(' ')} at start, ${load.join(' ')} at end`,
  );
  console.log('');
  console.log(
    table([
      ['renderer while streaming', 'value', 'target'],
      ['longest frame (rAF delta)', fmtMs(frames.maxFrame), `< ${TARGET_FRAME_MS} ms`],
      ['longest task (longtask)', fmtMs(frames.maxTask), ''],
      ['frames', String(frames.frames), ''],
      ['longest animation frame (LoAF)', fmtMs(frames.loaf?.duration ?? NaN), ''],
      ['  of which style/layout + paint', fmtMs(frames.loaf?.render ?? NaN), ''],
    ]),
  );
  if (frames.loaf?.scripts.length) {
    console.log('scripts in the longest animation frame:');
    for (const s of frames.loaf.scripts) console.log(`  ${fmtMs(s.ms).padStart(7)}  ${s.what}`);
  }
  if (frames.loafScripts.length) {
    console.log('script time in frames ≥ 50 ms, by source:');
    for (const [what, ms] of frames.loafScripts) console.log(`  ${fmtMs(ms).padStart(7)}  ${what}`);
  }
  const perMB = (ms) => `${(ms / (got / 1e6)).toFixed(1)} ms CPU per MB`;
  console.log(
    `stx-lab web (node) while streaming: ${fmtMs(serverCpuMs)} CPU, ${perMB(serverCpuMs)}`,
  );
  if (tasks) {
    console.log(
      `page main thread while streaming (trace): ${fmtMs(tasks.cpuMs)} CPU in tasks ` +
        `(${perMB(tasks.cpuMs)}) of ${fmtMs(tasks.wallMs)} wall; ` +
        `the most CPU one task took: ${fmtMs(tasks.maxCpuMs)}`,
    );
    console.log('longest main-thread tasks (trace): wall / CPU (thread time), and inside:');
    for (const t of tasks.top)
      console.log(`  ${fmtMs(t.wallMs).padStart(7)} / ${fmtMs(t.cpuMs).padStart(7)}  ${t.inside}`);
  }
  if (profileTop.length) {
    console.log(`CPU profile (${opts.cpuProfile}), self time:`);
    for (const p of profileTop)
      console.log(
        `  ${fmtMs(p.ms).padStart(7)} ${(p.share * 100).toFixed(1).padStart(5)}%  ${p.fn}`,
      );
  }
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
