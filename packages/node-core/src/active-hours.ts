/** A daily window in local time, in minutes since midnight; `end` before `start` wraps past midnight. */
export interface ActiveHours {
  startMinute: number;
  endMinute: number;
}

const RANGE = /^([01]?\d|2[0-3]):([0-5]\d)\s*-\s*([01]?\d|2[0-4]):([0-5]\d)$/;

/**
 * Parses `HH:MM-HH:MM` (local time, e.g. `09:00-17:00` or `22:00-06:00`). An empty string or `always` means no
 * window (always active) and gives `undefined`. Throws a readable error on anything else.
 */
export function parseActiveHours(text: string): ActiveHours | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.toLowerCase() === 'always') return undefined;
  const match = RANGE.exec(trimmed);
  if (!match) throw new Error(`active hours must look like 09:00-17:00, not "${text}"`);
  const [, h1, m1, h2, m2] = match.map(Number) as [number, number, number, number, number];
  const startMinute = h1 * 60 + m1;
  const endMinute = Math.min(h2 * 60 + m2, 24 * 60);
  if (startMinute === endMinute) throw new Error(`active hours "${text}" are empty`);
  return { startMinute, endMinute };
}

/** Whether `at` (local time) falls in the window; always true without a window. */
export function isWithinActiveHours(hours: ActiveHours | undefined, at: Date): boolean {
  if (!hours) return true;
  const minute = at.getHours() * 60 + at.getMinutes();
  return hours.startMinute < hours.endMinute
    ? minute >= hours.startMinute && minute < hours.endMinute
    : minute >= hours.startMinute || minute < hours.endMinute;
}

/** Local calendar day of `at` as `YYYY-MM-DD`. */
export function localDay(at: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** Milliseconds from `at` to the next local midnight. */
export function msUntilLocalMidnight(at: Date): number {
  const next = new Date(at.getFullYear(), at.getMonth(), at.getDate() + 1);
  return next.getTime() - at.getTime();
}
