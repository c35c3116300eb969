import { BadRequestError, GleanerError, toGleanerError, type ErrorCode, type Logger } from '@gleaner/core';
import type { ErrorResponse } from '@gleaner/contracts';
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';

/** HTTP status of each error code the API returns; anything else is a 500. */
const STATUS_BY_CODE: Partial<Record<ErrorCode, ContentfulStatusCode>> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_LARGE: 413,
  RATE_LIMITED: 429,
  QUOTA_EXCEEDED: 429,
};

/**
 * The caller asked too often (`RATE_LIMITED`) or used up a daily quota (`QUOTA_EXCEEDED`): try again after
 * `retryAfterSeconds`, which the 429 answer carries in `Retry-After`.
 */
export class RetryLaterError extends GleanerError {
  constructor(
    code: 'RATE_LIMITED' | 'QUOTA_EXCEEDED',
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, message, { retryable: true });
  }
}

/** One problem found while validating a request. */
export interface ValidationIssue {
  /** Which part of the request: `json`, `query`, `param` or `header`. */
  target: string;
  path: (string | number)[];
  code: string;
  message: string;
}

/** Bad input caught by a route's zod schemas; its issues travel in the error body's `details`. */
export class RequestValidationError extends BadRequestError {
  readonly details: ValidationIssue[];
  constructor(target: string, error: ZodError) {
    const details = error.issues.map((issue) => ({
      target,
      path: issue.path.map((part) => (typeof part === 'number' ? part : String(part))),
      code: issue.code,
      message: issue.message,
    }));
    const first = details[0];
    const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
    super(`invalid ${target === 'json' ? 'body' : target}: ${where}${first?.message ?? 'invalid input'}`);
    this.details = details;
  }
}

/** The `defaultHook` of every route: turns a failed zod validation into a {@link RequestValidationError}. */
export function validationHook(result: { success: boolean; target: string; error?: unknown }): void {
  if (!result.success) throw new RequestValidationError(result.target, result.error as ZodError);
}

function fromThrown(error: unknown): GleanerError {
  if (error instanceof HTTPException) {
    // Hono's own 4xx (malformed JSON, unsupported media type) are the caller's fault.
    if (error.status === 401) return new GleanerError('UNAUTHORIZED', error.message);
    if (error.status === 404) return new GleanerError('NOT_FOUND', error.message);
    if (error.status === 413) return new GleanerError('TOO_LARGE', error.message || 'request body too large');
    if (error.status >= 400 && error.status < 500) return new BadRequestError(error.message || 'bad request');
  }
  return toGleanerError(error);
}

function errorJson(c: Context, status: ContentfulStatusCode, error: ErrorResponse['error']): Response {
  return c.json({ error }, status);
}

/** The API's one `onError`: maps error codes to HTTP statuses and hides the details of unexpected failures. */
export function createErrorHandler(logger: Logger): ErrorHandler {
  return (thrown, c) => {
    const error = fromThrown(thrown);
    const status = STATUS_BY_CODE[error.code];
    if (status === undefined) {
      logger.error({ err: thrown, method: c.req.method, path: c.req.path }, 'request failed');
      return errorJson(c, 500, { code: 'INTERNAL', message: 'internal server error' });
    }
    if (status === 401) c.header('WWW-Authenticate', 'Bearer');
    if (error instanceof RetryLaterError) c.header('Retry-After', String(error.retryAfterSeconds));
    const details = error instanceof RequestValidationError ? { details: error.details } : {};
    return errorJson(c, status, { code: error.code, message: error.message, ...details });
  };
}

/** JSON 404 for any path no route matches. */
export const notFoundHandler: NotFoundHandler = (c) =>
  errorJson(c, 404, { code: 'NOT_FOUND', message: `no route for ${c.req.method} ${c.req.path}` });
