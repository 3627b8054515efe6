// Flows against real sshd servers (the lab-in-a-box): `stx-lab run`, retries, cancel (the remote
// processes die: /proc shows them gone), SIGKILL mid-step then `runs resume`, a 500-step flow, reports.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import { createApp, type App } from '../../app/create-app';
import { localClient } from '../../app/local-client';
import type { RunEvent } from '../../shared/models/flows';
import { startLab, type Lab } from '../../test-support/lab-in-a-box';
import { main } from '../index';

let lab: Lab;
let dir: string;
let inv: string;
let kh: string;

const ROOT = resolve(import.meta.dirname, '../../..');

beforeAll(async () => {
  lab = await startLab({ hosts: 5 });
  dir = mkdtempSync(join(tmpdir(), 'stx-flows-'));
  inv = join(dir, 'inv.ini');
  writeFileSync(
    inv,
    `[lab]\n${lab.hosts
      .map(
        (h, i) =>
          `node${i + 1} ansible_host=${h.host} ansible_port=${h.port} ansible_user=${lab.user} ` +
          `ansible_ssh_private_key_file=${lab.keyPath}`,
      )
      .join('\n')}\n`,
  );
  kh = join(dir, 'known_hosts');
  writeFileSync(kh, lab.knownHostsText());
}, 60_000);
afterAll(async () => {
  await lab.stop();
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

function capture(): { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  return { out, err };
}

function flow(name: string, text: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

/** An app on a fresh data folder with the lab's hosts in its inventory (group `lab`). */
async function labApp(): Promise<{ app: App; data: string }> {
  const data = mkdtempSync(join(dir, 'data-'));
  const app = createApp({ dataDir: data, face: 'cli', ssh: { userKnownHosts: kh } });
  const client = localClient(app.dispatcher);
  await client.call('groups.save', { name: 'lab' });
  for (const [i, h] of lab.hosts.entries()) {
    await client.call('hosts.save', {
      name: `node${i + 1}`,
      address: h.host,
      port: h.port,
      user: lab.user,
      groups: ['lab'],
      auth: { kind: 'key', keyPath: lab.keyPath },
    });
  }
  client.dispose();
  return { app, data };
}

/** Like `pgrep -f MARKER`, from /proc (no procps needed): pids whose command line has it. */
const pgrep = (marker: string): string[] =>
  readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p) && p !== String(process.pid))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(marker);
      } catch {
        return false; // exited meanwhile
      }
    });

