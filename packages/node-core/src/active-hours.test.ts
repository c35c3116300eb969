import { describe, expect, it } from 'vitest';
import { isWithinActiveHours, localDay, msUntilLocalMidnight, parseActiveHours } from './active-hours.js';

const at = (h: number, m = 0) => new Date(2025, 5, 1, h, m);

describe('active hours', () => {
  it('parses windows and "always"', () => {
    expect(parseActiveHours('09:00-17:30')).toEqual({ startMinute: 540, endMinute: 1050 });
    expect(parseActiveHours('')).toBeUndefined();
    expect(parseActiveHours('always')).toBeUndefined();
    expect(() => parseActiveHours('9am-5pm')).toThrow(/09:00-17:00/);
    expect(() => parseActiveHours('10:00-10:00')).toThrow(/empty/);
  });

  it('judges day and overnight windows in local time', () => {
    const day = parseActiveHours('09:00-17:00');
    expect(isWithinActiveHours(day, at(8, 59))).toBe(false);
    expect(isWithinActiveHours(day, at(9))).toBe(true);
    expect(isWithinActiveHours(day, at(17))).toBe(false);
    const night = parseActiveHours('22:00-06:00');
    expect(isWithinActiveHours(night, at(23))).toBe(true);
    expect(isWithinActiveHours(night, at(5, 59))).toBe(true);
    expect(isWithinActiveHours(night, at(12))).toBe(false);
    expect(isWithinActiveHours(undefined, at(3))).toBe(true);
  });

  it('names local days and counts to midnight', () => {
    expect(localDay(at(23, 59))).toBe('2025-06-01');
    expect(msUntilLocalMidnight(at(23, 0))).toBe(60 * 60 * 1000);
  });
});
