import type { ErrorCode } from '@gleaner/core';

/**
 * A refusal or limit hit inside the fetcher. Thrown internally and turned into a `{ ok: false }` outcome at the
 * public boundary: `SafeFetcher.fetch` never lets it escape.
 */
export class FetchFailure extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FetchFailure';
    this.code = code;
  }
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'EPROTO',
]);

function errorCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Maps anything thrown by undici, node:net, node:tls or node:zlib to a {@link FetchFailure}. */
export function toFetchFailure(error: unknown): FetchFailure {
  if (error instanceof FetchFailure) return error;
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause instanceof FetchFailure) return cause;
  const code = errorCodeOf(error) ?? errorCodeOf(cause);
  const message = error instanceof Error ? error.message : String(error);
  if (code === undefined) return new FetchFailure('NETWORK_ERROR', message, { cause: error });
  if (code === 'UND_ERR_HEADERS_OVERFLOW')
    return new FetchFailure('HEADERS_TOO_LARGE', message, { cause: error });
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new FetchFailure('TIMEOUT', message, { cause: error });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA') {
    return new FetchFailure('DNS_FAILURE', message, { cause: error });
  }
  if (
    ['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT'].includes(code)
  ) {
    return new FetchFailure('CONNECT_FAILED', message, { cause: error });
  }
  if (TLS_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
    return new FetchFailure('TLS_FAILURE', message, { cause: error });
  }
  if (code.startsWith('Z_') || code === 'ERR_BROTLI_INVALID_PARAM') {
    return new FetchFailure('DECOMPRESSION_FAILED', message, { cause: error });
  }
  return new FetchFailure('NETWORK_ERROR', message, { cause: error });
}
