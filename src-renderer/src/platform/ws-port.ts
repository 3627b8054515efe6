// The browser-host transport: one WebSocket to the same origin, reconnecting with backoff.
// The access token travels in the HttpOnly cookie the server set on first load.
import type { ClientPort } from '@shared/client';
import { WS_PATH, type ClientFrame, type ServerFrame } from '@shared/protocol';

import { connection } from './connection.svelte';

export function wsPort(): ClientPort {
  const frameListeners = new Set<(f: ServerFrame) => void>();
  const closeListeners = new Set<(reason: string) => void>();
  const queue: string[] = [];
  let socket: WebSocket | undefined;
  let attempt = 0;

  function open(): void {
    const url = new URL(WS_PATH, location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(url);
    socket = ws;
    connection.state = attempt === 0 ? 'connecting' : 'reconnecting';
    ws.onopen = () => {
      attempt = 0;
      connection.state = 'open';
      for (const msg of queue.splice(0)) ws.send(msg);
    };
    ws.onmessage = (ev: MessageEvent<string>) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(ev.data) as ServerFrame;
      } catch {
        return;
      }
      for (const l of frameListeners) l(frame);
    };
    ws.onclose = (ev) => {
      if (socket !== ws) return;
      const reason = ev.reason || `the console server closed the connection (code ${ev.code})`;
      connection.state = 'closed';
      connection.lastError = reason;
      for (const l of closeListeners) l(reason);
      // Backoff with jitter: 0.5 s, 1 s, 2 s … up to 10 s.
      const delay = Math.min(10_000, 500 * 2 ** attempt++) * (0.75 + Math.random() / 2);
      setTimeout(open, delay);
    };
  }
  open();

  return {
    send(frame: ClientFrame) {
      const msg = JSON.stringify(frame);
      if (socket?.readyState === WebSocket.OPEN) socket.send(msg);
      else queue.push(msg);
    },
    onFrame: (l) => (frameListeners.add(l), () => frameListeners.delete(l)),
    onClose: (l) => (closeListeners.add(l), () => closeListeners.delete(l)),
  };
}
