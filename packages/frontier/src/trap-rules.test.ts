import { describe, expect, it } from 'vitest';
import {
  calendarKey,
  DEFAULT_TRAP_LIMITS,
  findCalendarYears,
  queryVariantKey,
  trapReason,
} from './trap-rules.js';

const at = (href: string, year = 2025): ReturnType<typeof trapReason> =>
  trapReason(new URL(href), { referenceYear: year });

describe('trapReason', () => {
  it('passes ordinary URLs', () => {
    for (const href of [
      'https://a.test/',
      'https://a.test/docs/guide/intro?lang=en',
      'https://a.test/blog/2024/05/01/hello-world',
      'https://a.test/item/2500',
      'https://a.test/shop?price_from=1000&price_to=2500',
      'https://a.test/a/b/a/b',
      'https://a.test/en/x/en/y',
    ]) {
      expect(at(href), href).toBeUndefined();
    }
  });

  it('stops URLs longer than maxUrlLength', () => {
    const base = 'https://a.test/?q=';
    const fits = base + 'x'.repeat(DEFAULT_TRAP_LIMITS.maxUrlLength - base.length);
    expect(at(fits)).toBeUndefined();
    expect(at(`${fits}x`)).toBe('url-length');
    expect(trapReason(new URL('https://a.test/abcdef'), { maxUrlLength: 10 })).toBe('url-length');
  });

  it('stops paths deeper than maxPathDepth', () => {
    const path = (n: number): string => Array.from({ length: n }, (_, i) => `s${i}`).join('/');
    expect(at(`https://a.test/${path(16)}`)).toBeUndefined();
    expect(at(`https://a.test/${path(17)}`)).toBe('path-depth');
    expect(at(`https://a.test/${path(16)}/`)).toBeUndefined();
    expect(at(`https://a.test/a${'/'.repeat(20)}b`)).toBe('path-depth');
    expect(trapReason(new URL('https://a.test/a/b/c'), { maxPathDepth: 2 })).toBe('path-depth');
  });

  it('stops a segment seen three times or more', () => {
    expect(at('https://a.test/img/x/img/y/img')).toBe('repeated-segment');
    expect(at('https://a.test/a/a/a')).toBe('repeated-segment');
    expect(at('https://a.test/a/%61/a')).toBe('repeated-segment');
    expect(trapReason(new URL('https://a.test/a/a/a'), { maxSegmentRepeats: 3 })).toBeUndefined();
  });

  it('stops a run of segments repeated three times back to back', () => {
    expect(at('https://a.test/a/b/a/b/a/b')).toBe('repeated-sequence');
    expect(at('https://a.test/x/p/q/r/p/q/r/p/q/r/end')).toBe('repeated-sequence');
    expect(
      trapReason(new URL('https://a.test/a/b/a/b'), { maxSequenceRepeats: 1, maxSegmentRepeats: 5 }),
    ).toBe('repeated-sequence');
  });

  describe('calendar', () => {
    it('accepts dates inside [reference - 10, reference + 2]', () => {
      expect(at('https://a.test/cal/2015/01')).toBeUndefined();
      expect(at('https://a.test/cal/2027/12')).toBeUndefined();
      expect(at('https://a.test/events?date=2027-12-31')).toBeUndefined();
    });

    it('stops dates outside the window, in the path and in the query', () => {
      expect(at('https://a.test/cal/2014/12')).toBe('calendar');
      expect(at('https://a.test/cal/2028/1')).toBe('calendar');
      expect(at('https://a.test/archive/1999-01-01-party')).toBe('calendar');
      expect(at('https://a.test/events?date=2031-05-01')).toBe('calendar');
      expect(at('https://a.test/events?when=2031-05')).toBe('calendar');
      expect(at('https://a.test/events?year=2040')).toBe('calendar');
      expect(at('https://a.test/events?startDate=19800101')).toBe('calendar');
      expect(at('https://a.test/events?month=203105')).toBe('calendar');
    });

    it('does not read lone numbers as years', () => {
      expect(at('https://a.test/product/1984')).toBeUndefined();
      expect(at('https://a.test/search?page=2099')).toBeUndefined();
      expect(at('https://a.test/2099/widgets')).toBeUndefined();
      expect(at('https://a.test/list?id=20990101')).toBeUndefined();
    });

    it('takes the window from the limits', () => {
      expect(
        trapReason(new URL('https://a.test/cal/1990/01'), { referenceYear: 2025, calendarPastYears: 50 }),
      ).toBe(undefined);
      expect(
        trapReason(new URL('https://a.test/cal/2026/01'), { referenceYear: 2025, calendarFutureYears: 0 }),
      ).toBe('calendar');
    });

    it('uses the current UTC year by default', () => {
      const year = new Date().getUTCFullYear();
      expect(trapReason(new URL(`https://a.test/cal/${year}/01`))).toBeUndefined();
      expect(trapReason(new URL(`https://a.test/cal/${year + 3}/01`))).toBe('calendar');
    });

    it('lists the years it found', () => {
      expect(findCalendarYears(new URL('https://a.test/2024/05/x?from=2023-01-01&year=2022&n=2021'))).toEqual(
        [2024, 2023, 2022],
      );
    });
  });
});

describe('queryVariantKey', () => {
  it('is origin plus path, without query or fragment', () => {
    const a = queryVariantKey(new URL('https://a.test:8443/list?page=2&sort=asc#top'));
    expect(a).toBe('https://a.test:8443/list');
    expect(queryVariantKey(new URL('https://a.test:8443/list?sessionid=abc'))).toBe(a);
    expect(queryVariantKey(new URL('https://a.test:8443/other?page=2'))).not.toBe(a);
  });

  it('caps variants when the caller counts them', () => {
    const counts = new Map<string, number>();
    let stopped = 0;
    for (let i = 0; i < 250; i++) {
      const key = queryVariantKey(new URL(`https://a.test/search?sid=${i}`));
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      if (count > DEFAULT_TRAP_LIMITS.maxQueryVariantsPerPath) stopped++;
    }
    expect(stopped).toBe(150);
  });
});

describe('calendarKey', () => {
  it('shares one key across the days of a calendar', () => {
    const a = calendarKey(new URL('https://a.test/cal/2024/05/01'));
    expect(a).toBe('https://a.test/cal/{year}/{month}/{day}');
    expect(calendarKey(new URL('https://a.test/cal/2031/11/30'))).toBe(a);
    expect(calendarKey(new URL('https://a.test/events?view=day&date=2024-05-01'))).toBe(
      'https://a.test/events?view=day&date={date}',
    );
    expect(calendarKey(new URL('https://a.test/events?date=20240501'))).toBe(
      'https://a.test/events?date={date}',
    );
  });

  it('keeps dated posts apart and ignores undated URLs', () => {
    expect(calendarKey(new URL('https://a.test/2024/05/01/hello'))).not.toBe(
      calendarKey(new URL('https://a.test/2024/05/02/bye')),
    );
    expect(calendarKey(new URL('https://a.test/2024-05-01-hello'))).toBe('https://a.test/{date}-hello');
    expect(calendarKey(new URL('https://a.test/docs/intro'))).toBeUndefined();
  });
});
