// Test support: the same contract reached through each real transport implementation —
// the browser host's WebSocket (a real server and socket) and the desktop IPC transport
// (registerIpc driven by an ipcMain stand-in that clones frames as Electron does).
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import WebSocket from 'ws';

import type { Dispatcher } from '../app/dispatcher';
import { registerIpc } from '../electron/ipc-transport';
import { createClient, type Client, type ClientPort } from '../shared/client';
import type { ContractShape } from '../shared/contract-kit';
import { IPC_CHANNEL, type ServerFrame } from '../shared/protocol';
import { rawText, startWebServer } from '../web/server';

export interface Connected<C extends ContractShape> {
  readonly client: Client<C>;
  /** Sends anything, bypassing the client, as a hostile or buggy peer would. */
  sendRaw(value: unknown): void;
  /** Every frame received, in order. */
  readonly frames: ServerFrame[];
  close(): Promise<void>;
}

export interface TransportUnderTest {
  readonly name: 'websocket' | 'ipc';
  connect<C extends ContractShape>(): Promise<Connected<C>>;
  stop(): Promise<void>;
}

type AnyDispatcher = Pick<Dispatcher<ContractShape>, 'connect'>;

function portFrom(
  send: (v: unknown) => void,
  listeners: Set<(f: ServerFrame) => void>,
  closers: Set<(r: string) => void>,
): ClientPort {
  return {
    send,
    onFrame: (l) => (listeners.add(l), () => listeners.delete(l)),
    onClose: (l) => (closers.add(l), () => closers.delete(l)),
  };
}

export async function websocketTransport(dispatcher: AnyDispatcher): Promise<TransportUnderTest> {
  const web = await startWebServer({
    dispatcher,
    staticDir: mkdtempSync(join(tmpdir(), 'stx-static-')),
    port: 0,
  });
  return {
    name: 'websocket',
    async connect<C extends ContractShape>() {
      const ws = new WebSocket(`ws://127.0.0.1:${web.port}/ws?token=${web.token}`);
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      const frames: ServerFrame[] = [];
      const listeners = new Set<(f: ServerFrame) => void>();
      const closers = new Set<(r: string) => void>();
      ws.on('message', (data) => {
        const frame = JSON.parse(rawText(data)) as ServerFrame;
        frames.push(frame);
        for (const l of listeners) l(frame);
      });
      ws.on('close', () => {
        for (const c of closers) c('socket closed');
      });
      const sendRaw = (v: unknown): void => ws.send(typeof v === 'string' ? v : JSON.stringify(v));
      return {
        client: createClient<C>(portFrom(sendRaw, listeners, closers)),
        sendRaw,
        frames,
        close: () =>
          new Promise<void>((resolve) => {
            ws.once('close', () => resolve());
            ws.close();
          }),
      };
    },
    stop: () => web.close(),
  };
}

export interface FakeSender {
  url: string;
  parent: unknown;
}

export function ipcTransport(
  dispatcher: AnyDispatcher,
  trustedUrl = 'file:///app/out/renderer/index.html',
): TransportUnderTest & {
  connectAs<C extends ContractShape>(frame: FakeSender): Promise<Connected<C>>;
} {
  const ipcMain = new EventEmitter();
  const ipc = registerIpc(ipcMain, dispatcher, { isTrusted: (u) => u === trustedUrl });
  let nextId = 1;

  async function connectAs<C extends ContractShape>(
    senderFrame: FakeSender,
  ): Promise<Connected<C>> {
    const frames: ServerFrame[] = [];
    const listeners = new Set<(f: ServerFrame) => void>();
    const closers = new Set<(r: string) => void>();
    const contents = Object.assign(new EventEmitter(), {
      id: nextId++,
      destroyed: false,
      isDestroyed(): boolean {
        return this.destroyed;
      },
      send(channel: string, frame: ServerFrame): void {
        if (channel !== IPC_CHANNEL) return;
        // Electron serialises IPC payloads with the structured clone algorithm.
        const copy = structuredClone(frame);
        setImmediate(() => {
          frames.push(copy);
          for (const l of listeners) l(copy);
        });
      },
    });
    // main.ts attaches each window it creates; pages that are not ours never get a window.
    if (senderFrame.parent === null && senderFrame.url === trustedUrl)
      ipc.attach(contents as never);
    const sendRaw = (v: unknown): void => {
      ipcMain.emit(IPC_CHANNEL, { sender: contents, senderFrame }, structuredClone(v));
    };
    return {
      client: createClient<C>(portFrom(sendRaw, listeners, closers)),
      sendRaw,
      frames,
      close: async () => {
        contents.destroyed = true;
        contents.emit('destroyed');
        for (const c of closers) c('window closed');
      },
    };
  }

  return {
    name: 'ipc',
    connect: <C extends ContractShape>() => connectAs<C>({ url: trustedUrl, parent: null }),
    connectAs,
    stop: async () => ipc.dispose(),
  };
}
