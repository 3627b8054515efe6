// Contract tests: the same requests through both transports (WebSocket and Electron IPC)
// against the real app object on a real SQLite store.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { request, returns, type ContractShape, type Handlers } from '../shared/contract-kit';
import { contract } from '../shared/contract';
import { AppError } from '../shared/errors';
import {
  ipcTransport,
  websocketTransport,
  type Connected,
  type TransportUnderTest,
} from '../test-support/transports';
import { createApp, type App } from './create-app';
import { createDispatcher, type Logger } from './dispatcher';
import { createHandlers } from './handlers';

const quiet: Logger = { info() {}, warn() {}, error() {} };

// The app's contract plus one streaming request, to prove chunks and cancellation travel.
const testContract = {
  requests: {
    ...contract.requests,
    'test.count': request({
      summary: 'count to N, one chunk per number',
      input: z.object({
        to: z.number().int().min(1).max(10_000),
        delayMs: z.number().default(0),
        partial: z.boolean().default(false),
      }),
      output: returns<{ counted: number }>(),
      chunk: returns<number>(),
    }),
  },
  events: contract.events,
} satisfies ContractShape;
type TC = typeof testContract;

const serverSide = { aborted: 0 };

function build(app: App): ReturnType<typeof createDispatcher<TC>> {
  const handlers: Handlers<TC> = {
    ...app.handlers, // the features' parts; core handlers below publish through this dispatcher
    ...createHandlers({
      ...app.services,
      publish: (name, payload) => dispatcher.publish(name, payload),
    }),
    'test.count': async ({ to, delayMs, partial }, { emit, signal }) => {
      for (let i = 1; i <= to; i++) {
        if (signal.aborted) {
          serverSide.aborted++;
          if (partial) {
            emit(-1);
            return { counted: i - 1 };
          }
          throw new AppError('cancelled', 'stopped');
        }
        emit(i);
        await new Promise((r) => setTimeout(r, delayMs));
      }
      return { counted: to };
    },
  };
  const dispatcher = createDispatcher(testContract, handlers, quiet);
  return dispatcher;
}

async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const factories = {
  websocket: websocketTransport,
  ipc: async (d: Parameters<typeof websocketTransport>[0]) => ipcTransport(d),
};

