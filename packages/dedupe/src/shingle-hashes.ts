/** Word n-gram length used for near-duplicate shingles. */
export const DEFAULT_SHINGLE_WORDS = 5;

// Punctuation and symbols become spaces, so "word," and "word" are one token and "a-b" is two.
const NOT_WORD = /[\p{P}\p{S}\s]+/gu;

/**
 * The form of a text that shingling sees: NFKC, lower case, punctuation and symbols removed, white space collapsed
 * to single spaces, trimmed.
 */
export function normalizeForShingles(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(NOT_WORD, ' ').trim();
}

/** Murmur3's 32-bit finalizer: spreads every input bit over every output bit. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** One Murmur3 (x86, 32-bit) block step: mixes the 32-bit word `k` into the running hash `h`. */
export function murmurStep(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/**
 * Murmur3 (x86, 32-bit) over a run of 32-bit words, `values[start]` to `values[start + count - 1]`.
 * Returns an unsigned 32-bit hash.
 */
export function murmurWords(values: ArrayLike<number>, start: number, count: number, seed: number): number {
  let h = seed | 0;
  for (let i = start; i < start + count; i++) h = murmurStep(h, values[i] ?? 0);
  return fmix32(h ^ (count * 4));
}

/** FNV-1a over the UTF-16 code units `text[start]` to `text[end - 1]`; unsigned 32-bit. */
function fnv1a(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The 32-bit hash of each word of an already-normalized text (words separated by single spaces). */
export function wordHashes(normalized: string): Uint32Array {
  const out: number[] = [];
  let start = 0;
  for (let i = 0; i <= normalized.length; i++) {
    if (i === normalized.length || normalized.charCodeAt(i) === 32) {
      if (i > start) out.push(fnv1a(normalized, start, i));
      start = i + 1;
    }
  }
  return Uint32Array.from(out);
}

/**
 * 32-bit hashes of the word n-grams (default 5 words) of `text`, normalized first with {@link normalizeForShingles}.
 * Each word is hashed once (FNV-1a) and each n-gram is a Murmur3 of its n word hashes, so no n-gram string is built.
 * A text shorter than n words gives one shingle of all its words; an empty text gives none. Duplicates are kept:
 * they do not change a MinHash.
 */
export function shingleHashes(text: string, shingleWords = DEFAULT_SHINGLE_WORDS): Uint32Array {
  const words = wordHashes(normalizeForShingles(text));
  if (words.length === 0) return new Uint32Array(0);
  const width = Math.min(shingleWords, words.length);
  const out = new Uint32Array(words.length - width + 1);
  for (let i = 0; i < out.length; i++) out[i] = murmurWords(words, i, width, 0x5eed);
  return out;
}

/** The exact set of word n-grams (default 5) of `text` after {@link normalizeForShingles}, as strings. */
export function shingleSet(text: string, shingleWords = DEFAULT_SHINGLE_WORDS): Set<string> {
  const normalized = normalizeForShingles(text);
  const words = normalized === '' ? [] : normalized.split(' ');
  const width = Math.min(shingleWords, words.length);
  const out = new Set<string>();
  for (let i = 0; width > 0 && i + width <= words.length; i++) out.add(words.slice(i, i + width).join(' '));
  return out;
}

/** The exact Jaccard similarity of two shingle sets; 1 for two empty sets. */
export function exactJaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const shingle of small) if (large.has(shingle)) shared++;
  return shared / (a.size + b.size - shared);
}
