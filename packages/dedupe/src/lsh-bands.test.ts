import { describe, expect, it } from 'vitest';
import { bandHashes, bBitSketch, jaccardFromSketchMatches, sketchMatchesForThreshold } from './lsh-bands.js';

describe('bandHashes', () => {
  it('hashes 14 bands of 8 rows; equal slices give equal hashes, whatever the other bands hold', () => {
    const a = Uint32Array.from({ length: 112 }, (_, i) => i * 7919);
    const b = Uint32Array.from(a);
    b[100] = 1;
    const [ha, hb] = [bandHashes(a), bandHashes(b)];
    expect(ha).toHaveLength(14);
    expect(hb.slice(0, 12)).toEqual(ha.slice(0, 12));
    expect(hb[12]).not.toEqual(ha[12]);
    expect(new Set(ha.map((h) => h.high)).size).toBe(14);
  });

  it('refuses a signature that does not split into the bands', () => {
    expect(() => bandHashes(new Uint32Array(100))).toThrow(RangeError);
  });
});

describe('b-bit sketches', () => {
  it('packs the low 4 bits of each value two to a byte', () => {
    expect([...bBitSketch(Uint32Array.of(0x1f, 0x2e, 0x33))]).toEqual([0xef, 0x03]);
    expect(bBitSketch(new Uint32Array(112))).toHaveLength(56);
  });

  it('converts between a Jaccard threshold and agreeing positions, correcting for chance agreement', () => {
    expect(sketchMatchesForThreshold(0.8, 112)).toBe(91);
    expect(jaccardFromSketchMatches(91, 112)).toBeGreaterThanOrEqual(0.8);
    expect(jaccardFromSketchMatches(90, 112)).toBeLessThan(0.8);
    expect(jaccardFromSketchMatches(0, 112)).toBe(0);
  });
});
