import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { FetchFailure, toFetchFailure } from './fetch-failure.js';
import type { RateLimiter } from './rate-limiter.js';
import type { SafeFetchLimits } from './safe-fetch-limits.js';

/**
 * Bytes already spent by one job. A plain fetch has its own; a rendered page shares one across the document and all
 * its sub-resources so that the page as a whole stays under the caps.
 */
export interface ByteBudget {
  wireBytes: number;
  decodedBytes: number;
}

/** The `Accept-Encoding` the fetcher advertises: only what it can decode (no zstd on Node 20). */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

/** Wire pieces are fed to the decoder in slices this small so one slice cannot expand without bound. */
const SLICE_BYTES = 4096;
/** Below this many decoded bytes the compression ratio is not judged: tiny bodies compress oddly well. */
const RATIO_FLOOR_BYTES = 64 * 1024;

/** Inflates both zlib-wrapped and raw deflate (servers send either under `Content-Encoding: deflate`). */
class AutoInflate extends Transform {
  #inner: zlib.Inflate | zlib.InflateRaw | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.#inner === undefined) {
      const b0 = chunk[0] ?? 0;
      const b1 = chunk[1] ?? 0;
      const zlibHeader = (b0 & 0x0f) === 8 && ((b0 << 8) | b1) % 31 === 0;
      const inner = zlibHeader ? zlib.createInflate() : zlib.createInflateRaw();
      inner.on('data', (d: Buffer) => this.push(d));
      inner.on('error', (e) => this.destroy(e));
      this.#inner = inner;
    }
    this.#inner.write(chunk, () => callback());
  }

  override _flush(callback: TransformCallback): void {
    const inner = this.#inner;
    if (inner === undefined) return callback();
    inner.once('end', () => callback());
    inner.end();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#inner?.destroy();
    callback(error);
  }
}

/** Decoders for a `Content-Encoding` value, in the order to apply them. Throws `DECOMPRESSION_FAILED` if unknown. */
export function createDecoders(contentEncoding: string | undefined): Transform[] {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  if (codings.length > 2)
    throw new FetchFailure('DECOMPRESSION_FAILED', `too many content codings: ${contentEncoding}`);
  return codings.reverse().map((coding) => {
    switch (coding) {
      case 'gzip':
      case 'x-gzip':
        return zlib.createGunzip();
      case 'deflate':
        return new AutoInflate();
      case 'br':
        return zlib.createBrotliDecompress();
      default:
        throw new FetchFailure('DECOMPRESSION_FAILED', `unsupported content coding: ${coding}`);
    }
  });
}

/**
 * Aborts `controller` when `parent` aborts (with its reason); returns the function that stops following. Cheaper
 * than `AbortSignal.any`, which a fetch would otherwise pay for on every hop and every body.
 */
export function followAbort(parent: AbortSignal, controller: AbortController): () => void {
  if (parent.aborted) {
    controller.abort(parent.reason);
    return () => undefined;
  }
  const onAbort = (): void => controller.abort(parent.reason);
  parent.addEventListener('abort', onAbort, { once: true });
  return () => parent.removeEventListener('abort', onAbort);
}

/** What {@link readBody} needs besides the stream. */
export interface ReadBodyOptions {
  contentEncoding: string | undefined;
  limits: SafeFetchLimits;
  budget: ByteBudget;
  /** Aborts the read (total timeout, caller); its reason is rethrown if it is a {@link FetchFailure}. */
  signal: AbortSignal;
  /** Awaited for every wire chunk before the next is read; time spent waiting does not count as a slow sender. */
  rateLimiter?: RateLimiter | undefined;
}

/**
 * Reads and decodes a response body inside the byte, ratio and rate limits, stopping as soon as one is crossed.
 * Throws {@link FetchFailure}: `TOO_LARGE`, `TOO_SLOW`, `DECOMPRESSION_FAILED`, `NETWORK_ERROR`, or the signal's reason.
 */
