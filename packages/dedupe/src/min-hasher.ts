import { shingleHashes, DEFAULT_SHINGLE_WORDS } from './shingle-hashes.js';

/** The Mersenne prime 2^31 - 1: the modulus of every permutation. */
export const MINHASH_PRIME = 2147483647;
/** 112 hash functions: 14 LSH bands of 8 rows, which puts the detection threshold near Jaccard 0.8. */
export const DEFAULT_NUM_HASHES = 112;
/** The default seed of the permutations; every worker that shares an index must use the same one. */
export const DEFAULT_MINHASH_SEED = 0x676c6e72;

// a·x must stay exact in a double: x < 2^32 and a < 2^20 keep a·x + b below 2^53.
const MAX_MULTIPLIER = 1 << 20;

/** Options for {@link MinHasher}. */
export interface MinHasherOptions {
  /** Number of hash functions (the signature length). Default 112. */
  numHashes?: number;
  /** Words per shingle. Default 5. */
  shingleWords?: number;
  /** Seed of the permutations. Default {@link DEFAULT_MINHASH_SEED}; signatures only compare under one seed. */
  seed?: number;
}

/** A small seeded PRNG (SplitMix32): deterministic permutations from a seed. */
function splitMix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * MinHash signatures of texts over word 5-gram shingles. Each shingle is hashed once to 32 bits; hash function i is
 * the permutation `(a_i·x + b_i) mod (2^31 - 1)`, computed exactly in doubles (a_i < 2^20, so no BigInt). A
 * signature is a `Uint32Array` of `numHashes` values below 2^31. Pure and deterministic for a given seed.
 */
export class MinHasher {
  /** Signature length. */
  readonly numHashes: number;
  /** Words per shingle. */
  readonly shingleWords: number;
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  private readonly mins: Float64Array;
  private scratch = new Float64Array(1024);

  constructor(options: MinHasherOptions = {}) {
    this.numHashes = options.numHashes ?? DEFAULT_NUM_HASHES;
    this.shingleWords = options.shingleWords ?? DEFAULT_SHINGLE_WORDS;
    const random = splitMix32(options.seed ?? DEFAULT_MINHASH_SEED);
    this.a = new Float64Array(this.numHashes);
    this.b = new Float64Array(this.numHashes);
    for (let i = 0; i < this.numHashes; i++) {
      this.a[i] = 1 + (random() % (MAX_MULTIPLIER - 1));
      this.b[i] = random() % MINHASH_PRIME;
    }
    this.mins = new Float64Array(this.numHashes);
  }

  /** The signature of a text (normalized and shingled here). A text without words gets all values 2^31 - 1. */
  signature(text: string): Uint32Array {
    return this.signatureOfShingles(shingleHashes(text, this.shingleWords));
  }

  /** The signature of a set of 32-bit shingle hashes (duplicates allowed). */
  signatureOfShingles(shingles: Uint32Array): Uint32Array {
    const count = shingles.length;
    if (count > this.scratch.length) this.scratch = new Float64Array(count);
    // Doubles read faster than uint32 values above 2^31 in the hot loop.
    const xs = this.scratch;
    for (let s = 0; s < count; s++) xs[s] = shingles[s]!;
    minimaInto(this.a, this.b, xs.subarray(0, count), this.mins);
    const mins = this.mins;
    return Uint32Array.from(mins);
  }
}

/** For each hash function i, the minimum of `(a[i]·x + b[i]) mod p` over `xs`, into `out[i]`. */
function minimaInto(a: Float64Array, b: Float64Array, xs: Float64Array, out: Float64Array): void {
  const p = 2147483647; // a local, not the exported binding, keeps the loop free of module-slot loads
  // One hash function at a time, so its multiplier, offset and running minimum stay in registers.
  for (let i = 0; i < a.length; i++) {
    const ai = a[i]!;
    const bi = b[i]!;
    let min = p;
    for (let s = 0; s < xs.length; s++) {
      const v = ai * xs[s]! + bi;
      // v mod p for p = 2^31 - 1: v = q·2^31 + r ≡ q + r = v - q·p, so r ends below p + 2^22.
      let r = v - Math.floor(v / 2147483648) * p;
      if (r >= p) r -= p;
      if (r < min) min = r;
    }
    out[i] = min;
  }
}

/** The share of equal positions of two signatures of equal length: an unbiased estimate of their Jaccard. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length) throw new RangeError(`signature lengths differ: ${a.length} and ${b.length}`);
  if (a.length === 0) return 0;
  let equal = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) equal++;
  return equal / a.length;
}
