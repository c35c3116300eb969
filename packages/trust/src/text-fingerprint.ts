import { estimateJaccard, MinHasher } from '@gleaner/dedupe';

/**
 * Fingerprints of a page's main text for comparing two fetches of one URL: MinHash signatures over word 3-gram
 * shingles of the normalized text (case, punctuation and white space do not count). Short shingles keep a changed
 * timestamp, an ad or an A/B sentence from sinking the similarity of two true fetches, while an invented page shares
 * next to nothing with the real one.
 */
const hasher = new MinHasher({ numHashes: 128, shingleWords: 3, seed: 0x74727573 });

/**
 * Similarity at or above which two fetches of one URL agree. Measured on 400 WCXB pages: two fetches that each had
 * a fifth of their sentences swapped (A/B text), a fresh timestamp and an ad scored 0.26 at worst (mean 0.51); a page
 * against another page scored 0.03 at most. On all 1,476 WCXB dev pages (bench/trust), short pages of few lines go
 * lower: 13 of 5,904 true A/B pairs fell below 0.15 and 5 below 0.1 (worst 0.047), while of 1.09 million pairs of
 * different pages 18 reached 0.1 (10 reached 0.15; most of them pages that really share their text). A true fetch
 * that falls below the threshold can be outvoted on a tie-break, which bans an honest node, so the threshold sits at
 * 0.1, not 0.15.
 */
export const AGREEMENT_THRESHOLD = 0.1;

/** The fingerprint of a page's main text. */
export function textFingerprint(text: string): Uint32Array {
  return hasher.signature(text);
}

/** Estimated Jaccard similarity of two fingerprints' shingle sets, 0 to 1. */
export function fingerprintSimilarity(a: Uint32Array, b: Uint32Array): number {
  return estimateJaccard(a, b);
}

/** Whether two fingerprints are of the same page. */
export function fingerprintsAgree(a: Uint32Array, b: Uint32Array): boolean {
  return fingerprintSimilarity(a, b) >= AGREEMENT_THRESHOLD;
}

/** A fingerprint as text (base64 of its bytes), for storage. */
export function encodeFingerprint(fingerprint: Uint32Array): string {
  return Buffer.from(fingerprint.buffer, fingerprint.byteOffset, fingerprint.byteLength).toString('base64');
}

/** The fingerprint {@link encodeFingerprint} wrote. */
export function decodeFingerprint(text: string): Uint32Array {
  const bytes = Buffer.from(text, 'base64');
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return new Uint32Array(copy.buffer, 0, Math.floor(copy.length / 4));
}
