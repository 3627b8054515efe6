// The renderer's only way to the app: one typed client, over Electron IPC in the desktop face
// or a WebSocket in the browser-host face. Nothing outside platform/ knows which.
import './bridge';

import { createClient, type Client, type ClientPort } from '@shared/client';
import type { AppContract } from '@shared/contract';

import { connection } from './connection.svelte';
import { wsPort } from './ws-port';

function desktopPort(bridge: NonNullable<Window['stxLab']>): ClientPort {
  connection.state = 'open';
  return { send: (f) => bridge.send(f), onFrame: (l) => bridge.onFrame(l) };
}

export type Backend = Client<AppContract>;

export const backend: Backend = createClient<AppContract>(
  window.stxLab ? desktopPort(window.stxLab) : wsPort(),
);

export const isDesktop = window.stxLab !== undefined;
