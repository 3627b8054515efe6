// The desktop transport: contract frames over one IPC channel. Frames from any sender other
// than our own window's top frame, loaded from our own files, are dropped.
import type { IpcMainEvent, WebContents } from 'electron';

import type { Dispatcher, Session } from '../app/dispatcher';
import type { ContractShape } from '../shared/contract-kit';
import { IPC_CHANNEL } from '../shared/protocol';

export interface SenderPolicy {
  /** True when the frame's URL is the app's own renderer (file:// bundle or the dev server). */
  isTrusted(url: string): boolean;
}

/** The part of Electron's ipcMain the transport uses (tests pass a stand-in). */
export interface IpcMainLike {
  on(channel: string, listener: (event: IpcMainEvent, frame: unknown) => void): unknown;
  off(channel: string, listener: (event: IpcMainEvent, frame: unknown) => void): unknown;
}

export interface IpcTransport {
  /** Opens the session of one of our windows now, so events reach it before it asks anything. */
  attach(contents: WebContentsLike): void;
  dispose(): void;
}

/** The part of WebContents the transport uses. */
export type WebContentsLike = Pick<WebContents, 'id' | 'isDestroyed' | 'send' | 'once'>;

export function registerIpc(
  ipcMain: IpcMainLike,
  dispatcher: Pick<Dispatcher<ContractShape>, 'connect'>,
  policy: SenderPolicy,
): IpcTransport {
  const sessions = new Map<number, Session>();

  function sessionFor(contents: WebContentsLike): Session {
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
  return {
    attach: (contents) => void sessionFor(contents),
    dispose() {
      ipcMain.off(IPC_CHANNEL, onFrame);
      for (const s of sessions.values()) s.close();
      sessions.clear();
    },
  };
}
