import { describe, expect, it } from 'vitest';
import {
  exactJaccard,
  normalizeForShingles,
  shingleHashes,
  shingleSet,
  wordHashes,
} from './shingle-hashes.js';

describe('normalizeForShingles', () => {
  it('applies NFKC, lower-cases, drops punctuation and collapses white space', () => {
    expect(normalizeForShingles('  Ｈｅｌｌｏ,\tWorld!!  It’s\n\n“fine” — ok… ')).toBe(
      'hello world it s fine ok',
    );
  });
});

describe('shingleHashes', () => {
  it('gives one hash per 5-word window and ignores case, spacing and punctuation', () => {
    const a = shingleHashes('one two three four five six seven');
    expect(a).toHaveLength(3);
    expect(shingleHashes('One, two THREE four   five six. Seven!')).toEqual(a);
  });

  it('gives one shingle for a short text and none for an empty one', () => {
    expect(shingleHashes('just three words')).toHaveLength(1);
    expect(shingleHashes(' ...  ')).toHaveLength(0);
  });

  it('depends on word order', () => {
    expect(shingleHashes('a b c d e')).not.toEqual(shingleHashes('e d c b a'));
  });

  it('hashes each word once', () => {
    expect(wordHashes('a b a')[0]).toBe(wordHashes('a b a')[2]);
  });
});

describe('exactJaccard', () => {
  it('counts shared shingles over all shingles', () => {
    const a = shingleSet('w1 w2 w3 w4 w5 w6');
    const b = shingleSet('w1 w2 w3 w4 w5 x6');
    expect(a.size).toBe(2);
    expect(exactJaccard(a, b)).toBeCloseTo(1 / 3);
    expect(exactJaccard(a, a)).toBe(1);
    expect(exactJaccard(new Set(), new Set())).toBe(1);
  });
});
