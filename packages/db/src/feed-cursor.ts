/** A position in a dataset's feed: the (txid, seq) of the last line returned, record or tombstone. */
export interface FeedCursor {
  txid: bigint;
  seq: number;
}

/** The feed's starting point. */
export const FEED_START: FeedCursor = { txid: 0n, seq: 0 };

/** Largest value of a Postgres `bigint`: no transaction id or sequence value can exceed it. */
const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** Encodes a feed cursor as an opaque URL-safe string. */
export function encodeCursor(cursor: FeedCursor): string {
  return Buffer.from(`${cursor.txid}.${cursor.seq}`, 'utf8').toString('base64url');
}

/**
 * Decodes a cursor from {@link encodeCursor}; returns undefined for anything else. Only the exact text
 * `encodeCursor` writes is accepted: canonical base64url of two decimal numbers without leading zeros, the
 * transaction id within a Postgres `bigint` and the sequence number within both a `bigint` and a safe JS integer.
 */
export function decodeCursor(text: string): FeedCursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(text)) return undefined;
  const match = /^(0|[1-9]\d{0,18})\.(0|[1-9]\d{0,15})$/.exec(
    Buffer.from(text, 'base64url').toString('utf8'),
  );
  if (!match) return undefined;
  const txid = BigInt(match[1]!);
  const seq = Number(match[2]);
  if (txid > MAX_BIGINT || !Number.isSafeInteger(seq)) return undefined;
  const cursor = { txid, seq };
  // Base64url has several spellings of the same bytes (trailing bits); only the one we hand out is valid.
  return encodeCursor(cursor) === text ? cursor : undefined;
}
