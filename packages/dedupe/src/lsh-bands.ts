import { murmurWords } from './shingle-hashes.js';

/** Default number of LSH bands; with 8 rows each they cover a 112-value signature. */
export const DEFAULT_BANDS = 14;

/** One band of a signature, hashed to 64 bits as two unsigned 32-bit halves. */
export interface BandHash {
  /** Picks the Redis hash (shard) the band lives in. */
  high: number;
  /** The field inside that shard. */
  low: number;
}

/**
 * Hashes each of `bands` equal slices of a signature to 64 bits (two Murmur3 runs seeded with the band number).
 * Two signatures share a band hash exactly when the slice is equal, up to a 2^-64 chance of collision.
 */
export function bandHashes(signature: Uint32Array, bands = DEFAULT_BANDS): BandHash[] {
  if (signature.length === 0 || signature.length % bands !== 0) {
    throw new RangeError(`a signature of ${signature.length} values does not split into ${bands} bands`);
  }
  const rows = signature.length / bands;
  const out: BandHash[] = [];
  for (let band = 0; band < bands; band++) {
    out.push({
      high: murmurWords(signature, band * rows, rows, band),
      low: murmurWords(signature, band * rows, rows, band ^ 0x7f4a7c15),
    });
  }
  return out;
}

/**
 * The low `bits` bits (default 4) of every signature value, packed into bytes: a b-bit MinHash sketch. 112 values at
 * 4 bits take 56 bytes. Two sketches agree at a position with probability J + (1 - J)/2^bits.
 */
export function bBitSketch(signature: Uint32Array, bits = 4): Buffer {
  if (bits !== 1 && bits !== 2 && bits !== 4 && bits !== 8) throw new RangeError(`bits must be 1, 2, 4 or 8`);
  const perByte = 8 / bits;
  const mask = (1 << bits) - 1;
  const out = Buffer.alloc(Math.ceil(signature.length / perByte));
  for (let i = 0; i < signature.length; i++) {
    const byte = Math.floor(i / perByte);
    out[byte] = out[byte]! | ((signature[i]! & mask) << ((i % perByte) * bits));
  }
  return out;
}

/**
 * How many of `values` sketch positions must agree for the estimated Jaccard to reach `threshold`, given that
 * unrelated positions agree by chance with probability 2^-bits.
 */
export function sketchMatchesForThreshold(threshold: number, values: number, bits = 4): number {
  const chance = 1 / 2 ** bits;
  return Math.ceil(values * (threshold + (1 - threshold) * chance) - 1e-9);
}

/** The Jaccard estimated from `matches` agreeing positions out of `values` in a b-bit sketch (clamped at 0). */
export function jaccardFromSketchMatches(matches: number, values: number, bits = 4): number {
  const chance = 1 / 2 ** bits;
  return Math.max(0, (matches / values - chance) / (1 - chance));
}
