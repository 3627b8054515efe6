#!/usr/bin/env node
// Issue 6's figures: persisting a flow's output while the UI follows the run, and searching
// run history.
//   1. A flow whose one `exec` step runs `seq N` (default 1,000,000 lines) on a real sshd through
//      the app (createApp: fan-out → line splitter → recorder → SQLite), while a follower on a
//      client session receives the `runs.event` broadcast and polls `runs.log {afterSeq}` every
//      16 ms, as the live view would. Printed: lines/s stored, the follower's longest poll and
//      longest event-loop stall (proxy for "< 100 ms per frame"), beside two floors measured in
//      the same run: `ssh host seq N > /dev/null` (transport) and a raw better-sqlite3 insert of
//      the same N lines with one prepared statement (storage). Also: inserting into the FTS5
//      index while inserting (vs. indexing on step completion, what the app does).
//   2. History search over H lines (default 10,000,000: 10 runs × 1,000,000 lines of varied
//      text, written through RunStore and indexed as the app does): `runs.list {query, inLog}`
//      across all runs and `runs.log {search}` in one run, median and max of several queries.
// Asserts nothing (see bench/README.md).
//
//   node bench/flows-log.mjs [--lines 1000000] [--history 10000000] [--runs-in-history 10]
//                            [--skip live,history] [--json]
import './lib/ts-hooks.mjs';

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

import { onCleanup, startLab } from './lib/lab.mjs';
import { fmtMs, median, parseArgs, table, timeCommand } from './lib/measure.mjs';

const opts = parseArgs(process.argv.slice(2), {
  lines: 1_000_000,
  history: 10_000_000,
  runsInHistory: 10,
  skip: '',
  json: false,
});
const skip = new Set(opts.skip.split(',').filter(Boolean));
const progress = (s) => console.error(`bench: ${s}`);
const perSec = (n, ms) => Math.round(n / (ms / 1000));
const fmtRate = (r) => `${r.toLocaleString('en-US')} lines/s`;

const { createApp } = await import('../src-main/app/create-app.ts');
const { localClient } = await import('../src-main/app/local-client.ts');
const { openStore } = await import('../src-main/core/store/database.ts');
const { RunStore, logKey } = await import('../src-main/core/flows/store.ts');
const { listRuns, logPage } = await import('../src-main/core/flows/queries.ts');

const watchdog = setTimeout(() => {
  console.error('bench: timed out');
  process.exit(2);
}, 30 * 60_000).unref();

const work = mkdtempSync(join(tmpdir(), 'stxb-flows-'));
onCleanup(() => rmSync(work, { recursive: true, force: true }));
const results = {};
const rows = [];

