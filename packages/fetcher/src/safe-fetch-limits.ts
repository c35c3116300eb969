/** Hard limits of one fetch. Every field is a ceiling; per-request limits can only lower them. */
export interface SafeFetchLimits {
  /** Bytes on the wire (still compressed) for the response body. Default 5 MiB. */
  maxBodyBytes: number;
  /** Bytes after content decoding. Default 20 MiB. */
  maxDecodedBytes: number;
  /** Ratio of decoded to wire bytes above which a body counts as a decompression bomb. Default 100. */
  maxCompressionRatio: number;
  /** Milliseconds from the start of each hop (DNS, connect, TLS, request) until its headers are complete. Default 15 000. */
  headersTimeoutMs: number;
  /** Milliseconds for the whole fetch, redirects and rendering included. Default 30 000. */
  totalTimeoutMs: number;
  /** Lowest average body transfer rate in bytes per second, checked once `rateGraceMs` has passed. Default 1024. */
  minBytesPerSecond: number;
  /** Milliseconds after the headers during which the transfer rate is not checked. Default 5 000. */
  rateGraceMs: number;
  /** Bytes of response headers (status line excluded). Default 64 KiB. */
  maxHeaderBytes: number;
  /** Redirects followed before giving up with `TOO_MANY_REDIRECTS`. Default 5. */
  maxRedirects: number;
  /**
   * Media-type prefixes accepted for the final response (compared case-insensitively against the `Content-Type`
   * value). A response without `Content-Type` is accepted. Default: text/html, application/xhtml+xml, text/plain,
   * application/xml, text/xml, application/json, application/ld+json, application/rss+xml, application/atom+xml,
   * application/gzip, application/x-gzip (gzipped sitemaps).
   */
  allowedContentTypes: readonly string[];
}

/** The defaults documented on {@link SafeFetchLimits}. */
export const DEFAULT_SAFE_FETCH_LIMITS: Readonly<SafeFetchLimits> = Object.freeze({
  maxBodyBytes: 5 * 1024 * 1024,
  maxDecodedBytes: 20 * 1024 * 1024,
  maxCompressionRatio: 100,
  headersTimeoutMs: 15_000,
  totalTimeoutMs: 30_000,
  minBytesPerSecond: 1024,
  rateGraceMs: 5_000,
  maxHeaderBytes: 64 * 1024,
  maxRedirects: 5,
  allowedContentTypes: Object.freeze([
    'text/html',
    'application/xhtml+xml',
    'text/plain',
    'application/xml',
    'text/xml',
    'application/json',
    'application/ld+json',
    'application/rss+xml',
    'application/atom+xml',
    // Gzipped sitemaps (`sitemap.xml.gz`) arrive as these; the worker unpacks them within its own size cap.
    'application/gzip',
    'application/x-gzip',
  ]),
});

const NUMERIC_KEYS = [
  'maxBodyBytes',
  'maxDecodedBytes',
  'maxCompressionRatio',
  'headersTimeoutMs',
  'totalTimeoutMs',
  'maxHeaderBytes',
  'maxRedirects',
] as const;

/**
 * Combines a base with overrides so that the result is never looser than the base: numeric ceilings take the
 * minimum, the minimum rate takes the maximum, the grace window the minimum, and content types the intersection
 * (an override type is kept only if some base prefix covers it). Invalid numbers (NaN, negative) are ignored.
 */
export function tightenLimits(
  base: SafeFetchLimits,
  override: Partial<SafeFetchLimits> | undefined,
): SafeFetchLimits {
  if (override === undefined) return base;
  const out: SafeFetchLimits = { ...base };
  const ok = (n: number | undefined): n is number => typeof n === 'number' && !Number.isNaN(n) && n >= 0;
  for (const key of NUMERIC_KEYS) {
    const value = override[key];
    if (ok(value)) out[key] = Math.min(base[key], value);
  }
  if (ok(override.minBytesPerSecond))
    out.minBytesPerSecond = Math.max(base.minBytesPerSecond, override.minBytesPerSecond);
  if (ok(override.rateGraceMs)) out.rateGraceMs = Math.min(base.rateGraceMs, override.rateGraceMs);
  if (override.allowedContentTypes !== undefined) {
    out.allowedContentTypes = override.allowedContentTypes
      .map((t) => t.toLowerCase())
      .filter((t) => base.allowedContentTypes.some((b) => t.startsWith(b.toLowerCase())));
  }
  return out;
}

/** Builds an instance's limits from the defaults and the owner's settings (which may loosen the defaults). */
export function resolveLimits(owner: Partial<SafeFetchLimits> | undefined): SafeFetchLimits {
  const out: SafeFetchLimits = { ...DEFAULT_SAFE_FETCH_LIMITS };
  if (owner === undefined) return out;
  for (const [key, value] of Object.entries(owner) as [keyof SafeFetchLimits, unknown][]) {
    if (value !== undefined) (out as unknown as Record<string, unknown>)[key] = value;
  }
  return out;
}

/** Whether a `Content-Type` header value is acceptable under `allowed` prefixes. Missing header: accepted. */
export function isAllowedContentType(contentType: string | undefined, allowed: readonly string[]): boolean {
  if (contentType === undefined || contentType.trim() === '') return true;
  const semicolon = contentType.indexOf(';');
  const essence = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  for (const prefix of allowed) if (essence.startsWith(prefix.toLowerCase())) return true;
  return false;
}
