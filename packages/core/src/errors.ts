/**
 * Errors that cross a process boundary travel as `{ code, message }` and are rebuilt here through one typed map.
 * Classes are named by what the caller should do.
 */

import type { SiteSkipReason } from './site-signals.js';

/** Where an error code comes from, which says who may put it on the wire. */
export type ErrorOrigin = 'api' | 'fetch' | 'node' | 'gateway' | 'pipeline';

/** What one error code means to every part of the system; see {@link ERROR_TABLE}. */
export interface ErrorCodeInfo {
  /** Who raises it: `fetch` and `node` codes are the ones a node may report in a result. */
  origin: ErrorOrigin;
  /** Whether trying the same thing again (on another node, later) may succeed. */
  retryable: boolean;
  /** First delay before a retry of a fetch that failed so, ms; doubled per further attempt (retry-policy.ts). */
  firstRetryDelayMs?: number;
  /** Whether a URL that ended with this failure is asked for again in the next recrawl round. */
  retriedOnRecrawl: boolean;
  /** HTTP status when the API answers with this code. */
  httpStatus: number;
}

const fetchFailure = (retryable: boolean, firstRetryDelayMs?: number): ErrorCodeInfo => ({
  origin: 'fetch',
  retryable,
  ...(firstRetryDelayMs === undefined ? {} : { firstRetryDelayMs }),
  retriedOnRecrawl: retryable,
  httpStatus: 502,
});
const apiError = (httpStatus: number): ErrorCodeInfo => ({
  origin: 'api',
  retryable: false,
  retriedOnRecrawl: false,
  httpStatus,
});
/** A failure of the node, not of the page: another node may try at once. */
const nodeFault = (origin: ErrorOrigin): ErrorCodeInfo => ({
  origin,
  retryable: true,
  firstRetryDelayMs: 500,
  retriedOnRecrawl: true,
  httpStatus: 502,
});

/**
 * Every error code Gleaner puts on the wire (API bodies, node results, job failures), with what it means for
 * retries, recrawls and HTTP answers. The code union, the retry classes, the recrawl list, the HTTP statuses and the
 * contracts' zod enums all derive from this one table.
 */
export const ERROR_TABLE = {
  // API
  BAD_REQUEST: apiError(400),
  UNAUTHORIZED: apiError(401),
  FORBIDDEN: apiError(403),
  NOT_FOUND: apiError(404),
  CONFLICT: apiError(409),
  RATE_LIMITED: { ...apiError(429), retryable: true },
  INTERNAL: { origin: 'api', retryable: true, retriedOnRecrawl: false, httpStatus: 500 },
  // node fetches: a name that did not resolve rarely resolves a second later; a refused connection or a timeout means
  // a struggling host, to be left alone for a while
  BLOCKED_ADDRESS: fetchFailure(false),
  BLOCKED_SCHEME: fetchFailure(false),
  BLOCKED_PORT: fetchFailure(false),
  INVALID_URL: fetchFailure(false),
  DNS_FAILURE: fetchFailure(true, 30_000),
  CONNECT_FAILED: fetchFailure(true, 10_000),
  TLS_FAILURE: { ...fetchFailure(false, 10_000), retriedOnRecrawl: true },
  TIMEOUT: fetchFailure(true, 15_000),
  TOO_SLOW: fetchFailure(true, 15_000),
  TOO_LARGE: { ...fetchFailure(false), httpStatus: 413 },
  TOO_MANY_REDIRECTS: fetchFailure(false),
  HEADERS_TOO_LARGE: fetchFailure(false),
  BAD_CONTENT_TYPE: fetchFailure(false),
  DECOMPRESSION_FAILED: fetchFailure(false),
  RENDER_FAILED: { ...fetchFailure(true), retriedOnRecrawl: true },
  NETWORK_ERROR: fetchFailure(true, 10_000),
  // a node declining a job for reasons of its own: the job goes back without spending an attempt
  QUOTA_EXCEEDED: { ...nodeFault('node'), httpStatus: 429 },
  PAUSED: nodeFault('node'),
  BLOCKED_DOMAIN: nodeFault('node'),
  // gateway
  NODE_DISCONNECTED: nodeFault('gateway'),
  NODE_TIMEOUT: nodeFault('gateway'),
  BAD_SIGNATURE: nodeFault('gateway'),
  BODY_HASH_MISMATCH: nodeFault('gateway'),
  BAD_RESULT: nodeFault('gateway'),
  REDIRECT_OUT_OF_SCOPE: { ...apiError(422), origin: 'gateway' },
  // pipeline
  HTTP_ERROR: {
    origin: 'pipeline',
    retryable: false,
    firstRetryDelayMs: 5_000,
    retriedOnRecrawl: false,
    httpStatus: 502,
  },
  EXTRACT_FAILED: { origin: 'pipeline', retryable: false, retriedOnRecrawl: false, httpStatus: 422 },
  EMPTY_CONTENT: { origin: 'pipeline', retryable: false, retriedOnRecrawl: false, httpStatus: 422 },
  ROBOTS_UNAVAILABLE: { origin: 'pipeline', retryable: false, retriedOnRecrawl: true, httpStatus: 502 },
} as const satisfies Record<string, ErrorCodeInfo>;

