import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { SnapshotRow } from './snapshot-record.js';

/** A record's line in a JSONL shard: its canonical JSON (without the line break that ends it in the file). */
export function recordLine(row: SnapshotRow): string {
  return canonicalJson(row);
}

/** A record's digest, the entry of its Merkle leaf: SHA-256 of its line's UTF-8 bytes (32 bytes). */
export function recordDigest(line: string): Buffer {
  return createHash('sha256').update(line, 'utf8').digest();
}
