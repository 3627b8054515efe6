// The desktop transport: contract frames over one IPC channel. Frames from any sender other
// than our own window's top frame, loaded from our own files, are dropped.
import type { IpcMain, IpcMainEvent, WebContents } from 'electron';

import type { Dispatcher, Session } from '../app/dispatcher';
import type { AppContract } from '../shared/contract';
import { IPC_CHANNEL } from '../shared/protocol';

export interface SenderPolicy {
  /** True when the frame's URL is the app's own renderer (file:// bundle or the dev server). */
  isTrusted(url: string): boolean;
}

export function registerIpc(
  ipcMain: IpcMain,
  dispatcher: Dispatcher<AppContract>,
  policy: SenderPolicy,
): () => void {
  const sessions = new Map<number, Session>();

  function sessionFor(contents: WebContents): Session {
    let s = sessions.get(contents.id);
    if (!s) {
      const created = dispatcher.connect(
        (frame) => {
          if (!contents.isDestroyed()) contents.send(IPC_CHANNEL, frame);
        },
        { face: 'desktop', peer: `window-${contents.id}` },
      );
      sessions.set(contents.id, created);
      contents.once('destroyed', () => {
        created.close();
        sessions.delete(contents.id);
      });
      s = created;
    }
    return s;
  }

  const onFrame = (event: IpcMainEvent, frame: unknown): void => {
    const sender = event.senderFrame;
    if (!sender || sender.parent !== null || !policy.isTrusted(sender.url)) {
      console.warn(`[stx-lab] dropped IPC frame from untrusted sender ${sender?.url ?? '?'}`);
      return;
    }
    sessionFor(event.sender).receive(frame);
  };
  ipcMain.on(IPC_CHANNEL, onFrame);
  return () => {
    ipcMain.off(IPC_CHANNEL, onFrame);
    for (const s of sessions.values()) s.close();
    sessions.clear();
  };
}
