/**
 * Crawler-trap rules: cheap, stateless checks on one URL that stop infinite URL spaces (session-id loops, relative
 * link loops, calendars) before they reach the queue. Two rules need counting across URLs, which the caller does
 * with a capped counter per key: {@link queryVariantKey} and {@link calendarKey}. Pure: no I/O.
 */

import type { TrapReason } from '@gleaner/core';

/** Why a URL was taken for a trap (defined in core, beside the other skip reasons). */
export type { TrapReason };

/** Limits of the trap rules; see {@link DEFAULT_TRAP_LIMITS}. */
export interface TrapLimits {
  /** Longest URL accepted, in characters of its serialized form. Default 2048. */
  maxUrlLength: number;
  /** Most path segments accepted (`/a/b/` has 2; empty segments count). Default 16. */
  maxPathDepth: number;
  /** How often one non-empty segment may occur in a path; one more is a trap. Default 2. */
  maxSegmentRepeats: number;
  /** How often a run of 2+ segments may repeat back to back (`/a/b/a/b` is 2); one more is a trap. Default 2. */
  maxSequenceRepeats: number;
  /** Dates more than this many years before the reference year are a calendar trap. Default 10. */
  calendarPastYears: number;
  /** Dates more than this many years after the reference year are a calendar trap. Default 2. */
  calendarFutureYears: number;
  /** The reference year for the calendar window; undefined means the current UTC year. Default undefined. */
  referenceYear: number | undefined;
  /** Cap for the caller's count of distinct URLs per {@link queryVariantKey}. Default 100. */
  maxQueryVariantsPerPath: number;
  /** Cap for the caller's count of distinct URLs per {@link calendarKey}. Default 1000. */
  maxCalendarPagesPerKey: number;
}

/** The default trap limits. */
export const DEFAULT_TRAP_LIMITS: Readonly<TrapLimits> = Object.freeze({
  maxUrlLength: 2048,
  maxPathDepth: 16,
  maxSegmentRepeats: 2,
  maxSequenceRepeats: 2,
  calendarPastYears: 10,
  calendarFutureYears: 2,
  referenceYear: undefined,
  maxQueryVariantsPerPath: 100,
  maxCalendarPagesPerKey: 1000,
});

/**
 * Returns why `url` looks like a crawler trap, or undefined. Checked in this order:
 * 1. `url-length`: the serialized URL is longer than `maxUrlLength`.
 * 2. `path-depth`: more than `maxPathDepth` path segments.
 * 3. `repeated-sequence`: a run of two or more segments repeats back to back more than `maxSequenceRepeats`
 *    times (`/a/b/a/b/a/b`), the signature of a relative-link loop.
 * 4. `repeated-segment`: one non-empty segment occurs more than `maxSegmentRepeats` times anywhere in the path.
 * 5. `calendar`: a date in the URL has a year outside [reference − `calendarPastYears`,
 *    reference + `calendarFutureYears`]; see {@link findCalendarYears} for what counts as a date.
 */
export function trapReason(url: URL, limits: Partial<TrapLimits> = {}): TrapReason | undefined {
  const l = { ...DEFAULT_TRAP_LIMITS, ...limits };
  if (url.href.length > l.maxUrlLength) return 'url-length';
  const segments = pathSegments(url);
  if (segments.length > l.maxPathDepth) return 'path-depth';
  if (hasRepeatedSequence(segments, l.maxSequenceRepeats)) return 'repeated-sequence';
  if (hasRepeatedSegment(segments, l.maxSegmentRepeats)) return 'repeated-segment';
  const reference = l.referenceYear ?? new Date().getUTCFullYear();
  const years = findCalendarYears(url);
  if (years.some((y) => y < reference - l.calendarPastYears || y > reference + l.calendarFutureYears)) {
    return 'calendar';
  }
  return undefined;
}

/**
 * The key under which the caller counts distinct query variants of one path: origin plus path, without the query.
 * A URL with a query whose key has already been counted `maxQueryVariantsPerPath` times is skipped as
 * `query-variants` (URLs without a query are not counted).
 */
