// The only file that touches contextBridge/ipcRenderer. It exposes exactly one global,
// `window.stxLab`, which forwards contract frames on one channel; main validates every frame.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

import { IPC_CHANNEL, type ClientFrame, type ServerFrame } from '../shared/protocol';

contextBridge.exposeInMainWorld('stxLab', {
  send(frame: ClientFrame): void {
    ipcRenderer.send(IPC_CHANNEL, frame);
  },
  onFrame(listener: (frame: ServerFrame) => void): () => void {
    const wrapped = (_e: IpcRendererEvent, frame: ServerFrame): void => listener(frame);
    ipcRenderer.on(IPC_CHANNEL, wrapped);
    return () => {
      ipcRenderer.removeListener(IPC_CHANNEL, wrapped);
    };
  },
});
