import { describe, expect, it } from 'vitest';
import { estimateJaccard, MinHasher, MINHASH_PRIME } from './min-hasher.js';
import { exactJaccard, shingleSet } from './shingle-hashes.js';
import { SyntheticText } from './synthetic-text.js';

describe('MinHasher', () => {
  const hasher = new MinHasher();

  it('gives 112 values below 2^31 - 1, the same for the same text on any instance', () => {
    const text = new SyntheticText(1).document(400).join(' ');
    const signature = hasher.signature(text);
    expect(signature).toHaveLength(112);
    expect(signature.every((value) => value < MINHASH_PRIME)).toBe(true);
    expect(new MinHasher().signature(text)).toEqual(signature);
    expect(hasher.signature(text.toUpperCase().replace(/ /g, '  '))).toEqual(signature);
  });

  it('gives different signatures under different seeds', () => {
    const text = new SyntheticText(2).document(300).join(' ');
    expect(new MinHasher({ seed: 7 }).signature(text)).not.toEqual(hasher.signature(text));
  });

  it('gives every value 2^31 - 1 for a text without words', () => {
    expect(hasher.signature('—').every((value) => value === MINHASH_PRIME)).toBe(true);
  });

  it('estimates the exact Jaccard of 5-word shingles within sampling error', () => {
    const generator = new SyntheticText(3);
    const errors: number[] = [];
    for (let i = 0; i < 300; i++) {
      const base = generator.document(generator.int(300, 800));
      const edited = generator.edit(base, [0.01, 0.03, 0.1, 0.3][i % 4]!, i % 2 ? 'block' : 'scattered');
      const exact = exactJaccard(shingleSet(base.join(' ')), shingleSet(edited.join(' ')));
      const estimate = estimateJaccard(hasher.signature(base.join(' ')), hasher.signature(edited.join(' ')));
      errors.push(estimate - exact);
      // The standard error of 112 samples is at most 0.047; 5 of them is far out in the tail.
      expect(Math.abs(estimate - exact)).toBeLessThan(0.24);
    }
    const mean = errors.reduce((sum, e) => sum + e, 0) / errors.length;
    const rms = Math.sqrt(errors.reduce((sum, e) => sum + e * e, 0) / errors.length);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(rms).toBeLessThan(0.05);
  });
});

describe('estimateJaccard', () => {
  it('is the share of equal positions', () => {
    expect(estimateJaccard(Uint32Array.of(1, 2, 3, 4), Uint32Array.of(1, 2, 0, 0))).toBe(0.5);
    expect(() => estimateJaccard(Uint32Array.of(1), Uint32Array.of(1, 2))).toThrow(RangeError);
  });
});
