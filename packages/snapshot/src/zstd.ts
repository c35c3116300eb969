import { Zstd } from '@hpcc-js/wasm-zstd';

/** Compresses bytes into one zstd frame (RFC 8878), synchronously. */
export type ZstdCompress = (input: Uint8Array) => Uint8Array;

/** zstd's default level: fast, and far smaller than gzip's default on text. */
const LEVEL = 3;

let loading: Promise<ZstdCompress> | undefined;

/**
 * zstd compression, for the Parquet shards and the feed's `Content-Encoding: zstd`. Node 20's zlib has none, so this
 * is libzstd compiled to WebAssembly (`@hpcc-js/wasm-zstd`, no native build, no install script), loaded once per
 * process on first use; after that, each call is synchronous.
 */
export function loadZstd(): Promise<ZstdCompress> {
  // Each call answers a new array of its own (not a view on the WebAssembly memory).
  loading ??= Zstd.load().then((zstd) => (input: Uint8Array) => zstd.compress(input, LEVEL));
  return loading;
}
