/**
 * Where raw responses and exports are kept. Keys are `/`-separated paths; values are bytes.
 * A local folder implements it here; an S3-compatible store implements the same four calls.
 */
export interface BlobStore {
  /** Stores bytes under a key (overwrites). */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** Reads a blob; throws `BlobNotFoundError` when absent. */
  get(key: string): Promise<Buffer>;
  /** Whether a blob exists. */
  has(key: string): Promise<boolean>;
  /** Removes a blob if present. */
  delete(key: string): Promise<void>;
}

/** The key asked for does not exist. */
export class BlobNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`blob not found: ${key}`);
    this.name = 'BlobNotFoundError';
  }
}

/** The content-addressed key of a raw response body: `raw/ab/abcdef…`. */
export function rawBodyKey(sha256: string): string {
  return `raw/${sha256.slice(0, 2)}/${sha256}`;
}