export function queryVariantKey(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/**
 * The key under which the caller counts dated pages of one shape, for the `calendar-run` cap: the URL (without
 * fragment) with every date token replaced by a placeholder, or undefined when it has no date. `/cal/2024/05/01`
 * and `/cal/2031/11/30` share `https://host/cal/{year}/{month}/{day}`, so an endless "next day" chain is stopped
 * after `maxCalendarPagesPerKey`, while dated blog posts (`/2024/05/01/some-title`) each get their own key.
 */
export function calendarKey(url: URL): string | undefined {
  const segments = url.pathname.split('/');
  let dated = false;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] ?? '';
    if (DATE_TOKEN.test(segment)) {
      segments[i] = segment.replace(DATE_TOKEN, '{date}');
      dated = true;
    } else if (isYearMonth(segments, i)) {
      segments[i] = '{year}';
      segments[i + 1] = '{month}';
      if (/^(0?[1-9]|[12]\d|3[01])$/.test(segments[i + 2] ?? '')) segments[i + 2] = '{day}';
      dated = true;
    }
  }
  const params = [...url.searchParams].map(([name, value]) => {
    if (queryYear(name, value) !== undefined) {
      dated = true;
      return [name, '{date}'];
    }
    return [name, value];
  });
  if (!dated) return undefined;
  const query = params.map(([name, value]) => `${name}=${value}`).join('&');
  return `${url.origin}${segments.join('/')}${query ? `?${query}` : ''}`;
}

/** A date at the start of a segment or value: `2024-05`, `2024-05-01`, `2024_05_01`, `2024.05.01T10:00`. */
const DATE_TOKEN = /^(\d{4})([-_.])(0?[1-9]|1[0-2])(?:\2(0?[1-9]|[12]\d|3[01]))?(?=$|[^0-9])/;
/** A compact `YYYYMMDD` or `YYYYMM` value, trusted as a date only under a date-like query name. */
const COMPACT_DATE = /^(\d{4})(0[1-9]|1[0-2])((0[1-9]|[12]\d|3[01]))?$/;
/** Query names under which a bare year (`2031`) or a compact date (`20310501`) is read as a date. */
const DATE_KEY = /^(y|yr|year|d|m|day|month|mon|week|cal|calendar|date)$|year|date|month/i;

/** The year of a query value when it is a date (see {@link findCalendarYears}), else undefined. */
function queryYear(name: string, value: string): number | undefined {
  const token = DATE_TOKEN.exec(value);
  if (token) return Number(token[1]);
  if (!DATE_KEY.test(name)) return undefined;
  const compact = COMPACT_DATE.exec(value);
  if (compact) return Number(compact[1]);
  return /^\d{4}$/.test(value) ? Number(value) : undefined;
}

/**
 * The years of the dates found in a URL (see {@link trapReason}): path segments starting with a separated date
 * (`2024-05-01-title`); a 4-digit segment followed by a month segment (`/2024/05`); query values starting with a
 * separated date; and under date-like query names (`year`, `month`, `date`, `day`, `cal`, …) a bare year
 * (`?year=2031`) or a compact `YYYYMM[DD]` (`?date=20310501`). A lone number such as `/item/2500` is not a date.
 */
export function findCalendarYears(url: URL): number[] {
  const years: number[] = [];
  const segments = url.pathname.split('/');
  for (let i = 0; i < segments.length; i++) {
    const token = DATE_TOKEN.exec(segments[i] ?? '');
    if (token) years.push(Number(token[1]));
    else if (isYearMonth(segments, i)) years.push(Number(segments[i]));
  }
  for (const [name, value] of url.searchParams) {
    const year = queryYear(name, value);
    if (year !== undefined) years.push(year);
  }
  return years;
}

function isYearMonth(segments: readonly string[], i: number): boolean {
  return /^\d{4}$/.test(segments[i] ?? '') && /^(0?[1-9]|1[0-2])$/.test(segments[i + 1] ?? '');
}

/** Decoded path segments; `/a/b/` gives [a, b], `/a//b` gives [a, '', b]. */
function pathSegments(url: URL): string[] {
  const path = url.pathname.replace(/^\//, '').replace(/\/$/, '');
  if (!path) return [];
  return path.split('/').map(safeDecode);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function hasRepeatedSegment(segments: readonly string[], maxRepeats: number): boolean {
  const counts = new Map<string, number>();
  for (const segment of segments) {
    if (!segment) continue;
    const count = (counts.get(segment) ?? 0) + 1;
    if (count > maxRepeats) return true;
    counts.set(segment, count);
  }
  return false;
}

function hasRepeatedSequence(segments: readonly string[], maxRepeats: number): boolean {
  const n = segments.length;
  for (let size = 2; size * (maxRepeats + 1) <= n; size++) {
    for (let start = 0; start + size * (maxRepeats + 1) <= n; start++) {
      let repeats = 1;
      for (let next = start + size; next + size <= n && sameRun(segments, start, next, size); next += size) {
        repeats++;
      }
      if (repeats > maxRepeats) return true;
    }
  }
  return false;
}

function sameRun(segments: readonly string[], a: number, b: number, size: number): boolean {
  for (let k = 0; k < size; k++) if (segments[a + k] !== segments[b + k]) return false;
  return true;
}
