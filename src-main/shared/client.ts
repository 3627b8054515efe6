// One client with the contract's interface over any transport. The renderer's platform layer,
// the CLI's tests and the contract tests all build theirs here, so every face calls the same way.
import type {
  ChunkOf,
  ContractShape,
  EventName,
  EventPayload,
  InputOf,
  OutputOf,
  RequestName,
} from './contract-kit';
import { AppError, type ErrorBody } from './errors';
import type { ClientFrame, ServerFrame } from './protocol';

/** What a transport must offer: send a frame, deliver frames, say when it is gone. */
export interface ClientPort {
  send(frame: ClientFrame): void;
  onFrame(listener: (frame: ServerFrame) => void): () => void;
  /** Called with a reason when the transport closes; pending calls fail as `disconnected`. */
  onClose?(listener: (reason: string) => void): () => void;
}

export interface CallOptions<Chunk> {
  signal?: AbortSignal;
  onChunk?: (chunk: Chunk) => void;
}

export interface Client<C extends ContractShape> {
  call<K extends RequestName<C>>(
    name: K,
    input: InputOf<C, K>,
    options?: CallOptions<ChunkOf<C, K>>,
  ): Promise<OutputOf<C, K>>;
  on<E extends EventName<C>>(name: E, listener: (payload: EventPayload<C, E>) => void): () => void;
  /** Number of calls waiting for an answer (for status displays and tests). */
  pending(): number;
  dispose(): void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: AppError): void;
  onChunk: ((chunk: unknown) => void) | undefined;
  cleanup(): void;
}

export function toAppError(body: ErrorBody): AppError {
  return new AppError(body.code, body.message, body.details);
}

export function createClient<C extends ContractShape>(port: ClientPort): Client<C> {
  const pending = new Map<string, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let seq = 0;
  const prefix = Math.random().toString(36).slice(2, 8);

  function settle(id: string): Pending | undefined {
    const p = pending.get(id);
    if (p) {
      pending.delete(id);
      p.cleanup();
    }
    return p;
  }

  const offFrame = port.onFrame((frame) => {
    if (frame.type === 'event') {
      for (const l of listeners.get(frame.name) ?? []) l(frame.payload);
    } else if (frame.type === 'chunk') {
      pending.get(frame.id)?.onChunk?.(frame.data);
    } else if (frame.id !== null) {
      const p = settle(frame.id);
      if (!p) return;
      if ('error' in frame) p.reject(toAppError(frame.error));
      else p.resolve(frame.result);
    } else if ('error' in frame) {
      // An error about a frame the server could not attribute to a request.
      console.warn(`stx-lab: server rejected a frame: ${frame.error.message}`);
    }
  });

  const offClose = port.onClose?.((reason) => {
    for (const id of [...pending.keys()]) {
      settle(id)?.reject(new AppError('disconnected', `connection lost: ${reason}`));
    }
  });

  return {
    call(name, input, options = {}) {
      const id = `${prefix}-${++seq}`;
      const { signal, onChunk } = options;
      return new Promise((resolve, reject) => {
        if (signal?.aborted) {
          reject(new AppError('cancelled', `${name} was cancelled`));
          return;
        }
        const onAbort = (): void => {
          port.send({ type: 'cancel', id });
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        pending.set(id, {
          resolve,
          reject,
          onChunk: onChunk as ((c: unknown) => void) | undefined,
          cleanup: () => signal?.removeEventListener('abort', onAbort),
        });
        try {
          port.send({ type: 'request', id, name, input });
        } catch (err) {
          settle(id);
          reject(new AppError('disconnected', `could not send ${name}: ${String(err)}`));
        }
      });
    },
    on(name, listener) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
    pending: () => pending.size,
    dispose() {
      offFrame();
      offClose?.();
      for (const id of [...pending.keys()]) {
        settle(id)?.reject(new AppError('disconnected', 'client disposed'));
      }
      listeners.clear();
    },
  };
}
