import { promisify } from 'node:util';
import * as zlib from 'node:zlib';

/** A content coding the API can answer in. */
export type ContentCoding = 'zstd' | 'gzip' | 'identity';

type Compress = (input: Buffer) => Promise<Buffer>;

/** zstd where this Node has it (22.15 and later), else undefined: it is then never offered. */
const zstdCompress: Compress | undefined = (() => {
  const compress = (
    zlib as { zstdCompress?: (input: Buffer, callback: (e: Error | null, r: Buffer) => void) => void }
  ).zstdCompress;
  return compress ? (promisify(compress) as Compress) : undefined;
})();

const gzip = promisify(zlib.gzip) as Compress;

/** Codings in the order the API prefers them when a client accepts several equally. */
const PREFERENCE: ContentCoding[] = zstdCompress ? ['zstd', 'gzip', 'identity'] : ['gzip', 'identity'];

/**
 * The coding to answer an `Accept-Encoding` header with (RFC 9110 §12.5.3): the client's highest-weighted coding
 * among those this runtime has, zstd before gzip on a tie; `identity` when the header is absent or nothing else fits.
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

/** Compresses a body in a coding from {@link negotiateCoding} (off the event loop, on libuv's pool). */
export async function encodeBody(body: Buffer, coding: ContentCoding): Promise<Uint8Array<ArrayBuffer>> {
  const encoded =
    coding === 'gzip'
      ? await gzip(body)
      : coding === 'zstd' && zstdCompress
        ? await zstdCompress(body)
        : body;
  // Node's buffers here sit on plain (never shared) ArrayBuffers, which is what a Response body takes.
  return encoded as Uint8Array<ArrayBuffer>;
}
