// The error half of the `{result} | {error:{code,message,details}}` envelope, shared by all faces.

export const ERROR_CODES = [
  'bad_message', // the frame itself is malformed (not JSON, wrong shape)
  'unknown_request', // no such request name in the contract
  'invalid_input', // input failed its schema; details.fields names each field
  'not_found',
  'conflict', // e.g. a unique name already taken; details.fields names the field
  'cancelled',
  'forbidden',
  'unavailable', // a dependency (secret store, network) cannot serve this now
  'disconnected', // the transport went away before an answer came
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldError {
  /** Dotted path of the field in the request input, e.g. `bmc.address`; '' for the whole input. */
  readonly path: string;
  readonly message: string;
}

export interface ErrorDetails {
  readonly fields?: readonly FieldError[];
  readonly [key: string]: unknown;
}

export interface ErrorBody {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: ErrorDetails;
}

/** Thrown by core services and by the client; carries a stable code across transports. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, message: string, details?: ErrorDetails) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  static field(code: ErrorCode, path: string, message: string): AppError {
    return new AppError(code, `${path}: ${message}`, { fields: [{ path, message }] });
  }

  toBody(): ErrorBody {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}

/** Field errors of an error, keyed by path, for forms. */
export function fieldErrors(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (err instanceof AppError) {
    for (const f of err.details?.fields ?? []) out[f.path] ??= f.message;
  }
  return out;
}
