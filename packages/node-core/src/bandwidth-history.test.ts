import { describe, expect, it } from 'vitest';
import { BandwidthHistory } from './bandwidth-history.js';

describe('BandwidthHistory', () => {
  it('averages bytes per slot and forgets what left the window', () => {
    const history = new BandwidthHistory(60_000, 10_000);
    history.add(10_000, 5_000);
    history.add(30_000, 12_000);
    let series = history.series(15_000);
    expect(series).toHaveLength(6);
    expect(series.at(-1)).toEqual({ at: 10_000, bytesPerSecond: 3000 });
    expect(series.at(-2)).toEqual({ at: 0, bytesPerSecond: 1000 });
    series = history.series(75_000);
    expect(series.every((p) => p.bytesPerSecond === 0)).toBe(true);
  });
});
