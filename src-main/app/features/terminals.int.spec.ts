// Terminals through the contract against real sshd servers (lab-in-a-box) and a real local pty:
// over the browser host's WebSocket, over the desktop IPC transport, and in process.
import { createHash } from 'node:crypto';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { TERMINAL_FLOW } from '../../shared/contract-terminals';
import type { AppContract } from '../../shared/contract';
import { startLab, type Lab } from '../../test-support/lab-in-a-box';
import { requirements } from '../../test-support/requirements';
import { TermUnderTest, until } from '../../test-support/terminal-harness';
import {
  ipcTransport,
  websocketTransport,
  type Connected,
  type TransportUnderTest,
} from '../../test-support/transports';
import { createApp, type App } from '../create-app';
import type { Logger } from '../dispatcher';

const quiet: Logger = { info() {}, warn() {}, error() {} };
const ok = requirements({ commands: ['base64', 'sha256sum', 'bash'] });

let lab: Lab;
let app: App;
let dataDir: string;
const transports: Record<string, TransportUnderTest> = {};
const conns: Record<string, Connected<AppContract>> = {};
const size = { cols: 80, rows: 24 };

beforeAll(async () => {
  if (!ok) return;
  lab = await startLab({ hosts: 3 });
  dataDir = mkdtempSync(join(tmpdir(), 'stx-term-'));
  const kh = join(dataDir, 'user_known_hosts');
  writeFileSync(kh, lab.knownHostsText());
  app = createApp({ dataDir, face: 'web', log: quiet, ssh: { userKnownHosts: kh } });
  transports.websocket = await websocketTransport(app.dispatcher);
  transports.ipc = ipcTransport(app.dispatcher);
  for (const k of ['websocket', 'ipc']) conns[k] = await transports[k]!.connect<AppContract>();
  const c = conns.websocket!.client;
  for (const [i, h] of lab.hosts.entries()) {
    await c.call('hosts.save', {
      name: `n${i + 1}`,
      address: h.host,
      port: h.port,
      user: lab.user,
      auth: { kind: 'key', keyPath: lab.keyPath },
    });
  }
}, 90_000);

afterAll(async () => {
  if (!ok) return;
  for (const c of Object.values(conns)) await c.close();
  for (const t of Object.values(transports)) await t.stop();
  app?.close();
  await lab?.stop();
});

const ws = () => conns.websocket!.client;
const ssh = (host: string) => ({ target: { kind: 'ssh' as const, host }, ...size });

describe.skipIf(!ok).each(['websocket', 'ipc'] as const)('a terminal over %s', (kind) => {
  it('runs echo, follows a resize and closes on cancel', async () => {
    const seen: string[] = [];
    const off = conns[kind]!.client.on('terminals.changed', (e) =>
      seen.push(`${e.action}:${e.id}`),
    );
    const t = new TermUnderTest(conns[kind]!.client, ssh('n1'));
    await t.ready;
    expect(t.id).toMatch(/^t-/);
    await t.type('echo hello-$((40+2))\r');
    await t.waitFor(/hello-42/);
    await conns[kind]!.client.call('terminals.resize', { id: t.id, cols: 100, rows: 40 });
    const mark = t.text.length;
    await t.type('stty size\r');
    await t.waitFor(/\r\n40 100\r\n/, 20_000, mark);
    const list = await conns[kind]!.client.call('terminals.list', {});
    expect(list.find((x) => x.id === t.id)).toMatchObject({ cols: 100, rows: 40, host: 'n1' });
    const end = await t.close();
    expect(end).toMatchObject({ id: t.id, reason: 'closed' });
    expect((await ws().call('terminals.list', {})).map((x) => x.id)).not.toContain(t.id);
    await until(() => seen.includes(`closed:${t.id}`), 5000, 'terminals.changed closed');
    expect(seen).toContain(`opened:${t.id}`);
    off();
  });

  it('stops `yes` with Ctrl-C', async () => {
    const t = new TermUnderTest(conns[kind]!.client, ssh('n1'));
    await t.ready;
    await t.type('yes\r');
    await t.waitFor(/(y\r\n){200}/);
    await t.type('\x03');
    const mark = t.text.length;
    await t.type('echo stopped-$((6*7))\r');
    await t.waitFor(/stopped-42/, 20_000, mark);
    await t.type('exit 7\r');
    expect(await t.done).toMatchObject({ reason: 'exit', exitCode: 7 });
  });
});

