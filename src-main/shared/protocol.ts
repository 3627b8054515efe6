// Wire frames shared by both transports (Electron IPC and the browser-host WebSocket).
// Client → server: request, cancel. Server → client: response, chunk, event.
// Zod-free on purpose: the preload and the renderer import it; frames.ts holds the schemas.
import type { ErrorBody } from './errors';

export type ClientFrame =
  | {
      readonly type: 'request';
      readonly id: string;
      readonly name: string;
      readonly input: unknown;
    }
  | { readonly type: 'cancel'; readonly id: string };

export type ResponseFrame =
  | { readonly type: 'response'; readonly id: string | null; readonly result: unknown }
  | { readonly type: 'response'; readonly id: string | null; readonly error: ErrorBody };
export interface ChunkFrame {
  readonly type: 'chunk';
  readonly id: string;
  readonly data: unknown;
}
export interface EventFrame {
  readonly type: 'event';
  readonly name: string;
  readonly payload: unknown;
}
export type ServerFrame = ResponseFrame | ChunkFrame | EventFrame;

/** Largest frame either transport accepts, in bytes of JSON. */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;
/** The one IPC channel frames travel on in the desktop face. */
export const IPC_CHANNEL = 'stx-lab:frame';
/** Path of the WebSocket in the browser-host face. */
export const WS_PATH = '/ws';
