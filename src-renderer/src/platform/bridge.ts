// The shape of the one global the desktop preload exposes (`window.stxLab`).
// Only this folder knows it exists.
import type { ClientFrame, ServerFrame } from '@shared/protocol';

export interface DesktopBridge {
  send(frame: ClientFrame): void;
  onFrame(listener: (frame: ServerFrame) => void): () => void;
}

declare global {
  interface Window {
    stxLab?: DesktopBridge;
  }
}
