/**
 * Errors that cross a process boundary travel as `{ code, message }` and are rebuilt here through one typed map.
 * Classes are named by what the caller should do.
 */

/** Every error code Gleaner puts on the wire (API bodies, node results, job failures). */
export type ErrorCode =
  // API
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INTERNAL'
  // node fetches
  | 'BLOCKED_ADDRESS'
  | 'BLOCKED_SCHEME'
  | 'BLOCKED_PORT'
  | 'BLOCKED_DOMAIN'
  | 'INVALID_URL'
  | 'DNS_FAILURE'
  | 'CONNECT_FAILED'
  | 'TLS_FAILURE'
  | 'TIMEOUT'
  | 'TOO_SLOW'
  | 'TOO_LARGE'
  | 'TOO_MANY_REDIRECTS'
  | 'HEADERS_TOO_LARGE'
  | 'BAD_CONTENT_TYPE'
  | 'DECOMPRESSION_FAILED'
  | 'RENDER_FAILED'
  | 'NETWORK_ERROR'
  | 'QUOTA_EXCEEDED'
  | 'PAUSED'
  // gateway and pipeline
  | 'NODE_DISCONNECTED'
  | 'NODE_TIMEOUT'
  | 'BAD_SIGNATURE'
  | 'BODY_HASH_MISMATCH'
  | 'HTTP_ERROR'
  | 'EXTRACT_FAILED'
  | 'EMPTY_CONTENT';

/** Wire shape of an error. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

/** Base class: carries a stable code and whether trying again may help. */
export class GleanerError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; retryable?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options?.retryable ?? false;
  }
  /** The `{ code, message }` body that crosses process boundaries. */
  toBody(): ErrorBody {
    return { code: this.code, message: this.message };
  }
}

/** Trying again later may succeed (timeouts, disconnects, 5xx). */
export class RetryableError extends GleanerError {
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, { ...options, retryable: true });
  }
}

/** Trying again will fail the same way (blocked address, bad input, bad signature). */
export class NonRetryableError extends GleanerError {
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, { ...options, retryable: false });
  }
}

/** The caller's input is invalid: HTTP 400. */
export class BadRequestError extends NonRetryableError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('BAD_REQUEST', message, options);
  }
}

/** The caller is not authenticated: HTTP 401. */
export class UnauthorizedError extends NonRetryableError {
  constructor(message = 'missing or invalid credentials') {
    super('UNAUTHORIZED', message);
  }
}

/** The caller is authenticated but not allowed: HTTP 403. */
export class ForbiddenError extends NonRetryableError {
  constructor(message = 'not allowed') {
    super('FORBIDDEN', message);
  }
}

/** The thing asked for does not exist: HTTP 404. */
export class NotFoundError extends NonRetryableError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

/** The request conflicts with the current state: HTTP 409. */
export class ConflictError extends NonRetryableError {
  constructor(message: string) {
    super('CONFLICT', message);
  }
}

const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'DNS_FAILURE',
  'CONNECT_FAILED',
  'TIMEOUT',
  'TOO_SLOW',
  'NETWORK_ERROR',
  'NODE_DISCONNECTED',
  'NODE_TIMEOUT',
  'RENDER_FAILED',
  'INTERNAL',
]);

/** Whether an error code, in general, is worth retrying. */
export function isRetryableCode(code: ErrorCode): boolean {
  return RETRYABLE_CODES.has(code);
}

/** Rebuilds an error from its wire body, choosing the class by code. */
export function errorFromBody(body: ErrorBody): GleanerError {
  switch (body.code) {
    case 'BAD_REQUEST':
      return new BadRequestError(body.message);
    case 'UNAUTHORIZED':
      return new UnauthorizedError(body.message);
    case 'FORBIDDEN':
      return new ForbiddenError(body.message);
    case 'NOT_FOUND':
      return new NotFoundError(body.message);
    case 'CONFLICT':
      return new ConflictError(body.message);
    default:
      return isRetryableCode(body.code)
        ? new RetryableError(body.code, body.message)
        : new NonRetryableError(body.code, body.message);
  }
}

/** Turns anything thrown into a GleanerError (unknown errors become retryable `INTERNAL`). */
export function toGleanerError(error: unknown): GleanerError {
  if (error instanceof GleanerError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RetryableError('INTERNAL', message, { cause: error });
}