describe.each(['websocket', 'ipc'] as const)('contract over %s', (kind) => {
  let app: App;
  let transport: TransportUnderTest;
  const open: Connected<TC>[] = [];

  async function connect(): Promise<Connected<TC>> {
    const c = await transport.connect<TC>();
    open.push(c);
    return c;
  }

  beforeAll(async () => {
    app = createApp({
      dataDir: mkdtempSync(join(tmpdir(), 'stx-contract-')),
      face: 'web',
      log: quiet,
    });
    transport = await factories[kind](build(app));
  });
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close();
  });
  afterAll(async () => {
    await transport.stop();
    app.close();
  });

  it('saves a host and lists it, and tells other clients the inventory changed', async () => {
    const a = await connect();
    const b = await connect();
    const seen: string[] = [];
    b.client.on('inventory.changed', (e) => seen.push(`${e.what}:${e.action}:${e.name}`));
    const saved = await a.client.call('hosts.save', {
      name: `ctl-${kind}`,
      address: '192.0.2.10',
      roles: ['controller'],
      groups: ['lab1'],
      bmc: { type: 'redfish', address: '192.0.2.110' },
    });
    expect(saved).toMatchObject({ name: `ctl-${kind}`, port: 22, roles: ['controller'] });
    const list = await b.client.call('hosts.list', {});
    expect(list.map((h) => h.name)).toContain(`ctl-${kind}`);
    await until(() => seen.length > 0);
    expect(seen).toContain(`host:saved:ctl-${kind}`);
  });

  it('names every invalid field', async () => {
    const c = await connect();
    const err = await c.client
      .call('hosts.save', { name: 'ok', address: 'not an address!', port: 70000 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    expect(e.code).toBe('invalid_input');
    expect(e.details?.fields?.map((f) => f.path).sort()).toEqual(['address', 'port']);
  });

  it('answers an unknown request with an error envelope', async () => {
    const c = await connect();
    const err = (await c.client
      .call('no.such' as 'hosts.list', {})
      .catch((e: unknown) => e)) as AppError;
    expect(err.code).toBe('unknown_request');
  });

  it('keeps the connection up after malformed frames', async () => {
    const c = await connect();
    c.sendRaw({ hello: 'world' });
    c.sendRaw(42);
    c.sendRaw({ type: 'request', id: 'x y z', name: 'hosts.list' });
    c.sendRaw({ type: 'request', id: 'abc', name: 'toString', input: {} });
    if (kind === 'websocket') c.sendRaw('{not json');
    await until(() => c.frames.length >= (kind === 'websocket' ? 5 : 4));
    const errors = c.frames.map((f) =>
      f.type === 'response' && 'error' in f ? f.error.code : f.type,
    );
    expect(errors.filter((code) => code === 'bad_message').length).toBeGreaterThanOrEqual(3);
    expect(errors).toContain('unknown_request'); // "toString" is not a request, however it is named
    await expect(c.client.call('groups.list', {})).resolves.toBeInstanceOf(Array);
  });

  it('streams chunks before the result', async () => {
    const c = await connect();
    const chunks: number[] = [];
    const result = await c.client.call('test.count', { to: 5 }, { onChunk: (n) => chunks.push(n) });
    expect(chunks).toEqual([1, 2, 3, 4, 5]);
    expect(result).toEqual({ counted: 5 });
  });

  it('cancels an in-flight request on the server', async () => {
    const c = await connect();
    const before = serverSide.aborted;
    const controller = new AbortController();
    const chunks: number[] = [];
    const call = c.client.call(
      'test.count',
      { to: 10_000, delayMs: 10 },
      {
        signal: controller.signal,
        onChunk: (n) => {
          chunks.push(n);
          if (n === 3) controller.abort();
        },
      },
    );
    await expect(call).rejects.toMatchObject({ code: 'cancelled' });
    await until(() => serverSide.aborted > before);
    const seenAtCancel = chunks.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(chunks.length).toBe(seenAtCancel);
    expect(seenAtCancel).toBeLessThan(50);
  });

  it('delivers the partial answer of a handler that winds down after a cancel', async () => {
    const c = await connect();
    const controller = new AbortController();
    const chunks: number[] = [];
    const result = await c.client.call(
      'test.count',
      { to: 10_000, delayMs: 10, partial: true },
      {
        signal: controller.signal,
        onChunk: (n) => {
          chunks.push(n);
          if (n === 2) controller.abort();
        },
      },
    );
    expect(result.counted).toBeGreaterThanOrEqual(2);
    expect(result.counted).toBeLessThan(50);
    expect(chunks.at(-1)).toBe(-1); // the wind-down chunk arrived before the answer
  });

  it('cancels what a peer started when it goes away', async () => {
    const c = await connect();
    const before = serverSide.aborted;
    void c.client.call('test.count', { to: 10_000, delayMs: 10 }).catch(() => undefined);
    await until(() => c.frames.some((f) => f.type === 'chunk'));
    await c.close();
    open.splice(open.indexOf(c), 1);
    await until(() => serverSide.aborted > before);
  });
});

describe('IPC sender check', () => {
  it('drops frames from untrusted pages and sub-frames', async () => {
    const app = createApp({
      dataDir: mkdtempSync(join(tmpdir(), 'stx-ipc-')),
      face: 'desktop',
      log: quiet,
    });
    const t = ipcTransport(build(app));
    const evil = await t.connectAs<TC>({ url: 'https://evil.example/', parent: null });
    const framed = await t.connectAs<TC>({
      url: 'file:///app/out/renderer/index.html',
      parent: {},
    });
    evil.sendRaw({ type: 'request', id: 'e1', name: 'hosts.list', input: {} });
    framed.sendRaw({ type: 'request', id: 'f1', name: 'hosts.list', input: {} });
    const good = await t.connect<TC>();
    await expect(good.client.call('hosts.list', {})).resolves.toMatchObject([
      { name: 'localhost' },
    ]);
    await new Promise((r) => setTimeout(r, 50));
    expect(evil.frames).toEqual([]);
    expect(framed.frames).toEqual([]);
    await t.stop();
    app.close();
  });
});
