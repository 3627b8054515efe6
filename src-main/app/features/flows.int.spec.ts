// The flows part of the contract, through the dispatcher (zod-validated inputs), on this machine
// (`localhost` runs commands as local processes): library, confirm, pause/continue, timeouts,
// `when`, continue-on-error, secrets, history search, timeline, reports.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { flowJsonSchema } from '../../core/flows/flow-schema';
import { findResourcesDir } from '../../core/readiness/resources';
import type { RunEvent } from '../../shared/models/flows';
import { createApp, type App } from '../create-app';
import { localClient } from '../local-client';

let app: App;
let client: ReturnType<typeof localClient>;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stx-flows-app-'));
  app = createApp({ dataDir: join(dir, 'data'), face: 'cli' });
  client = localClient(app.dispatcher);
});
afterEach(() => {
  client.dispose();
  app.close();
});

/** A flow in the user folder of the library (the contract reads no other files). */
function flow(name: string, text: string): string {
  mkdirSync(join(dir, 'data', 'flows'), { recursive: true });
  const file = join(dir, 'data', 'flows', `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('flows through the contract', () => {
  it('lists the built-in and user flows with their problems; get and validate', async () => {
    mkdirSync(join(dir, 'data', 'flows'), { recursive: true });
    writeFileSync(
      join(dir, 'data', 'flows', 'mine.yaml'),
      'id: mine\ntitle: Mine\nsteps:\n  - { id: a, kind: nope }\n',
    );
    const lib = await client.call('flows.list', {});
    expect(lib.userDir).toBe(join(dir, 'data', 'flows'));
    const mine = lib.flows.find((f) => f.id === 'mine');
    expect(mine?.origin).toBe('user');
    expect(mine?.errors[0]).toMatchObject({ line: 4, column: 20 });
    expect(mine?.errors[0]?.message).toMatch(/unknown step kind "nope"/);
    const builtin = lib.flows.filter((f) => f.origin === 'builtin');
    expect(builtin.map((f) => f.id)).toEqual(
      expect.arrayContaining(['multios-readiness', 'devstack', 'flock-bringup']),
    );
    for (const f of builtin) expect(f.errors).toEqual([]);
    const detail = await client.call('flows.get', { file: builtin[0]!.file });
    expect(detail.text).toContain('steps:');
    expect(detail.steps.length).toBe(detail.stepCount);
    const v = await client.call('flows.validate', { text: 'id: x\ntitle: X\nsteps: [}' });
    expect(v.ok).toBe(false);
    expect(v.errors[0]).toMatchObject({ file: '(text)', line: 3 });
    await expect(client.call('flows.validate', {})).rejects.toThrow(/give a file or a text/);
    await expect(client.call('flows.get', { file: '/etc/passwd' })).rejects.toThrow(/\.yaml/);
    // A flow outside the library (or a path that climbs out of it) is refused over the contract.
    const outside = join(dir, 'outside.yaml');
    writeFileSync(
      outside,
      'id: o\ntitle: O\nsteps:\n  - { id: a, kind: note, with: { text: hi } }\n',
    );
    const climb = join(dir, 'data', 'flows', '..', 'outside.yaml');
    for (const file of [outside, climb]) {
      await expect(client.call('flows.get', { file })).rejects.toThrow(/not in the flow library/);
      await expect(client.call('runs.start', { file, inputs: {} })).rejects.toThrow(
        /not in the flow library/,
      );
      await expect(client.call('flows.validate', { file })).rejects.toThrow(
        /not in the flow library/,
      );
    }
  });

  it('publishes the flow JSON Schema with every registered kind (kept in step here)', () => {
    // Regenerate: UPDATE_SCHEMAS=1 npx vitest run src-main/app/features/flows.int.spec.ts -t Schema
    const json = flowJsonSchema(app.flows.kinds());
    const file = join(findResourcesDir(), 'schemas', 'flow.schema.json');
    if (process.env.UPDATE_SCHEMAS) writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(json);
    const items = (json as { properties: { steps: { items: { allOf: { if: unknown }[] } } } })
      .properties.steps.items;
    const kinds = items.allOf.map(
      (c) => (c.if as { properties: { kind: { const: string } } }).properties.kind.const,
    );
    expect(kinds).toEqual(expect.arrayContaining(['exec', 'upload', 'confirm', 'api.check']));
  });

  it('a confirm step waits for a person; the evidence is stored and reported', async () => {
    const file = flow(
      'confirm',
      `id: c\ntitle: Confirm\nsteps:\n  - id: look\n    kind: confirm\n    say: Look at the console\n    with: { prompt: "Is the <installer> showing?" }\n  - id: after\n    kind: exec\n    on: localhost\n    needs: look\n    with: { argv: [echo, 'evidence was \${steps.look.outputs.evidence}'] }\n`,
    );
    const events: RunEvent[] = [];
    app.flows.subscribe((e) => events.push(e));
    const { runId } = await client.call('runs.start', { file, inputs: {} });
    await until('the confirm event', () => events.some((e) => e.type === 'confirm'));
    expect((await client.call('runs.get', { id: runId })).status).toBe('waiting');
    await expect(
      client.call('runs.confirm', { id: runId, step: 'after', accept: true }),
    ).rejects.toThrow(/not waiting/);
    await client.call('runs.confirm', {
      id: runId,
      step: 'look',
      accept: true,
      evidence: 'saw it & more',
    });
    expect(await app.flows.done(runId)).toBe('succeeded');
    const run = await client.call('runs.get', { id: runId });
    expect(run.steps[0]?.confirm).toMatchObject({
      accepted: true,
      evidence: 'saw it & more',
      by: expect.stringMatching(/:local$/) as string,
    });
    expect(run.steps[1]?.outputs.stdout).toBe('evidence was saw it & more');
    const html = (await client.call('runs.report', { id: runId, format: 'html' })).text;
    expect(html).toContain('Is the &lt;installer&gt; showing?');
    expect(html).toContain('Evidence: saw it &amp; more');
    expect(html).not.toMatch(/<installer>/);
    expect(html).toMatch(/^<!doctype html>[\s\S]*<style>[\s\S]*<\/html>\n$/);
    const md = (await client.call('runs.report', { id: runId, format: 'markdown' })).text;
    expect(md).toContain('> Look at the console');
    expect(md).toContain('Evidence: saw it & more');
  });

  it('pause holds the next step; continue goes on; when and continue-on-error', async () => {
    const file = flow(
      'pause',
      `id: p\ntitle: Pause\ninputs:\n  extra: { type: boolean, default: false }\nsteps:\n  - id: one\n    kind: exec\n    on: localhost\n    with: { argv: [sleep, '0.3'] }\n  - id: skipped\n    kind: note\n    when: \${inputs.extra}\n  - id: soft\n    kind: exec\n    on: localhost\n    continue-on-error: true\n    with: { argv: ['false'] }\n  - id: two\n    kind: exec\n    on: localhost\n    needs: soft\n    with: { argv: [echo, two] }\n`,
    );
    const { runId } = await client.call('runs.start', { file, inputs: {} });
    expect((await client.call('runs.pause', { id: runId })).status).toBe('paused');
    await new Promise((r) => setTimeout(r, 600));
    let run = await client.call('runs.get', { id: runId });
    expect(run.status).toBe('paused');
    expect(run.steps.map((s) => s.status)).toEqual(['succeeded', 'pending', 'pending', 'pending']);
    await client.call('runs.continue', { id: runId });
    expect(await app.flows.done(runId)).toBe('succeeded');
    run = await client.call('runs.get', { id: runId });
    expect(run.steps.map((s) => [s.id, s.status])).toEqual([
      ['one', 'succeeded'],
      ['skipped', 'skipped'],
      ['soft', 'failed'],
      ['two', 'succeeded'],
    ]);
  });

  it('packages and readiness kinds on this machine', async () => {
    const file = flow(
      'os',
      `id: os\ntitle: OS\nsteps:\n  - id: pk\n    kind: packages\n    on: localhost\n    with: { action: query, names: [bash] }\n  - id: ready\n    kind: readiness\n    on: localhost\n    with: { allow-missing: true }\n`,
    );
    const { runId } = await client.call('runs.start', { file, inputs: {} });
    const status = await app.flows.done(runId);
    const run = await client.call('runs.get', { id: runId });
    expect(status, JSON.stringify(run.steps)).toBe('succeeded');
    const pk = run.steps[0]?.outputs.hosts as Record<string, Record<string, string | null>>;
    expect(pk.localhost?.bash).toMatch(/^\d/);
    const ready = run.steps[1]?.outputs.hosts as Record<
      string,
      { os: string; error: string | null }
    >;
    expect(ready.localhost?.error).toBeNull();
    expect(ready.localhost?.os).not.toBe('');
    expect(run.steps[1]?.hosts[0]?.summary).toMatch(/\d+ met · \d+ missing · \d+ errors/);
  }, 60_000);

  it('a step timeout stops its command and fails the step', async () => {
    const file = flow(
      'timeout',
      `id: t\ntitle: Timeout\nsteps:\n  - id: slow\n    kind: exec\n    on: localhost\n    timeout: 300ms\n    with: { argv: [sleep, '30'] }\n`,
    );
    const t0 = Date.now();
    const { runId } = await client.call('runs.start', { file, inputs: {} });
    expect(await app.flows.done(runId)).toBe('failed');
    expect(Date.now() - t0).toBeLessThan(20_000);
    const run = await client.call('runs.get', { id: runId });
    expect(run.steps[0]?.error).toBe('timed out after 0.3s');
  });

  it('secret inputs never reach SQLite; resume asks for them again', async () => {
    const secret = 'hunter2-very-secret';
    const file = flow(
      'secret',
      `id: s\ntitle: Secret\ninputs:\n  pw: { type: secret }\n  n: { type: number, min: 1 }\nsteps:\n  - id: use\n    kind: exec\n    on: localhost\n    with: { script: 'echo "pw=$PW"; test "$N" -gt 1', env: { PW: '\${inputs.pw}', N: '\${inputs.n}' } }\n`,
    );
    await expect(client.call('runs.start', { file, inputs: { n: 0 } })).rejects.toThrow(
      /inputs\.pw: "pw" is required; inputs\.n: must be at least 1/,
    );
    const { runId } = await client.call('runs.start', { file, inputs: { pw: secret, n: '1' } });
    expect(await app.flows.done(runId)).toBe('failed');
    const run = await client.call('runs.get', { id: runId });
    expect(run.inputs).toEqual({ pw: '••••••', n: 1 });
    expect(run.secretInputs).toEqual(['pw']);
    const log = await client.call('runs.log', { id: runId });
    expect(
      log.lines.map((l) => l.text),
      JSON.stringify(log.lines),
    ).toContain('pw=••••••');
    await expect(client.call('runs.resume', { id: runId, inputs: {} })).rejects.toThrow(
      /"pw" is required/,
    );
    app.flows.store.db.pragma('wal_checkpoint(TRUNCATE)');
    const dump = JSON.stringify(
      [
        'flow_runs',
        'flow_run_steps',
        'flow_run_hosts',
        'flow_run_events',
        'flow_run_logs',
        'audit',
      ].map((t) => app.flows.store.db.prepare(`SELECT * FROM ${t}`).all()),
    );
    expect(dump).not.toContain(secret);
    expect(dump).toContain('pw=••••••');
  });

  it('history: list with search and filters, log search, timeline for replay, delete', async () => {
    const file = flow(
      'hist',
      `id: hist\ntitle: History\nsteps:\n  - id: words\n    kind: exec\n    on: localhost\n    with: { script: 'for i in 1 2 3; do echo "alpha line $i"; done; echo zebra' }\n`,
    );
    const a = await client.call('runs.start', { file, inputs: {} });
    await app.flows.done(a.runId);
    const b = await client.call('runs.start', { file, inputs: {} });
    await app.flows.done(b.runId);
    const all = await client.call('runs.list', {});
    expect(all.runs.map((r) => r.id)).toEqual([b.runId, a.runId]);
    expect((await client.call('runs.list', { limit: 1 })).more).toBe(true);
    expect((await client.call('runs.list', { status: 'failed' })).runs).toEqual([]);
    expect((await client.call('runs.list', { query: 'zebra', inLog: true })).runs).toHaveLength(2);
    expect((await client.call('runs.list', { query: 'zebra' })).runs).toHaveLength(0);
    const found = await client.call('runs.log', { id: a.runId, search: 'alpha 2' });
    expect(found.lines.map((l) => l.text)).toEqual(['alpha line 2']);
    const tail = await client.call('runs.log', { id: a.runId, limit: 2, tail: true });
    expect(tail.lines.map((l) => l.text)).toEqual(['alpha line 3', 'zebra']);
    expect(tail.more).toBe(true);
    // The step's lines go into the full-text index in the background once it ends.
    await app.flows.indexer.idle();
    const row = app.flows.store.run(a.runId);
    expect(row?.fts_seq).toBe(row?.last_seq);
    const fts = await client.call('runs.log', { id: a.runId, search: 'zebra' });
    expect(fts.lines.map((l) => [l.step, l.host, l.text])).toEqual([
      ['words', 'localhost', 'zebra'],
    ]);
    const tl = await client.call('runs.timeline', { id: a.runId });
    const types = tl.events.map((e) => e.type);
    expect(types[0]).toBe('run');
    expect(types).toContain('log');
    expect(types.at(-1)).toBe('run');
    const seqs = tl.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    const logged = tl.events.flatMap((e) => (e.type === 'log' ? e.lines.map((l) => l.text) : []));
    expect(logged).toEqual(['alpha line 1', 'alpha line 2', 'alpha line 3', 'zebra']);
    await client.call('runs.delete', { id: a.runId });
    await expect(client.call('runs.get', { id: a.runId })).rejects.toThrow(/no run/);
    expect((await client.call('runs.list', { query: 'zebra', inLog: true })).runs).toHaveLength(1);
    await expect(client.call('runs.get', { id: '../etc' })).rejects.toThrow(/not a run id/);
  });
});
