// An in-process client: the CLI and tests call the app through the same dispatcher (and so the
// same validation and envelopes) as the desktop and browser faces, without a socket.
import { createClient, type Client } from '../shared/client';
import type { SessionInfo } from '../shared/contract-kit';
import type { AppContract } from '../shared/contract';
import type { ServerFrame } from '../shared/protocol';
import type { Dispatcher } from './dispatcher';

export function localClient(
  dispatcher: Dispatcher<AppContract>,
  info: SessionInfo = { face: 'cli', peer: 'local' },
): Client<AppContract> {
  const listeners = new Set<(f: ServerFrame) => void>();
  const closers = new Set<(reason: string) => void>();
  // JSON round trip: the same data shapes a real transport would deliver.
  const session = dispatcher.connect((frame) => {
    const copy = JSON.parse(JSON.stringify(frame)) as ServerFrame;
    queueMicrotask(() => {
      for (const l of listeners) l(copy);
    });
  }, info);
  const client = createClient<AppContract>({
    send: (frame) => session.receive(JSON.parse(JSON.stringify(frame))),
    onFrame: (l) => (listeners.add(l), () => listeners.delete(l)),
    onClose: (l) => (closers.add(l), () => closers.delete(l)),
  });
  return {
    ...client,
    dispose() {
      session.close();
      for (const c of closers) c('closed');
      client.dispose();
    },
  };
}
