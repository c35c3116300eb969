import { sha256Hex } from '@gleaner/core';

/** The form of a text that exact deduplication compares: NFKC, lower case, white space collapsed. */
export function normalizeForDedupe(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** Hex SHA-256 of the normalized text: equal for pages whose text differs only in case and spacing. */
export function textHash(text: string): string {
  return sha256Hex(normalizeForDedupe(text));
}