describe.skipIf(!ok)('lossless flow control', () => {
  it('delivers 20 MB of base64 complete while acking slowly, with bounded in-flight data', async () => {
    const t = new TermUnderTest(ws(), ssh('n2'), 'manual');
    await t.ready;
    // Slow renderer: acks what it got every 15 ms, so the source keeps hitting the high mark.
    const acker = setInterval(() => t.ackAll(), 15);
    try {
      await t.type('stty -onlcr; f=$(mktemp)\r');
      await t.type(
        'head -c 20000000 /dev/urandom > $f; echo SUM-$(base64 $f | sha256sum | cut -c1-64)\r',
      );
      const sum = (await t.waitFor(/SUM-([0-9a-f]{64})/, 60_000))[1]!;
      const started = Date.now();
      const from = t.received;
      await t.type('echo BEGIN-$((1+1)); base64 $f; echo END-$((1+1)); rm -f $f\r');
      const begin = (await t.waitFor(/\nBEGIN-2\n/, 60_000)).index! + 9;
      const endAt = (await t.waitFor(/\nEND-2/, 180_000, begin)).index! + 1;
      const secs = (Date.now() - started) / 1000;
      const body = t.text.slice(begin, endAt);
      expect(body.length).toBeGreaterThan(27_000_000);
      expect(createHash('sha256').update(body).digest('hex')).toBe(sum);
      console.log(
        `terminal flow: ${((t.received - from) / 1e6).toFixed(1)} MB in ${secs.toFixed(2)} s ` +
          `(${((t.received - from) / 1e6 / secs).toFixed(1)} MB/s, slow acker), ` +
          `peak unacked ${(t.peakOutstanding / 1024).toFixed(0)} KiB`,
      );
      // Never more in flight than the high mark plus what crossed it.
      expect(t.peakOutstanding).toBeLessThanOrEqual(
        TERMINAL_FLOW.highWater + 2 * TERMINAL_FLOW.maxChunk,
      );
    } finally {
      clearInterval(acker);
    }
    t.ackAll();
    await t.close();
  }, 300_000);

  it('is lossless on a local pty too (node-pty paused and resumed)', async () => {
    const t = new TermUnderTest(
      ws(),
      { target: { kind: 'local', shell: '/bin/sh' }, ...size },
      'manual',
    );
    await t.ready;
    const acker = setInterval(() => t.ackAll(), 15);
    try {
      await t.type('stty -onlcr; f=$(mktemp); head -c 6000000 /dev/urandom > $f\r');
      await t.type('echo SUM-$(base64 $f | sha256sum | cut -c1-64)\r');
      const sum = (await t.waitFor(/SUM-([0-9a-f]{64})/, 60_000))[1]!;
      await t.type('echo BEGIN-$((1+1)); base64 $f; echo END-$((1+1)); rm -f $f\r');
      const begin = (await t.waitFor(/\nBEGIN-2\n/, 60_000)).index! + 9;
      const endAt = (await t.waitFor(/\nEND-2/, 120_000, begin)).index! + 1;
      const body = t.text.slice(begin, endAt);
      expect(createHash('sha256').update(body).digest('hex')).toBe(sum);
      expect(t.peakOutstanding).toBeLessThanOrEqual(
        TERMINAL_FLOW.highWater + 2 * TERMINAL_FLOW.maxChunk,
      );
    } finally {
      clearInterval(acker);
    }
    t.ackAll();
    await t.close();
  }, 180_000);

  it('pauses the source without acks (bounded), lets Ctrl-C through, resumes on ack', async () => {
    const t = new TermUnderTest(ws(), ssh('n2'), 'manual');
    await t.ready;
    await t.type('yes stx-flow-probe-7\r');
    // No acks: the output stops near the high mark and stays there.
    await until(() => t.received > TERMINAL_FLOW.highWater, 30_000, 'output beyond the high mark');
    let last = -1;
    for (let stable = 0; stable < 25;) {
      await new Promise((r) => setTimeout(r, 40));
      if (t.received === last && t.received > 0) stable++;
      else stable = 0;
      last = t.received;
    }
    const stalled = t.received;
    expect(stalled).toBeGreaterThan(TERMINAL_FLOW.highWater);
    expect(stalled).toBeLessThanOrEqual(TERMINAL_FLOW.highWater + 2 * TERMINAL_FLOW.maxChunk);
    const info = (await ws().call('terminals.list', {})).find((x) => x.id === t.id)!;
    expect(info).toMatchObject({ paused: true, unacked: stalled });
    // Backpressure reaches the remote: `yes` itself is blocked (its write count stands still),
    // so nothing piles up in the app or in ssh2 while the renderer does not ack.
    const probe =
      'for d in /proc/[0-9]*; do [ "$(tr "\\0" " " < $d/cmdline 2>/dev/null)" = ' +
      '"yes stx-flow-probe-7 " ] && p=${d#/proc/}; done; ' +
      'a=$(grep wchar /proc/$p/io); sleep 1; b=$(grep wchar /proc/$p/io); echo "$a $b"';
    const report = await ws().call('exec.run', { pattern: 'n2', argv: ['sh', '-c', probe] });
    const io = /^wchar: (\d+) wchar: (\d+)$/.exec(report.hosts[0]!.stdout.trim());
    expect(io, report.hosts[0]!.stdout).not.toBeNull();
    expect(io![2]).toBe(io![1]);
    // Ctrl-C goes through while paused; acking lets the rest (and the prompt) arrive.
    await t.type('\x03');
    t.ackMode = 'auto';
    t.ackAll();
    await t.type('echo after-$((2+3))\r');
    await t.waitFor(/after-5/, 30_000, 0);
    expect((await ws().call('terminals.list', {})).find((x) => x.id === t.id)?.paused).toBe(false);
    await t.close();
  }, 60_000);
});