/** Every error code Gleaner puts on the wire. */
export type ErrorCode = keyof typeof ERROR_TABLE;

/** Every error code, in table order (the source of the contracts' zod enum). */
export const ERROR_CODES = Object.keys(ERROR_TABLE) as [ErrorCode, ...ErrorCode[]];

/** Codes a node may report in a result: its fetch failures and its own refusals. Anything else from a node is invalid. */
export const NODE_RESULT_CODES: ReadonlySet<ErrorCode> = new Set(
  ERROR_CODES.filter((code) => ['fetch', 'node'].includes(ERROR_TABLE[code].origin)),
);

/** Codes with which a node declines a job for reasons of its own: the job goes back without spending an attempt. */
export const NODE_DECLINE_CODES: ReadonlySet<ErrorCode> = new Set(
  ERROR_CODES.filter((code) => ERROR_TABLE[code].origin === 'node'),
);

/** Failure codes whose URLs a recrawl round asks for again (besides HTTP 5xx and 429). */
export const RECRAWL_RETRIED_CODES: readonly ErrorCode[] = ERROR_CODES.filter(
  (code) => ERROR_TABLE[code].retriedOnRecrawl,
);

/** Why the frontier took a URL for a crawler trap: one of its trap rules, or one of its two counted caps. */
export type TrapReason =
  | 'url-length'
  | 'path-depth'
  | 'repeated-segment'
  | 'repeated-sequence'
  | 'calendar'
  /** More distinct query variants of one path than the campaign allows. */
  | 'query-variants'
  /** More pages under one calendar key than the campaign allows. */
  | 'calendar-run';

/**
 * Stable codes for why a page failed a campaign's quality filter. Stored on rejected URLs and shown to people, so
 * existing codes never change meaning; new ones may be appended.
 */
export const QUALITY_REJECT_REASONS = [
  'LANGUAGE_NOT_ALLOWED',
  'TOO_FEW_WORDS',
  'TOO_MANY_WORDS',
  'MEAN_WORD_LENGTH',
  'SYMBOL_RATIO',
  'DIGIT_RATIO',
  'TOO_FEW_PUNCTUATED_LINES',
  'DUPLICATE_LINES',
  'DUPLICATE_PARAGRAPHS',
  'NGRAM_REPETITION',
] as const;

/** One of {@link QUALITY_REJECT_REASONS}. */
export type QualityRejectReason = (typeof QUALITY_REJECT_REASONS)[number];

/** How each {@link TrapReason} is stored as a URL's skip reason. */
export const TRAP_SKIP_REASONS = {
  'url-length': 'TRAP_URL_LENGTH',
  'path-depth': 'TRAP_PATH_DEPTH',
  'repeated-segment': 'TRAP_REPEATED_SEGMENT',
  'repeated-sequence': 'TRAP_REPEATED_SEQUENCE',
  calendar: 'TRAP_CALENDAR',
  'query-variants': 'TRAP_QUERY_VARIANTS',
  'calendar-run': 'TRAP_CALENDAR_RUN',
} as const satisfies Record<TrapReason, `TRAP_${string}`>;

/**
 * Why a URL was skipped rather than fetched or recorded: a decision about the URL, not a failure, so never an
 * {@link ErrorCode} (it is neither retried nor asked for again in a recrawl round). `ROBOTS`: robots.txt disallows
 * it; `HOST_LIMIT`: its host reached the campaign's `maxPagesPerHost`; a crawler trap ({@link TRAP_SKIP_REASONS});
 * a {@link QualityRejectReason}; or a choice of the site ({@link SiteSkipReason}: noindex, noai, a TDM reservation,
 * a removal request). Stored in `urls.error_code` of `skipped` URLs.
 */
export type UrlSkipReason =
  'ROBOTS' | 'HOST_LIMIT' | (typeof TRAP_SKIP_REASONS)[TrapReason] | QualityRejectReason | SiteSkipReason;

/** Whether a string is a known error code. */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_TABLE, code);
}

/** What the table says of a code. */
export function errorInfo(code: ErrorCode): ErrorCodeInfo {
  return ERROR_TABLE[code];
}

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

/** Whether an error code, in general, is worth retrying. */
export function isRetryableCode(code: ErrorCode): boolean {
  return ERROR_TABLE[code].retryable;
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
