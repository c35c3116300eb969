import { createHash, randomBytes } from 'node:crypto';

/** Hex SHA-256 of bytes or a UTF-8 string. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A random, URL-safe secret with a readable prefix, e.g. `glk_…` for lab keys (32 random bytes). */
export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** A random id (16 bytes, base64url) with a readable prefix, e.g. `cmp_…`. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}