describe.skipIf(!ok)('local shells, logs, secret prompts, broadcast, connection loss', () => {
  it('opens a local shell through node-pty (and localhost from the inventory)', async () => {
    const t = new TermUnderTest(ws(), { target: { kind: 'local', shell: '/bin/sh' }, ...size });
    await t.ready;
    await t.type('echo local-$((2+3)) $TERM\r');
    await t.waitFor(/local-5 xterm-256color/);
    // A prompt no pattern knows, seen through the pty's termios (echo off, canonical input).
    await t.type("stty -echo; printf 'Enter the code> '; read x; stty echo; echo got-$x\r");
    await until(() => t.states.includes(true), 20_000, 'termios secret state');
    const info = (await ws().call('terminals.list', {})).find((x) => x.id === t.id);
    expect(info?.promptSecret).toBe(true);
    await t.type('abc\r');
    await t.waitFor(/got-abc/);
    await until(() => t.states.at(-1) === false, 20_000, 'secret state cleared');
    await t.type('exit 3\r');
    expect(await t.done).toMatchObject({ reason: 'exit', exitCode: 3 });
    const l = new TermUnderTest(ws(), ssh('localhost'));
    await l.ready;
    await l.type('echo inv-$((3+4))\r');
    await l.waitFor(/inv-7/);
    expect(await l.close()).toMatchObject({ reason: 'closed' });
    await expect(
      ws().call('terminals.open', { target: { kind: 'local', shell: '/usr/bin/env' }, ...size }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('records the session, never what is typed at a password prompt, and finds it', async () => {
    const t = new TermUnderTest(ws(), ssh('n1'));
    await t.ready;
    expect(t.logId).toMatch(/^n1\/\d{8}T\d{6}Z-t-.*\.cast$/);
    await t.type(`bash -c 'read -s -p "Password: " pw; echo; echo got-\${#pw}-chars'\r`);
    await until(() => t.states.includes(true), 20_000, 'secret prompt state');
    const info = (await ws().call('terminals.list', {})).find((x) => x.id === t.id);
    expect(info?.promptSecret).toBe(true);
    await t.type('hunter2-Secret\r');
    await t.waitFor(/got-14-chars/);
    expect(t.states).toEqual([true, false]);
    await t.close();
    const logs = await ws().call('terminals.logs.list', { host: 'n1' });
    const entry = logs.find((l) => l.id === t.logId)!;
    expect(entry).toMatchObject({ host: 'n1', live: false, title: `${lab.user}@n1` });
    expect(statSync(entry.path).mode & 0o777).toBe(0o600);
    const text = await ws().call('terminals.logs.read', { id: t.logId! });
    expect(text.content).toContain('Password: ');
    expect(text.content).toContain('got-14-chars');
    expect(text.content).not.toContain('hunter2');
    const cast = await ws().call('terminals.logs.read', { id: t.logId!, format: 'cast' });
    expect(cast.content).not.toContain('hunter2');
    const found = await ws().call('terminals.logs.search', { query: 'GOT-14', host: 'n1' });
    expect(found.hits.map((h) => h.id)).toContain(t.logId);
    await expect(ws().call('terminals.logs.read', { id: '../known_hosts' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });

  it('broadcasts to two terminals, skips a secret prompt and holds destructive lines', async () => {
    const a = new TermUnderTest(ws(), ssh('n1'));
    const b = new TermUnderTest(ws(), ssh('n2'));
    await Promise.all([a.ready, b.ready]);
    const ids = [a.id, b.id];
    let r = await ws().call('terminals.broadcast', { ids, data: 'echo bc-$((6*7))\r' });
    expect(r).toMatchObject({ sent: 2, skipped: 0 });
    await Promise.all([a.waitFor(/bc-42/), b.waitFor(/bc-42/)]);

    // Key by key, as xterm sends them: the line is judged when Enter completes it.
    for (const k of 'rm -rf /tmp/stx-none-$$')
      await ws().call('terminals.broadcast', { ids, data: k });
    r = await ws().call('terminals.broadcast', { ids, data: '\r' });
    expect(r.sent).toBe(0);
    expect(r.results).toEqual([
      expect.objectContaining({ id: a.id, reason: 'needs-confirmation' }),
      expect.objectContaining({ id: b.id, reason: 'needs-confirmation' }),
    ]);
    r = await ws().call('terminals.broadcast', { ids, data: '\r', confirmed: true });
    expect(r.sent).toBe(2);

    // One terminal at a password prompt is left out unless allowed.
    await b.type(`bash -c 'read -s -p "Password: " pw; echo pw-\${#pw}'\r`);
    await until(() => b.states.at(-1) === true, 20_000, 'secret prompt on b');
    r = await ws().call('terminals.broadcast', { ids, data: 'echo two-$((1+1))\r' });
    expect(r.results).toEqual([
      { id: a.id, status: 'sent' },
      { id: b.id, status: 'skipped', reason: 'secret-prompt' },
    ]);
    await a.waitFor(/two-2/);
    r = await ws().call('terminals.broadcast', {
      ids: [b.id],
      data: 'abc\r',
      allowSecretPrompt: true,
    });
    expect(r.sent).toBe(1);
    await b.waitFor(/pw-3/);
    const audit = app.services.audit.recent(200).filter((e) => e.action === 'terminal.broadcast');
    const secret = audit.find(
      (e) => (e.detail.sent as string[]).includes(b.id) && e.detail.data === null,
    );
    expect(secret?.detail.redacted).toBe('a target was at a secret prompt');
    expect(JSON.stringify(audit)).not.toContain('abc\\r');
    expect(audit.some((e) => (e.detail.destructive as string[]).includes('rm-rf'))).toBe(true);
    await Promise.all([a.close(), b.close()]);
    const actions = app.services.audit.recent(500).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['terminal.open', 'terminal.close']));
  });

  it('ends with connection-lost when the server dies, and a new open reconnects', async () => {
    const host = lab.hosts[2]!;
    const t = new TermUnderTest(ws(), ssh('n3'));
    await t.ready;
    await t.type('echo up-$((1+1))\r');
    await t.waitFor(/up-2/);
    lab.kill(host.name);
    const end = await t.done;
    expect(end.reason).toBe('connection-lost');
    expect(end.message).toMatch(/lost/);
    await lab.restart(host.name);
    const again = new TermUnderTest(ws(), ssh('n3'));
    await again.ready;
    await again.type('echo back-$((2+2))\r');
    await again.waitFor(/back-4/);
    await again.close();
  }, 60_000);
});
