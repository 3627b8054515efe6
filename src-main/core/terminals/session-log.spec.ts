import {
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
  mkdirSync,
  utimesSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { LogStore } from './log-store';
import { SessionLog } from './session-log';

function newLog(root: string, over: Partial<ConstructorParameters<typeof SessionLog>[0]> = {}) {
  const errors: string[] = [];
  const log = new SessionLog({
    root,
    host: 'ctl-0',
    stem: '20260101T000000Z-t-abc',
    title: 'ops@ctl-0',
    cols: 80,
    rows: 24,
    term: 'xterm-256color',
    maxFileBytes: 1024 * 1024,
    onError: (m) => errors.push(m),
    ...over,
  });
  return { log, errors };
}

describe('SessionLog (asciicast v2)', () => {
  it('writes a header and timed output and resize events, mode 0600', async () => {
    const root = mkdtempSync(join(tmpdir(), 'stx-tlog-'));
    const { log, errors } = newLog(root);
    log.output('hello \x1b[31mred\x1b[0m\r\n');
    log.resize(100, 30);
    log.output('ünïcödé\r\n');
    await log.close();
    expect(errors).toEqual([]);
    const path = join(root, 'ctl-0', '20260101T000000Z-t-abc.cast');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(root, 'ctl-0')).mode & 0o777).toBe(0o700);
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({
      version: 2,
      width: 80,
      height: 24,
      title: 'ops@ctl-0',
      env: { TERM: 'xterm-256color' },
    });
    const events = lines.slice(1).map((l) => JSON.parse(l) as [number, string, string]);
    expect(events.map((e) => [e[1], e[2]])).toEqual([
      ['o', 'hello \x1b[31mred\x1b[0m\r\n'],
      ['r', '100x30'],
      ['o', 'ünïcödé\r\n'],
    ]);
    for (const e of events) expect(e[0]).toBeGreaterThanOrEqual(0);
  });

  it('continues in a new part at the size cap; the store deletes the oldest beyond the total', async () => {
    const root = mkdtempSync(join(tmpdir(), 'stx-tlog-'));
    const files: string[] = [];
    const { log } = newLog(root, { maxFileBytes: 4096, onFile: (id) => files.push(id) });
    for (let i = 0; i < 100; i++)
      log.output(`${String(i).padStart(3, '0')} ${'x'.repeat(200)}\r\n`);
    await log.close();
    expect(files.length).toBeGreaterThan(3);
    expect(files[1]).toBe('ctl-0/20260101T000000Z-t-abc-part2.cast');
    const store = new LogStore({ root, live: () => new Set(), maxTotalBytes: 10_000 });
    // Every part is a valid cast with its own header; together they hold all the output.
    let all = '';
    for (const id of files) {
      const chunk = await store.read(id, 0, 1 << 20, 'text');
      all += chunk.content;
      expect(JSON.parse(readFileSync(join(root, id), 'utf8').split('\n')[0]!)).toMatchObject({
        version: 2,
      });
    }
    for (let i = 0; i < 100; i++) expect(all).toContain(`${String(i).padStart(3, '0')} x`);
    // Oldest first: make the first parts older, then enforce the cap.
    files.forEach((id, i) => utimesSync(join(root, id), 1000 + i, 1000 + i));
    const deleted = await store.enforceCap();
    expect(deleted[0]).toBe(files[0]);
    const left = await store.list();
    expect(left.reduce((n, l) => n + l.bytes, 0)).toBeLessThanOrEqual(10_000);
    expect(left.map((l) => l.id)).toContain(files.at(-1));
  });
});

describe('LogStore', () => {
  async function storeWithLogs(): Promise<{ root: string; store: LogStore }> {
    const root = mkdtempSync(join(tmpdir(), 'stx-tlog-'));
    const a = newLog(root).log;
    a.output('\x1b[1mfirst\x1b[0m line\r\nsecond Needle here\r\n');
    await a.close();
    const b = newLog(root, { host: 'wrk-1', stem: '20260101T000001Z-t-def' }).log;
    b.output('nothing to see\r\nneedle again\r\n');
    await b.close();
    return { root, store: new LogStore({ root, live: () => new Set(), maxTotalBytes: 1 << 30 }) };
  }

  it('lists per host and searches without escape sequences', async () => {
    const { store } = await storeWithLogs();
    expect((await store.list()).map((l) => l.host).sort()).toEqual(['ctl-0', 'wrk-1']);
    expect((await store.list('wrk-1')).map((l) => l.title)).toEqual(['ops@ctl-0']);
    const r = await store.search('NEEDLE', undefined, 10);
    expect(r.hits.map((h) => h.excerpt).sort()).toEqual(['needle again', 'second Needle here']);
    expect((await store.search('first line', 'ctl-0', 10)).hits).toHaveLength(1);
    expect((await store.search('needle', 'wrk-1', 10)).hits).toHaveLength(1);
  });

  it('reads text or cast from an offset, on whole lines', async () => {
    const { store } = await storeWithLogs();
    const id = 'ctl-0/20260101T000000Z-t-abc.cast';
    const text = await store.read(id, 0, 1 << 20, 'text');
    expect(text.content).toBe('first line\nsecond Needle here\n');
    expect(text.nextOffset).toBe(text.size);
    const cast = await store.read(id, 5, 1 << 20, 'cast'); // mid-header: starts at the next line
    expect(cast.content.startsWith('[')).toBe(true);
    expect(cast.offset).toBeGreaterThan(5);
  });

  it('refuses ids that are not logs inside the folder', async () => {
    const { root, store } = await storeWithLogs();
    await expect(store.read('../etc/passwd', 0, 10, 'text')).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(store.read('ctl-0/../../x.cast', 0, 10, 'text')).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(store.read('ctl-0/none.cast', 0, 10, 'text')).rejects.toMatchObject({
      code: 'not_found',
    });
    const outside = join(mkdtempSync(join(tmpdir(), 'stx-out-')), 'secret.cast');
    writeFileSync(outside, '{}\n');
    mkdirSync(join(root, 'evil'));
    symlinkSync(outside, join(root, 'evil', 'link.cast'));
    await expect(store.read('evil/link.cast', 0, 10, 'cast')).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('does not delete a log being recorded', async () => {
    const { root } = await storeWithLogs();
    const id = 'ctl-0/20260101T000000Z-t-abc.cast';
    const store = new LogStore({ root, live: () => new Set([id]), maxTotalBytes: 0 });
    await expect(store.delete(id)).rejects.toMatchObject({ code: 'conflict' });
    expect(await store.enforceCap()).toEqual(['wrk-1/20260101T000001Z-t-def.cast']);
  });
});
