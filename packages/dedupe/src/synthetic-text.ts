/** A seeded pseudo-random source returning floats in [0, 1) (Mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How {@link SyntheticText.edit} spreads its edits. */
export type EditMode = 'scattered' | 'block';

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ne',
  'ru',
  'ta',
  'vi',
  'so',
  'pe',
  'du',
  'ga',
  'fi',
  'ho',
  'ze',
  'by',
  'qu',
  'wa',
  'xi',
];

/**
 * A seeded generator of English-like word sequences, and of near-duplicates with a known word-level edit rate, for
 * tests and benchmarks. Words come from a vocabulary of `vocabularySize` (default 50,000) made-up words with a Zipf
 * distribution, so unrelated documents share almost no 5-word shingles.
 */
export class SyntheticText {
  private readonly random: () => number;
  private readonly vocabulary: string[];
  private readonly cumulative: Float64Array;

  constructor(seed: number, vocabularySize = 50_000) {
    this.random = seededRandom(seed);
    const words = new Set<string>();
    const vocabularyRandom = seededRandom(0x766f63);
    while (words.size < vocabularySize) {
      const length = 1 + Math.floor(vocabularyRandom() * 4);
      let word = '';
      for (let i = 0; i < length; i++) word += SYLLABLES[Math.floor(vocabularyRandom() * SYLLABLES.length)];
      words.add(word);
    }
    this.vocabulary = [...words];
    this.cumulative = new Float64Array(vocabularySize);
    let total = 0;
    for (let rank = 0; rank < vocabularySize; rank++) this.cumulative[rank] = total += 1 / (rank + 1);
    for (let rank = 0; rank < vocabularySize; rank++) this.cumulative[rank] = this.cumulative[rank]! / total;
  }

  /** A uniform float in [0, 1) from this generator's stream. */
  next(): number {
    return this.random();
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  /** One word drawn from the Zipf distribution. */
  word(): string {
    const target = this.random();
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.cumulative[mid]! < target) low = mid + 1;
      else high = mid;
    }
    return this.vocabulary[low]!;
  }

  /** A document of `count` words, with a full stop every 8–20 words. */
  document(count: number): string[] {
    const out: string[] = [];
    let untilStop = this.int(8, 20);
    for (let i = 0; i < count; i++) {
      let word = this.word();
      if (--untilStop === 0) {
        word += '.';
        untilStop = this.int(8, 20);
      }
      out.push(word);
    }
    return out;
  }

  /**
   * A copy of `words` with about `rate` of its words edited. `scattered`: each word independently, with probability
   * `rate`, is replaced, deleted, or followed by an inserted word (one third each). `block`: runs of 5–30 words are
   * replaced by new words until `rate` of the words have changed.
   */
  edit(words: readonly string[], rate: number, mode: EditMode = 'scattered'): string[] {
    if (mode === 'block') {
      const out = [...words];
      let budget = Math.round(rate * words.length);
      while (budget > 0) {
        const length = Math.min(budget, this.int(5, 30));
        const start = this.int(0, Math.max(0, out.length - length));
        for (let i = start; i < start + length && i < out.length; i++) out[i] = this.word();
        budget -= length;
      }
      return out;
    }
    const out: string[] = [];
    for (const word of words) {
      if (this.random() >= rate) {
        out.push(word);
        continue;
      }
      const kind = this.random();
      if (kind < 1 / 3) out.push(this.word());
      else if (kind < 2 / 3) continue;
      else out.push(word, this.word());
    }
    return out;
  }
}
