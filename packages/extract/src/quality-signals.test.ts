import { describe, expect, it } from 'vitest';
import { qualitySignals } from './quality-signals.js';

describe('qualitySignals', () => {
  it('measures words, symbols, digits and line endings', () => {
    const q = qualitySignals('One two three.\n\nFour five #six …\nSeven 2024 eight!');
    expect(q.wordCount).toBe(10);
    expect(q.meanWordLength).toBe(4);
    expect(q.symbolToWordRatio).toBe(0.2);
    expect(q.digitRatio).toBe(0.1);
    expect(q.lineEndPunctuationRatio).toBe(1);
    expect(qualitySignals('Menu\nHome\nA sentence.').lineEndPunctuationRatio).toBeCloseTo(1 / 3, 3);
  });

  it('measures duplicate lines and paragraphs', () => {
    const q = qualitySignals(
      'Same line\nSame line\nOther line\n\nSame line\nSame line\nOther line\n\nUnique',
    );
    expect(q.duplicateLineRatio).toBeCloseTo(4 / 7, 3);
    expect(q.duplicateParagraphRatio).toBeCloseTo(1 / 3, 3);
  });

  it('measures the share of characters in the most repeated n-grams', () => {
    const q = qualitySignals('The cat sat and the cat ran');
    // "the cat" occurs twice, 6 word characters each, in 21 word characters.
    expect(q.top2gramCharRatio).toBeCloseTo(12 / 21, 3);
    expect(q.top3gramCharRatio).toBe(0);
    expect(qualitySignals('buy now buy now buy now buy now').top2gramCharRatio).toBe(1);
    expect(qualitySignals('every word here is different from the rest').top2gramCharRatio).toBe(0);
  });

  it('returns zeros for empty text', () => {
    expect(qualitySignals('')).toMatchObject({ wordCount: 0, meanWordLength: 0, duplicateLineRatio: 0 });
  });
});
