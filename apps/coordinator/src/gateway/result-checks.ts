import type { ResultHeader } from '@gleaner/contracts';

/** How far a node's clock may be off the coordinator's before its `fetchedAt` is refused, ms. */
export const CLOCK_SKEW_MS = 60_000;

/** What the gateway knows of the lease a result answers. */
export interface LeaseFacts {
  /** The URL the job asked for. */
  jobUrl: string;
  /** The lease attempt the job was sent with. */
  attempt: number;
  /** Most redirects the job allowed. */
  maxRedirects: number;
  /** When the job was sent, ms since the epoch. */
  sentAt: number;
}

/** Why a result is refused: `STALE_ATTEMPT` answers an earlier lease; `BAD_RESULT` cannot be a true answer. */
export type ResultProblem = { code: 'STALE_ATTEMPT' | 'BAD_RESULT'; reason: string };

/**
 * Checks a result (already shaped by the contracts' schema) against the lease it answers: the attempt, the clock,
 * the timings, status against error, and the redirect chain — it must start at the job's URL and hold no more hops
 * than the job allowed; without redirects the final URL is the job's URL. Undefined when nothing is wrong.
 * Everything here is cheap and needs no I/O; scope and robots.txt of a redirect's target are checked after it.
 */
export function checkResult(
  header: ResultHeader,
  lease: LeaseFacts,
  now = Date.now(),
): ResultProblem | undefined {
  if (header.attempt !== lease.attempt) {
    return {
      code: 'STALE_ATTEMPT',
      reason: `answers attempt ${header.attempt}, the lease is attempt ${lease.attempt}`,
    };
  }
  const fetchedAt = Date.parse(header.fetchedAt);
  if (Number.isNaN(fetchedAt)) return bad('fetchedAt is not a date');
  if (fetchedAt < lease.sentAt - CLOCK_SKEW_MS || fetchedAt > now + CLOCK_SKEW_MS) {
    return bad('fetchedAt is outside the lease');
  }
  const { headersMs, totalMs } = header.timings;
  if (headersMs > totalMs) return bad('timings: headers arrived after the end');
  if (totalMs > now - lease.sentAt + CLOCK_SKEW_MS) return bad('timings: longer than the lease');
  if (header.error) {
    if (header.status !== 0 || header.bodyBytes !== 0)
      return bad('a failed fetch carries a status or a body');
  } else if (header.status < 100 || header.status > 599) {
    return bad(`status ${header.status} is not an HTTP status`);
  }
  return checkChain(header, lease);
}

function checkChain(header: ResultHeader, lease: LeaseFacts): ResultProblem | undefined {
  if (header.redirects.length > lease.maxRedirects) {
    return bad(`${header.redirects.length} redirects, the job allowed ${lease.maxRedirects}`);
  }
  const chain = [...header.redirects, header.finalUrl].map(webUrl);
  if (chain.some((url) => url === undefined))
    return bad('the redirect chain holds a URL that is not http(s)');
  if (chain[0] !== webUrl(lease.jobUrl)) {
    return bad(
      header.redirects.length > 0
        ? 'the redirect chain does not start at the job URL'
        : 'final URL is not the job URL',
    );
  }
  return undefined;
}

/** The serialized form of an http(s) URL, or undefined. */
function webUrl(text: string): string | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function bad(reason: string): ResultProblem {
  return { code: 'BAD_RESULT', reason };
}

/** Whether the result ended somewhere other than where the job asked (after a redirect). */
export function redirectedElsewhere(header: ResultHeader, jobUrl: string): boolean {
  return header.redirects.length > 0 && webUrl(header.finalUrl) !== webUrl(jobUrl);
}