// ── 1. live: 1M lines from a remote command into SQLite while a follower polls ──
if (!skip.has('live')) {
  const lab = await startLab({ hosts: 1 });
  const h = lab.hosts[0];
  const env = { ...process.env };
  delete env.SSH_AUTH_SOCK;

  progress(`floor: ssh ${h.name} seq ${opts.lines} > /dev/null …`);
  const sshRun = await timeCommand(
    'ssh',
    ['-F', lab.sshConfig, h.alias, 'seq', String(opts.lines)],
    { env, stdoutFd: 'ignore' },
  );
  if (sshRun.code !== 0) throw new Error(`ssh failed: ${sshRun.stderr}`);

  progress('floor: raw better-sqlite3 insert of the same lines…');
  const raw = (withFts) => {
    const { db } = openStore(join(work, `raw-${withFts ? 'fts' : 'plain'}`));
    const ins = db.prepare(
      'INSERT INTO flow_run_logs (id, at, step, host, stream, text) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const fts = db.prepare('INSERT INTO flow_log_fts (rowid, text) VALUES (?, ?)');
    const t0 = performance.now();
    const at = Date.now();
    const batch = db.transaction((from, to) => {
      for (let i = from; i < to; i++) {
        const id = logKey(1, i + 1);
        const text = String(i + 1);
        ins.run(id, at, 'seq', h.name, 'stdout', text);
        if (withFts) fts.run(id, text);
      }
    });
    for (let i = 0; i < opts.lines; i += 4096) batch(i, Math.min(opts.lines, i + 4096));
    const ms = performance.now() - t0;
    db.close();
    return ms;
  };
  const rawMs = raw(false);
  const rawFtsMs = raw(true);

  progress(`the app: a flow running seq ${opts.lines} on ${h.name}, a follower polling…`);
  const app = createApp({
    dataDir: join(work, 'app'),
    face: 'cli',
    log: { info() {}, warn: (m) => console.error(m), error: (m) => console.error(m) },
    ssh: { userKnownHosts: lab.knownHosts },
  });
  const inventory = {
    hosts: () => [
      {
        name: h.name,
        address: h.host,
        port: h.port,
        user: lab.user,
        auth: { kind: 'key', keyPath: lab.keyPath },
        jump: [],
        connection: 'ssh',
        groups: [],
      },
    ],
    groups: () => [],
  };
  const flowFile = join(work, 'seq.yaml');
  writeFileSync(
    flowFile,
    `id: seq\ntitle: seq\nsteps:\n  - id: seq\n    kind: exec\n    on: ${h.name}\n    with: { argv: [seq, '${opts.lines}'] }\n`,
  );
  // Warm the connection (the desktop keeps a pooled one), then the measured run.
  const warm = app.flows.start(
    { file: flowFile.replace('seq.yaml', 'warm.yaml'), inputs: {} },
    {
      actor: 'bench',
      inventory,
      text: `id: warm\ntitle: warm\nsteps:\n  - id: w\n    kind: exec\n    on: ${h.name}\n    with: { argv: ['true'] }\n`,
    },
  );
  await app.flows.done(warm.runId);

  // Time spent inside the store's log writes (SQLite, synchronous): total and longest call.
  const store = app.flows.store;
  const addLogs = store.addLogs.bind(store);
  let writeMs = 0;
  let writeMaxMs = 0;
  let writes = 0;
  store.addLogs = (n, rows) => {
    const w0 = performance.now();
    addLogs(n, rows);
    const d = performance.now() - w0;
    writeMs += d;
    writes++;
    if (d > writeMaxMs) writeMaxMs = d;
  };
  const client = localClient(app.dispatcher, { face: 'desktop', peer: 'bench' });
  let events = 0;
  let eventLines = 0;
  client.on('runs.event', (e) => {
    events++;
    if (e.type === 'log') eventLines += e.lines.length + (e.omitted ?? 0);
  });
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const { runId } = app.flows.start({ file: flowFile, inputs: {} }, { actor: 'bench', inventory });
  let afterSeq = 0;
  let polls = 0;
  let followed = 0;
  const pollMs = [];
  let done = false;
  const ended = app.flows.done(runId).then((s) => {
    done = true;
    return s;
  });
  // The follower keeps reading until it has every line (the live view catching up at the end).
  while (!done || followed < app.flows.store.run(runId).log_lines) {
    const p0 = performance.now();
    const page = await client.call('runs.log', { id: runId, afterSeq, limit: 5000, tail: false });
    pollMs.push(performance.now() - p0);
    polls++;
    followed += page.lines.length;
    afterSeq = page.lastSeq;
    await new Promise((r) => setTimeout(r, 16));
  }
  const status = await ended;
  const appMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const run = app.flows.get(runId);
  const stored = run.logLines;
  // FTS5 indexing runs in the background after the step, in chunks; the loop monitor covers it.
  const ftsT0 = performance.now();
  await app.flows.indexer.idle();
  const ftsAfterMs = performance.now() - ftsT0 + 0;
  loop.disable();
  client.dispose();
  app.close();
  await lab.stop();

  results.live = {
    lines: opts.lines,
    status,
    stored,
    appMs,
    appRate: perSec(stored, appMs),
    sshMs: sshRun.ms,
    sshRate: perSec(opts.lines, sshRun.ms),
    rawMs,
    rawRate: perSec(opts.lines, rawMs),
    rawFtsMs,
    rawFtsRate: perSec(opts.lines, rawFtsMs),
    polls,
    followed,
    pollMedianMs: median(pollMs),
    pollMaxMs: Math.max(...pollMs),
    loopMaxMs: loop.max / 1e6,
    loopP99Ms: loop.percentile(99) / 1e6,
    events,
    eventLines,
    ftsAfterMs,
    cpuMs,
    writeMs,
    writeMaxMs,
    writes,
  };
  rows.push(
    [
      'the app: seq → SSH → recorder → SQLite, follower caught up',
      fmtMs(appMs),
      fmtRate(results.live.appRate),
    ],
    [`floor: ssh ${h.name} seq N > /dev/null`, fmtMs(sshRun.ms), fmtRate(results.live.sshRate)],
    [
      'floor: raw better-sqlite3 insert, 4096/transaction',
      fmtMs(rawMs),
      fmtRate(results.live.rawRate),
    ],
    [
      'raw insert + FTS5 row by row (FTS while inserting)',
      fmtMs(rawFtsMs),
      fmtRate(results.live.rawFtsRate),
    ],
  );
}

// ── 2. history search over H lines ──
if (!skip.has('history')) {
  const runs = opts.runsInHistory;
  const per = Math.ceil(opts.history / runs);
  progress(
    `history: writing ${runs} runs × ${per.toLocaleString('en-US')} lines through RunStore…`,
  );
  const { db } = openStore(join(work, 'history'));
  const store = new RunStore(db);
  const words = ['kernel', 'sysinv', 'keystone', 'neutron', 'nova', 'ceph', 'mariadb', 'rabbitmq'];
  const levels = ['INFO', 'DEBUG', 'WARNING', 'ERROR'];
  const tw0 = performance.now();
  let ftsMs = 0;
  const ids = [];
  for (let r = 0; r < runs; r++) {
    const id = `hist-${r}`;
    ids.push(id);
    const n = store.createRun({
      id,
      flowId: `flow-${r % 3}`,
      flowTitle: `History ${r}`,
      file: '/dev/null',
      flowText: '',
      inputs: {},
      secretNames: [],
      forks: 10,
      actor: 'bench',
      startedAt: new Date(Date.UTC(2026, 0, 1, 0, r)).toISOString(),
    });
    store.addSteps(n, [{ id: 'work', title: 'work', kind: 'exec', say: null, needs: [] }]);
    const at = Date.now();
    for (let i = 0; i < per; i += 4096) {
      const batch = [];
      for (let j = i; j < Math.min(per, i + 4096); j++) {
        const w = words[j % words.length];
        batch.push({
          seq: j + 1,
          at,
          step: 'work',
          host: `node${j % 16}`,
          stream: 'stdout',
          text: `${levels[j % 4]} ${w}.service[${1000 + (j % 977)}]: request req-${r}-${j} took ${j % 1000} ms token${j % 50_000}`,
        });
      }
      store.addLogs(n, batch);
    }
    const f0 = performance.now();
    store.indexLogs(n);
    ftsMs += performance.now() - f0;
    progress(`  run ${r + 1}/${runs} written`);
  }
  const writeMs = performance.now() - tw0;
  const total = per * runs;
  const queries = [
    'token31337',
    'req-7-424242',
    'keystone ERROR token777',
    'rabbitmq',
    'no-such-word',
  ];
  const across = [];
  const inRun = [];
  const hits = {};
  for (let rep = 0; rep < 3; rep++) {
    for (const q of queries) {
      const a0 = performance.now();
      const r = listRuns(store, { query: q, inLog: true, limit: 50 });
      across.push(performance.now() - a0);
      const b0 = performance.now();
      const page = logPage(store, store.run(ids[Math.min(7, ids.length - 1)]), {
        search: q,
        limit: 200,
        tail: false,
      });
      inRun.push(performance.now() - b0);
      hits[q] = { runs: r.runs.length, linesInRun7: page.lines.length, more: page.more };
    }
  }
  db.close();
  results.history = {
    lines: total,
    writeMs,
    writeRate: perSec(total, writeMs),
    ftsIndexMs: ftsMs,
    acrossMedianMs: median(across),
    acrossMaxMs: Math.max(...across),
    inRunMedianMs: median(inRun),
    inRunMaxMs: Math.max(...inRun),
    hits,
  };
}

clearTimeout(watchdog);
if (opts.json) console.log(JSON.stringify(results, null, 2));
else {
  if (results.live) {
    const l = results.live;
    console.log(
      `\n1. ${l.lines.toLocaleString('en-US')} lines from a remote command (run ${l.status}, ${l.stored.toLocaleString('en-US')} lines stored)\n`,
    );
    console.log(table([['', 'time', 'rate'], ...rows]));
    console.log(
      `\n   target ≥ 200,000 lines/s stored: the app stored ${fmtRate(l.appRate)}` +
        `\n   follower (client session, runs.log every 16 ms): ${l.polls} polls, ${l.followed.toLocaleString('en-US')} lines read,` +
        ` poll median ${fmtMs(l.pollMedianMs)}, longest ${fmtMs(l.pollMaxMs)}` +
        `\n   CPU time of this process during the run: ${fmtMs(l.cpuMs)} of ${fmtMs(l.appMs)} wall (the rest: waiting for SSH, or for a CPU on a busy machine)` +
        `\n   inside SQLite log writes: ${fmtMs(l.writeMs)} in ${l.writes} transactions, longest ${fmtMs(l.writeMaxMs)}` +
        `\n   event loop while storing: longest stall ${fmtMs(l.loopMaxMs)}, p99 ${fmtMs(l.loopP99Ms)} (target: a frame < 100 ms)` +
        `\n   runs.event broadcast: ${l.events} events carrying ${l.eventLines.toLocaleString('en-US')} lines (sent + omitted)` +
        `\n   FTS5 indexing of the step's lines after it ended (background chunks): ${fmtMs(l.ftsAfterMs)} more`,
    );
  }
  if (results.history) {
    const hh = results.history;
    console.log(
      `\n2. history search over ${hh.lines.toLocaleString('en-US')} lines (${opts.runsInHistory} runs)\n` +
        `   written through RunStore in ${fmtMs(hh.writeMs)} (${fmtRate(hh.writeRate)}), FTS5 indexing at step end ${fmtMs(hh.ftsIndexMs)}\n` +
        `   runs.list {query, inLog} across all runs: median ${fmtMs(hh.acrossMedianMs)}, max ${fmtMs(hh.acrossMaxMs)} (target < 200 ms)\n` +
        `   runs.log {search} in one run (first 200 hits): median ${fmtMs(hh.inRunMedianMs)}, max ${fmtMs(hh.inRunMaxMs)}\n` +
        `   hits: ${JSON.stringify(hh.hits)}`,
    );
  }
}
process.exit(0);
