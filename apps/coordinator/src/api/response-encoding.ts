import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { loadZstd } from '@gleaner/snapshot';

/** A content coding the API can answer in. */
export type ContentCoding = 'zstd' | 'gzip' | 'identity';

const gzip = promisify(zlib.gzip) as (input: Buffer) => Promise<Buffer>;

/** Codings in the order the API prefers them when a client accepts several equally. */
const PREFERENCE: ContentCoding[] = ['zstd', 'gzip', 'identity'];

/**
 * The coding to answer an `Accept-Encoding` header with (RFC 9110 §12.5.3): the client's highest-weighted coding,
 * zstd before gzip on a tie; `identity` when the header is absent or nothing else fits.
 */
export function negotiateCoding(acceptEncoding: string | undefined): ContentCoding {
  if (!acceptEncoding) return 'identity';
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    const weight = q === undefined ? 1 : Number(q);
    if (name !== '' && Number.isFinite(weight)) weights.set(name.trim(), weight);
  }
  const weightOf = (coding: ContentCoding) =>
    weights.get(coding) ?? weights.get('*') ?? (coding === 'identity' ? 0.001 : 0);
  let best: ContentCoding = 'identity';
  let bestWeight = 0;
  for (const coding of PREFERENCE) {
    const weight = weightOf(coding);
    if (weight > bestWeight) {
      best = coding;
      bestWeight = weight;
    }
  }
  return best;
}

/**
 * Compresses a body in a coding from {@link negotiateCoding}: gzip off the event loop (on libuv's pool); zstd
 * (RFC 8878, level 3, WebAssembly: Node 20's zlib has none) on it, at a few hundred MB/s, which for a feed page of
 * at most a few MiB is milliseconds.
 */
export async function encodeBody(body: Buffer, coding: ContentCoding): Promise<Uint8Array<ArrayBuffer>> {
  const encoded = coding === 'gzip' ? await gzip(body) : coding === 'zstd' ? (await loadZstd())(body) : body;
  // Node's buffers and the zstd frames sit on plain (never shared) ArrayBuffers, which is what a Response body takes.
  return encoded as Uint8Array<ArrayBuffer>;
}
