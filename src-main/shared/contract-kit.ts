// Building blocks for a typed contract: requests (name → input schema → output type, optional
// streamed chunks) and events (name → payload schema). Pure TypeScript + zod; no platform imports.
import type { z } from 'zod';

/** A type carried at compile time only (output and chunk types are trusted, inputs are parsed). */
export interface Phantom<T> {
  readonly __type?: T;
}
export function returns<T>(): Phantom<T> {
  return {};
}

export interface RequestSpec<I extends z.ZodType = z.ZodType, O = unknown, C = never> {
  readonly input: I;
  readonly output: Phantom<O>;
  readonly chunk?: Phantom<C>;
  /** One line for `--help`-style listings and generated docs. */
  readonly summary: string;
}

export function request<I extends z.ZodType, O, C = never>(spec: {
  input: I;
  output: Phantom<O>;
  chunk?: Phantom<C>;
  summary: string;
}): RequestSpec<I, O, C> {
  return spec;
}

export interface ContractShape {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- variance: any spec fits the shape
  readonly requests: Record<string, RequestSpec<any, any, any>>;
  readonly events: Record<string, z.ZodType>;
}

export type RequestName<C extends ContractShape> = keyof C['requests'] & string;
export type EventName<C extends ContractShape> = keyof C['events'] & string;
/** What a caller passes (defaults may be omitted). */
export type InputOf<C extends ContractShape, K extends RequestName<C>> = z.input<
  C['requests'][K]['input']
>;
/** What a handler receives after parsing (defaults filled in). */
export type ParsedInputOf<C extends ContractShape, K extends RequestName<C>> = z.output<
  C['requests'][K]['input']
>;
export type OutputOf<C extends ContractShape, K extends RequestName<C>> =
  C['requests'][K] extends RequestSpec<z.ZodType, infer O, unknown> ? O : never;
export type ChunkOf<C extends ContractShape, K extends RequestName<C>> =
  C['requests'][K] extends RequestSpec<z.ZodType, unknown, infer S> ? S : never;
export type EventPayload<C extends ContractShape, E extends EventName<C>> = z.output<
  C['events'][E]
>;

/** Who is calling; transports fill it in, handlers may use it for audit entries. */
export interface SessionInfo {
  readonly face: 'desktop' | 'web' | 'cli' | 'test';
  readonly peer: string;
}

export interface CallContext<Chunk> {
  readonly signal: AbortSignal;
  readonly session: SessionInfo;
  /** Streams one chunk to the caller of this request. */
  emit(chunk: Chunk): void;
}

export type Handlers<C extends ContractShape> = {
  [K in RequestName<C>]: (
    input: ParsedInputOf<C, K>,
    ctx: CallContext<ChunkOf<C, K>>,
  ) => Promise<OutputOf<C, K>> | OutputOf<C, K>;
};