async function until(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('flows on real sshd', () => {
  it('runs a 3-step flow on 5 hosts; the JUnit report has one case per step × host', async () => {
    const file = flow(
      'three',
      `id: three
title: Three steps
inputs:
  who: { type: host-pattern, default: "@lab" }
steps:
  - id: hello
    kind: exec
    on: \${inputs.who}
    with: { argv: [sh, -c, 'echo "hello from $SSH_CONNECTION"'] }
  - id: kernel
    kind: exec
    on: \${inputs.who}
    needs: hello
    with: { argv: [uname, -s] }
    outputs: { kernel: '\${result.stdout}' }
  - id: check
    kind: exec
    on: \${inputs.who}
    needs: kernel
    with: { argv: [test, '\${steps.kernel.outputs.kernel}', '=', Linux] }
`,
    );
    const junit = join(dir, 'three.xml');
    const data = mkdtempSync(join(dir, 'data-'));
    const io = capture();
    const code = await main([
      '--data',
      data,
      'run',
      file,
      '-i',
      inv,
      '--known-hosts',
      kh,
      '--junit',
      junit,
      '--json',
    ]);
    expect(io.err.join('\n')).not.toMatch(/error/i);
    expect(code).toBe(0);
    const run = JSON.parse(io.out.join('\n')) as {
      status: string;
      steps: {
        id: string;
        status: string;
        hosts: { host: string; status: string }[];
        outputs: Record<string, unknown>;
      }[];
    };
    expect(run.status).toBe('succeeded');
    expect(run.steps.map((s) => [s.id, s.status, s.hosts.length])).toEqual([
      ['hello', 'succeeded', 5],
      ['kernel', 'succeeded', 5],
      ['check', 'succeeded', 5],
    ]);
    expect(run.steps[1]?.outputs.kernel).toBe('Linux');
    const xml = readFileSync(junit, 'utf8');
    const cases = [...xml.matchAll(/<testcase classname="three\.(\w+)" name="(\w+) @ (node\d)"/g)];
    expect(cases.map((m) => `${m[2]}@${m[3]}`)).toEqual(
      ['hello', 'kernel', 'check'].flatMap((s) => [1, 2, 3, 4, 5].map((n) => `${s}@node${n}`)),
    );
    expect(xml).toMatch(/<testsuites name="Three steps" tests="15" failures="0"/);
    expect(xml).not.toContain('<failure');
  }, 60_000);

  it('a failing step with retries fails after exactly N+1 tries, then the run fails', async () => {
    const { app } = await labApp();
    try {
      // In /tmp itself: the lab's user (not root) writes it.
      const marker = join(tmpdir(), `stx-flow-tries-${process.pid}-${Date.now()}`);
      const file = flow(
        'retry',
        `id: retry
title: Retry
steps:
  - id: flaky
    kind: exec
    on: node1
    retries: { count: 2, backoff: 50ms }
    with: { script: 'echo try >> ${marker}; echo failing; exit 3' }
  - id: after
    kind: note
    needs: flaky
`,
      );
      const { runId } = app.flows.start({ file, inputs: {} }, { actor: 'test' });
      expect(await app.flows.done(runId)).toBe('failed');
      expect(readFileSync(marker, 'utf8').trim().split('\n')).toHaveLength(3);
      rmSync(marker, { force: true });
      const run = app.flows.get(runId);
      expect(run.steps.map((s) => [s.id, s.status, s.attempts])).toEqual([
        ['flaky', 'failed', 3],
        ['after', 'pending', 0],
      ]);
      const log = app.flows.log(runId, { limit: 100, tail: false });
      expect(log.lines.filter((l) => l.text === 'failing')).toHaveLength(3);
      expect(log.lines.map((l) => l.text)).toContain('try 2 of 3 failed; retrying in 0.1s');
      const junit = app.flows.report(runId, 'junit').text;
      expect(junit).toMatch(/<failure message="exit 3" type="exec">[^<]*failing/);
      expect(junit).toMatch(/<testcase classname="retry.after" name="after"[^>]*>\s*<skipped/);
      const md = app.flows.report(runId, 'markdown').text;
      expect(md).toContain('| flaky | exec | failed | 3 |');
      expect(md).toContain('Status: **failed** — step "flaky" failed');
    } finally {
      app.close();
    }
  }, 60_000);

  it('cancel stops the run and kills the remote processes', async () => {
    const { app } = await labApp();
    try {
      const marker = `stx-cancel-${Date.now()}`;
      const file = flow(
        'cancel',
        `id: cancel
title: Cancel
steps:
  - id: long
    kind: exec
    on: "@lab"
    with: { argv: [sh, -c, 'echo started; sleep 300; : ${marker}'] }
  - id: never
    kind: note
`,
      );
      const events: RunEvent[] = [];
      app.flows.subscribe((e) => events.push(e));
      const { runId } = app.flows.start({ file, inputs: {} }, { actor: 'test' });
      // Each host's shell carries the marker (the executor's wrapper may too).
      await until('5 remote shells', () => pgrep(marker).length >= 5);
      await until(
        'output',
        () => app.flows.log(runId, { limit: 10, tail: false }).lines.length >= 5,
      );
      expect(app.flows.cancel(runId).status).toBe('cancelled');
      expect(await app.flows.done(runId)).toBe('cancelled');
      await until('remote processes gone', () => pgrep(marker).length === 0, 10_000);
      const run = app.flows.get(runId);
      expect(run.steps.map((s) => s.status)).toEqual(['cancelled', 'cancelled']);
      expect(run.steps[0]?.hosts.every((h) => h.status === 'cancelled')).toBe(true);
      const statuses = events
        .filter((e) => e.type === 'run')
        .map((e) => (e as { status: string }).status);
      expect(statuses).toEqual(['running', 'cancelled']);
      const seqs = events.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    } finally {
      app.close();
    }
  }, 60_000);

  it('a run killed with SIGKILL mid-step resumes and completes with nothing lost', async () => {
    const data = mkdtempSync(join(dir, 'data-'));
    const file = flow(
      'crash',
      `id: crash
title: Crash and resume
steps:
  - id: first
    kind: exec
    on: node1
    with: { argv: [echo, first-output] }
    outputs: { word: '\${result.stdout}' }
  - id: slow
    kind: exec
    on: node1,node2
    needs: first
    with: { script: 'for i in $(seq 1 30); do echo "line-$i"; sleep 0.1; done' }
  - id: last
    kind: exec
    on: node3
    needs: slow
    with: { argv: [echo, 'restored \${steps.first.outputs.word}'] }
`,
    );
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin/stx-lab.mjs'), '--data', data, 'run', file, '-i', inv, '--known-hosts', kh],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let childErr = '';
    child.stderr.on('data', (d: Buffer) => (childErr += d.toString()));
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    // A second app on the same data folder follows the run, as the desktop would.
    const watcher = createApp({ dataDir: data, face: 'cli' });
    let before: string[] = [];
    let runId = '';
    try {
      await until(
        'the slow step to be half-way',
        () => {
          const r = watcher.flows.list({ limit: 1, inLog: false });
          runId = r.runs[0]?.id ?? '';
          if (!runId) return false;
          const lines = watcher.flows.log(runId, { step: 'slow', limit: 1000, tail: false }).lines;
          before = lines.map((l) => `${l.host}:${l.text}`);
          return lines.length >= 20;
        },
        30_000,
      );
      child.kill('SIGKILL');
      await exited;
      expect(watcher.flows.get(runId).status).toBe('running');
    } finally {
      watcher.close();
    }
    expect(childErr).toContain('step slow running');
    // Restart: the run shows as interrupted, then resumes from the unfinished step.
    const again = createApp({ dataDir: data, face: 'cli' });
    try {
      const r = again.flows.get(runId);
      expect(r.status).toBe('interrupted');
      expect(r.steps.map((s) => s.status)).toEqual(['succeeded', 'interrupted', 'pending']);
    } finally {
      again.close();
    }
    const io = capture();
    const code = await main([
      '--data',
      data,
      'runs',
      'resume',
      runId,
      '-i',
      inv,
      '--known-hosts',
      kh,
    ]);
    expect(io.err.join('\n')).toContain(`resuming run ${runId}`);
    expect(code).toBe(0);
    const done = createApp({ dataDir: data, face: 'cli' });
    try {
      const run = done.flows.get(runId);
      expect(run.status).toBe('succeeded');
      expect(run.steps.map((s) => [s.id, s.status])).toEqual([
        ['first', 'succeeded'],
        ['slow', 'succeeded'],
        ['last', 'succeeded'],
      ]);
      expect(run.steps[2]?.outputs.stdout).toBe('restored first-output');
      const all = done.flows.log(runId, { limit: 10_000, tail: false }).lines;
      const slow = all.filter((l) => l.step === 'slow').map((l) => `${l.host}:${l.text}`);
      // Every line stored before the kill is still there, in order, and the rerun is complete.
      expect(slow.slice(0, before.length)).toEqual(before);
      for (const host of ['node1', 'node2']) {
        const rerun = slow.slice(before.length).filter((l) => l.startsWith(`${host}:`));
        expect(rerun).toEqual(Array.from({ length: 30 }, (_, i) => `${host}:line-${i + 1}`));
      }
      expect(all.filter((l) => l.step === 'first').map((l) => l.text)).toEqual(['first-output']);
      const seqs = all.map((l) => l.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      const timeline = done.flows.timeline(runId, 0, 100_000);
      const runStates = timeline.events
        .filter((e) => e.type === 'run')
        .map((e) => (e as { status: string }).status);
      expect(runStates).toEqual(['running', 'running', 'succeeded']);
    } finally {
      done.close();
    }
  }, 90_000);

  it('runs a 500-step flow', async () => {
    const { app } = await labApp();
    try {
      const steps = Array.from(
        { length: 500 },
        (_, i) =>
          `  - id: s${i}\n    kind: exec\n    on: node${(i % 5) + 1}\n` +
          (i > 0 ? `    needs: s${i - 1}\n` : '') +
          `    with: { argv: [echo, 'step-${i}'] }\n`,
      );
      const file = flow('five-hundred', `id: many\ntitle: Many\nsteps:\n${steps.join('')}`);
      const { runId } = app.flows.start({ file, inputs: {}, forks: 5 }, { actor: 'test' });
      expect(await app.flows.done(runId)).toBe('succeeded');
      const run = app.flows.get(runId);
      expect(run.counts).toEqual({ total: 500, succeeded: 500, failed: 0, skipped: 0, running: 0 });
      const log = app.flows.log(runId, { limit: 1000, tail: false });
      expect(log.lines.map((l) => l.text)).toEqual(
        Array.from({ length: 500 }, (_, i) => `step-${i}`),
      );
      const found = app.flows.log(runId, { search: 'step-499', limit: 10, tail: false });
      expect(found.lines.map((l) => [l.step, l.host])).toEqual([['s499', 'node5']]);
      const html = app.flows.report(runId, 'html').text;
      expect(html.match(/<tr><td>s\d+<\/td>/g)).toHaveLength(500);
    } finally {
      app.close();
    }
  }, 180_000);

  it('upload (sha256-checked) and wait-for-ssh while a host comes back', async () => {
    const { app } = await labApp();
    try {
      const src = join(dir, 'payload.bin');
      writeFileSync(src, Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7) % 256)));
      const dest = `/tmp/stx-flow-upload-${process.pid}-${Date.now()}.bin`;
      const file = flow(
        'upload',
        `id: up\ntitle: Upload\nsteps:\n  - id: wait\n    kind: wait-for-ssh\n    on: node1,node2\n    with: { within: 30s, interval: 200ms }\n  - id: put\n    kind: upload\n    on: node1,node2\n    needs: wait\n    with: { src: '${src}', dest: '${dest}' }\n  - id: sum\n    kind: exec\n    on: node1,node2\n    needs: put\n    with: { argv: [sha256sum, '${dest}'] }\n`,
      );
      lab.kill(lab.hosts[1]!.name);
      const { runId } = app.flows.start({ file, inputs: {} }, { actor: 'test' });
      await until('node2 being waited for', () =>
        app.flows.log(runId, { limit: 100, tail: false }).lines.some((l) => l.host === 'node2'),
      );
      await lab.restart(lab.hosts[1]!.name);
      expect(await app.flows.done(runId)).toBe('succeeded');
      const run = app.flows.get(runId);
      const sha = run.steps[1]?.outputs.sha256 as string;
      expect(sha).toMatch(/^[0-9a-f]{64}$/);
      const sums = run.steps[2]?.outputs.hosts as Record<string, { stdout: string }>;
      expect(sums.node1?.stdout).toBe(`${sha}  ${dest}`);
      expect(sums.node2?.stdout).toBe(`${sha}  ${dest}`);
      expect(run.steps[0]?.hosts.find((h) => h.host === 'node2')?.summary).toMatch(
        /up after \d+ tries/,
      );
      rmSync(dest, { force: true });
    } finally {
      app.close();
    }
  }, 60_000);

  it('a confirm step fails clearly without a terminal, and passes with --yes', async () => {
    const data = mkdtempSync(join(dir, 'data-'));
    const file = flow(
      'ask',
      'id: ask\ntitle: Ask\nsteps:\n  - id: ok\n    kind: confirm\n    with: { prompt: "Lights on?" }\n',
    );
    const io = capture();
    expect(await main(['--data', data, 'run', file])).toBe(1);
    expect(io.err.join('\n')).toContain(
      'step "ok" needs a person to confirm ("Lights on?"); run it on a terminal, or pass --yes',
    );
    process.exitCode = undefined;
    expect(await main(['--data', data, 'run', file, '--yes', '--json'])).toBe(0);
    const run = JSON.parse(io.out.at(-1) ?? '{}') as { steps: { confirm: { evidence: string } }[] };
    expect(run.steps[0]?.confirm.evidence).toBe('confirmed with --yes on the command line');
  }, 30_000);

  it('refuses a bad flow before anything runs, naming file, line and column', async () => {
    const data = mkdtempSync(join(dir, 'data-'));
    const file = flow(
      'bad',
      'id: bad\ntitle: Bad\nsteps:\n  - id: a\n    kind: exec\n    on: node1\n    with: { argv: [echo], timeout: 3 }\n',
    );
    const io = capture();
    const code = await main(['--data', data, 'run', file, '-i', inv, '--known-hosts', kh]);
    expect(code).toBe(1);
    expect(io.err.join('\n')).toContain(`${file}:7:27: steps.0.with: Unrecognized key: "timeout"`);
    process.exitCode = undefined;
    expect(await main(['--data', data, 'runs', 'list'])).toBe(0);
    expect(io.out.join('\n')).toContain('no runs');
  }, 30_000);
});