export async function readBody(source: Readable, options: ReadBodyOptions): Promise<Buffer> {
  const { limits, budget } = options;
  const decoders = createDecoders(options.contentEncoding);
  const decoderErrors = new Set<unknown>();
  for (const d of decoders) d.on('error', (e) => decoderErrors.add(e));
  // One way to stop a read, whatever stops it: the source and the decoders are destroyed with the reason, so the
  // straight read and the pipeline both end with it (no AbortController of its own: a fetch already pays for two).
  const destroyAll = (reason: Error): void => {
    source.destroy(reason);
    for (const d of decoders) d.destroy(reason);
  };
  let failure: FetchFailure | undefined;
  const stop = (f: FetchFailure): void => {
    failure ??= f;
    destroyAll(f);
  };
  const fail = (f: FetchFailure): never => {
    stop(f);
    throw f;
  };
  const onParentAbort = (): void => destroyAll(options.signal.reason as Error);
  if (options.signal.aborted) onParentAbort();
  options.signal.addEventListener('abort', onParentAbort, { once: true });

  let wireBytes = 0;
  let decodedBytes = 0;
  const startedAt = performance.now();
  // Time spent held back by the owner's bandwidth cap is ours, not the sender's: it is left out of the rate.
  let throttledMs = 0;
  let throttledSince: number | undefined;
  const tick = Math.max(10, Math.min(250, limits.rateGraceMs / 4));
  const rateTimer = setInterval(() => {
    const now = performance.now();
    const elapsedMs =
      now - startedAt - throttledMs - (throttledSince === undefined ? 0 : now - throttledSince);
    if (elapsedMs < limits.rateGraceMs || failure !== undefined) return;
    const rate = (wireBytes * 1000) / elapsedMs;
    if (rate < limits.minBytesPerSecond) {
      stop(
        new FetchFailure(
          'TOO_SLOW',
          `body arrived at ${Math.round(rate)} B/s, below ${limits.minBytesPerSecond} B/s`,
        ),
      );
    }
  }, tick);

  const chunks: Buffer[] = [];
  const limiter = options.rateLimiter;
  /** Counts and paces one wire chunk, failing past the byte cap. */
  const meterChunk = async (chunk: Buffer): Promise<void> => {
    wireBytes += chunk.length;
    budget.wireBytes += chunk.length;
    if (budget.wireBytes > limits.maxBodyBytes) {
      fail(new FetchFailure('TOO_LARGE', `body exceeds ${limits.maxBodyBytes} bytes`));
    }
    if (limiter !== undefined) {
      throttledSince = performance.now();
      try {
        await limiter.take(chunk.length, options.signal);
      } finally {
        throttledMs += performance.now() - throttledSince;
        throttledSince = undefined;
      }
    }
  };
  const meter = async function* (input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of input) {
      await meterChunk(chunk);
      for (let at = 0; at < chunk.length; at += SLICE_BYTES) yield chunk.subarray(at, at + SLICE_BYTES);
    }
  };
  const sink = async (input: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of input) {
      decodedBytes += chunk.length;
      budget.decodedBytes += chunk.length;
      if (budget.decodedBytes > limits.maxDecodedBytes) {
        fail(new FetchFailure('TOO_LARGE', `decoded body exceeds ${limits.maxDecodedBytes} bytes`));
      }
      if (decodedBytes > RATIO_FLOOR_BYTES && decodedBytes > wireBytes * limits.maxCompressionRatio) {
        fail(
          new FetchFailure(
            'TOO_LARGE',
            `compression ratio above ${limits.maxCompressionRatio} (decompression bomb)`,
          ),
        );
      }
      chunks.push(chunk);
    }
  };

  // Without a content coding, wire bytes are the body: read them straight, without a pipeline or slicing (the
  // common case, and the one a node spends most of its time in).
  const readPlain = async (): Promise<void> => {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      await meterChunk(chunk);
      decodedBytes += chunk.length;
      budget.decodedBytes += chunk.length;
      if (budget.decodedBytes > limits.maxDecodedBytes) {
        fail(new FetchFailure('TOO_LARGE', `decoded body exceeds ${limits.maxDecodedBytes} bytes`));
      }
      chunks.push(chunk);
    }
  };

  try {
    if (decoders.length === 0) {
      await readPlain();
    } else {
      // The stages are typed loosely because pipeline's overloads do not cover a variable number of transforms.
      const stages: unknown[] = [source, meter, ...decoders, sink];
      await (pipeline as (...args: unknown[]) => Promise<void>)(...stages);
    }
    return Buffer.concat(chunks);
  } catch (error) {
    if (failure !== undefined) throw failure;
    if (options.signal.aborted) throw toFetchFailure(options.signal.reason);
    if (decoderErrors.has(error)) {
      throw new FetchFailure('DECOMPRESSION_FAILED', `could not decode body: ${(error as Error).message}`, {
        cause: error,
      });
    }
    throw toFetchFailure(error);
  } finally {
    options.signal.removeEventListener('abort', onParentAbort);
    clearInterval(rateTimer);
    source.on('error', () => undefined);
    source.destroy();
    for (const d of decoders) d.destroy();
  }
}
