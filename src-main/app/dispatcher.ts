// The one handler wrapper behind both transports: parse the frame, look the request up in the
// contract, validate its input, run the handler with a cancel signal and a chunk emitter, and
// answer `{result}` or `{error:{code,message,details}}`. Nothing a client sends can throw out of it.
import type { z } from 'zod';

import type {
  ContractShape,
  EventName,
  EventPayload,
  Handlers,
  SessionInfo,
} from '../shared/contract-kit';
import { AppError, type ErrorBody, type FieldError } from '../shared/errors';
import { ClientFrameSchema } from '../shared/frames';
import type { ServerFrame } from '../shared/protocol';

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export interface Session {
  /** Feed one frame as received (already JSON-decoded, or a raw string for text transports). */
  receive(raw: unknown): void;
  /** The peer went away: cancel everything it started. */
  close(): void;
  readonly inFlight: number;
}

export interface Dispatcher<C extends ContractShape> {
  connect(send: (frame: ServerFrame) => void, info: SessionInfo): Session;
  publish<E extends EventName<C>>(name: E, payload: EventPayload<C, E>): void;
  readonly sessions: number;
}

export function zodFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

function errorBody(err: unknown, log: Logger, name: string): ErrorBody {
  if (err instanceof AppError) return err.toBody();
  // Internal faults keep their stack in the log; the caller gets a message, not internals.
  log.error(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}

export function createDispatcher<C extends ContractShape>(
  contract: C,
  handlers: Handlers<C>,
  log: Logger,
): Dispatcher<C> {
  const sessions = new Set<(frame: ServerFrame) => void>();

  function connect(send: (frame: ServerFrame) => void, info: SessionInfo): Session {
    const inFlight = new Map<string, AbortController>();
    let open = true;
    const safeSend = (frame: ServerFrame): void => {
      if (!open) return;
      try {
        send(frame);
      } catch (err) {
        log.warn(`dropping a frame for ${info.peer}: ${String(err)}`);
      }
    };
    sessions.add(safeSend);

    const fail = (id: string | null, body: ErrorBody): void =>
      safeSend({ type: 'response', id, error: body });

    async function run(id: string, name: string, rawInput: unknown): Promise<void> {
      const spec = Object.hasOwn(contract.requests, name) ? contract.requests[name] : undefined;
      const handler = spec ? (handlers as Record<string, unknown>)[name] : undefined;
      if (!spec || typeof handler !== 'function') {
        fail(id, { code: 'unknown_request', message: `there is no request named "${name}"` });
        return;
      }
      const parsed = (spec.input as z.ZodType).safeParse(rawInput);
      if (!parsed.success) {
        const fields = zodFieldErrors(parsed.error);
        const list = fields.map((f) => `${f.path || 'input'}: ${f.message}`).join('; ');
        fail(id, { code: 'invalid_input', message: `${name}: ${list}`, details: { fields } });
        return;
      }
      const controller = new AbortController();
      inFlight.set(id, controller);
      try {
        const result: unknown = await (handler as (i: unknown, c: unknown) => unknown)(
          parsed.data,
          {
            signal: controller.signal,
            session: info,
            // Chunks keep flowing after a cancel: a handler winding down (a fan-out marking
            // its hosts cancelled) still reports what happened, until its answer.
            emit: (data: unknown) => safeSend({ type: 'chunk', id, data }),
          },
        );
        // A handler that returns after a cancel chose to answer (e.g. a partial report).
        safeSend({ type: 'response', id, result: result ?? null });
      } catch (err) {
        fail(
          id,
          controller.signal.aborted
            ? { code: 'cancelled', message: `${name} was cancelled` }
            : errorBody(err, log, name),
        );
      } finally {
        inFlight.delete(id);
      }
    }

    return {
      receive(raw) {
        if (!open) return;
        let value = raw;
        if (typeof raw === 'string') {
          try {
            value = JSON.parse(raw);
          } catch {
            fail(null, { code: 'bad_message', message: 'the message is not valid JSON' });
            return;
          }
        }
        const frame = ClientFrameSchema.safeParse(value);
        if (!frame.success) {
          const id =
            typeof (value as { id?: unknown } | null)?.id === 'string'
              ? String((value as { id: string }).id).slice(0, 64)
              : null;
          fail(id, {
            code: 'bad_message',
            message: 'the message is not a request or cancel frame',
            details: { fields: zodFieldErrors(frame.error) },
          });
          return;
        }
        const f = frame.data;
        if (f.type === 'cancel') {
          inFlight.get(f.id)?.abort(new AppError('cancelled', 'cancelled by the caller'));
          return;
        }
        if (inFlight.has(f.id)) {
          fail(f.id, { code: 'bad_message', message: `request id ${f.id} is already in flight` });
          return;
        }
        void run(f.id, f.name, f.input);
      },
      close() {
        open = false;
        sessions.delete(safeSend);
        for (const c of inFlight.values()) c.abort(new AppError('cancelled', 'caller went away'));
        inFlight.clear();
      },
      get inFlight() {
        return inFlight.size;
      },
    };
  }

  return {
    connect,
    publish(name, payload) {
      const frame: ServerFrame = { type: 'event', name, payload };
      for (const send of sessions) send(frame);
    },
    get sessions() {
      return sessions.size;
    },
  };
}
