import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiTransport } from './api-transport.js';
import { GleanerApiError, GleanerUnreachableError, SnapshotFileMismatchError } from './errors.js';
import {
  etagSha256,
  parseContentRange,
  planFile,
  snapshotFilePath,
  type SnapshotFileEntry,
} from './snapshot-files.js';

/** Suffix of a file still being downloaded; renamed away once complete and verified. */
export const PARTIAL_SUFFIX = '.partial';

/** Options of {@link downloadSnapshotFiles}. */
export interface DownloadOptions {
  /** Files fetched at once; default 4. */
  concurrency?: number;
  /** Called as bytes arrive and files finish (often: throttle what you draw). */
  onProgress?: (progress: DownloadProgress) => void;
  /** Times a file whose transfer broke off is continued before giving up; default 5. */
  streamRetries?: number;
  signal?: AbortSignal;
}

/** Where a download stands. Bytes count every selected file, those already on disk included. */
export interface DownloadProgress {
  bytesDone: number;
  bytesTotal: number;
  filesDone: number;
  filesTotal: number;
  /** Bytes received over the network in this run (what a rate and an ETA are measured on). */
  bytesFetched: number;
  /** The file that just moved. */
  file: string;
}

/** What happened to one file. */
export interface DownloadedFile {
  path: string;
  /** `kept`: already complete on disk; `resumed`: continued from its partial; `fetched`: from the start. */
  outcome: 'kept' | 'resumed' | 'fetched';
  bytesFetched: number;
}

/** The result of {@link downloadSnapshotFiles}. */
export interface DownloadResult {
  files: DownloadedFile[];
  bytesFetched: number;
  /** Bytes of the files that were complete already. */
  bytesKept: number;
}

/** Where the files of one snapshot are served. */
export interface SnapshotSource {
  datasetId: string;
  snapshotId: string;
}

/**
 * Downloads snapshot files into `dir`, `concurrency` at a time, each streamed to `<file>.partial` while its SHA-256
 * is computed, then checked against its entry (size, SHA-256, the server's `ETag`) and renamed.
 * Resumable: a finished file whose size and SHA-256 match is kept without a request; a partial file continues with
 * `Range: bytes=N-`; a transfer that breaks off continues the same way. A file that does not match is deleted and
 * fails the download with {@link SnapshotFileMismatchError} (after one fresh attempt when it had been resumed).
 */
export async function downloadSnapshotFiles(
  transport: ApiTransport,
  source: SnapshotSource,
  files: SnapshotFileEntry[],
  dir: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const progress: DownloadProgress = {
    bytesDone: 0,
    bytesTotal: files.reduce((sum, f) => sum + f.bytes, 0),
    filesDone: 0,
    filesTotal: files.length,
    bytesFetched: 0,
    file: '',
  };
  const report = (file: string, bytesDone: number, bytesFetched: number) => {
    progress.bytesDone += bytesDone;
    progress.bytesFetched += bytesFetched;
    progress.file = file;
    options.onProgress?.({ ...progress });
  };
  const results: DownloadedFile[] = new Array<DownloadedFile>(files.length);
  // The first failure stops the other transfers; the download rejects once every one has stopped.
  const stopper = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stopper.signal]) : stopper.signal;
  const fileOptions = { ...options, signal };
  let failure: { error: unknown } | undefined;
  let next = 0;
  const worker = async () => {
    while (next < files.length && !failure) {
      const index = next++;
      const file = files[index]!;
      try {
        results[index] = await downloadFile(transport, source, file, dir, fileOptions, report);
      } catch (error) {
        failure ??= { error };
        stopper.abort();
        return;
      }
      progress.filesDone++;
      report(file.path, 0, 0);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, files.length)) }, worker),
  );
  if (failure) throw failure.error;
  return {
    files: results,
    bytesFetched: progress.bytesFetched,
    bytesKept: results.reduce((sum, r, i) => sum + (r.outcome === 'kept' ? (files[i]?.bytes ?? 0) : 0), 0),
  };
}

type Report = (file: string, bytesDone: number, bytesFetched: number) => void;

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Feeds `file`'s bytes into `hash`. */
async function hashFile(file: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
}

async function downloadFile(
  transport: ApiTransport,
  source: SnapshotSource,
  file: SnapshotFileEntry,
  dir: string,
  options: DownloadOptions,
  report: Report,
): Promise<DownloadedFile> {
  const target = snapshotFilePath(dir, file.path);
  const partial = `${target}${PARTIAL_SUFFIX}`;
  await mkdir(path.dirname(target), { recursive: true });
  const plan = planFile(file, { finishedBytes: await sizeOf(target), partialBytes: await sizeOf(partial) });
  if (plan.action === 'check') {
    const hash = createHash('sha256');
    await hashFile(target, hash);
    if (hash.digest('hex') === file.sha256) {
      await rm(partial, { force: true });
      report(file.path, file.bytes, 0);
      return { path: file.path, outcome: 'kept', bytesFetched: 0 };
    }
  }
  await rm(target, { force: true });
  if (plan.action !== 'resume') await rm(partial, { force: true });
  const resumed = plan.action === 'resume';
  let fetched = 0;
  for (let fresh = !resumed; ; fresh = true) {
    try {
      fetched += await fillPartial(transport, source, file, partial, options, report);
      break;
    } catch (error) {
      // A partial left by an earlier run may hold bad bytes: one fresh attempt before blaming the server.
      if (!(error instanceof SnapshotFileMismatchError) || fresh) throw error;
      await rm(partial, { force: true });
    }
  }
  await rename(partial, target);
  return { path: file.path, outcome: resumed ? 'resumed' : 'fetched', bytesFetched: fetched };
}

/**
 * Brings `partial` to the whole file: continues it from its size, again after a broken transfer, until it holds
 * `file.bytes` bytes and checks them. Resolves with the bytes received; on a mismatch deletes the
 * partial and throws {@link SnapshotFileMismatchError}.
 */
async function fillPartial(
  transport: ApiTransport,
  source: SnapshotSource,
  file: SnapshotFileEntry,
  partial: string,
  options: DownloadOptions,
  report: Report,
): Promise<number> {
  // One pass: each chunk is hashed as it arrives, and the partial is read back only when an earlier run left it.
  const hash = createHash('sha256');
  let offset = (await sizeOf(partial)) ?? 0;
  if (offset > 0) await hashFile(partial, hash);
  report(file.path, offset, 0);
  let fetched = 0;
  const url = `/v1/datasets/${encodeURIComponent(source.datasetId)}/snapshots/${encodeURIComponent(source.snapshotId)}/files/${file.path.split('/').map(encodeURIComponent).join('/')}`;
  const fail = async (reason: string): Promise<never> => {
    await rm(partial, { force: true });
    report(file.path, -offset, 0);
    throw new SnapshotFileMismatchError(file.path, reason);
  };
  const retries = options.streamRetries ?? 5;
  for (let attempt = 0; offset < file.bytes || (file.bytes === 0 && attempt === 0); attempt++) {
    // node:http rather than fetch: its body arrives as plain Node chunks, without a web stream on top (which cost
    // about as much CPU again as the HTTP parsing).
    const response = await transport.stream(url, {
      headers: { 'accept-encoding': 'identity', ...(offset > 0 ? { range: `bytes=${offset}-` } : {}) },
      passStatuses: [416],
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (response.status === 416) {
      response.body.destroy();
      return fail(`the server has no bytes from ${offset} on`);
    }
    const etag = etagSha256(response.headers.etag ?? null);
    if (etag !== null && etag !== file.sha256) {
      response.body.destroy();
      return fail(`the server's copy has SHA-256 ${etag}, the manifest says ${file.sha256}`);
    }
    if (response.status === 206) {
      const contentRange = response.headers['content-range'] ?? null;
      const range = parseContentRange(contentRange);
      if (!range || range.start !== offset || (range.total !== undefined && range.total !== file.bytes)) {
        response.body.destroy();
        return fail(`asked for bytes ${offset}- and got ${contentRange}`);
      }
    } else if (offset > 0) {
      // The range was ignored and the whole file is coming: start over with it.
      response.body.destroy();
      hash.destroy();
      await rm(partial, { force: true });
      report(file.path, -offset, 0);
      return fillPartial(transport, source, file, partial, options, report);
    }
    const broken = await writeBody(response.body, partial, offset > 0, (chunk) => {
      hash.update(chunk);
      fetched += chunk.length;
      offset += chunk.length;
      report(file.path, chunk.length, chunk.length);
    });
    if (offset > file.bytes) return fail(`more than the ${file.bytes} bytes the manifest says`);
    // A body that ended short of the file is continued too, as many times as a broken one.
    if (broken === undefined) {
      if (offset >= file.bytes || attempt >= retries) break;
      continue;
    }
    if (options.signal?.aborted || attempt >= retries) throw broken;
    // The transfer broke off: every byte received is in the partial and the hash, so continue after the last.
    await sleep(Math.min(10_000, 250 * 2 ** attempt));
  }
  if (offset !== file.bytes) return fail(`${offset} bytes, the manifest says ${file.bytes}`);
  const digest = hash.digest('hex');
  if (digest !== file.sha256) return fail(`SHA-256 ${digest} is not the manifest's ${file.sha256}`);
  // No fsync: a file cut short by a crash of the machine is caught by the next run, which hashes every finished
  // file against its entry before keeping it.
  return fetched;
}

/**
 * Streams a response body into `file` (appending or not), calling `onChunk` with each chunk before it is written.
 * Resolves once the file is closed: with undefined when the body ended, or with the error that broke the transfer
 * off, once every chunk received before it is on disk. Rejects when writing fails.
 */
async function writeBody(
  body: Readable,
  file: string,
  append: boolean,
  onChunk: (chunk: Buffer) => void,
): Promise<unknown> {
  // A deep buffer: fewer waits for 'drain', and queued chunks go to the disk together (writev).
  const out = createWriteStream(file, { flags: append ? 'a' : 'w', highWaterMark: 1 << 20 });
  const closed = once(out, 'close');
  let broken: unknown;
  try {
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        onChunk(chunk);
        if (!out.write(chunk)) await once(out, 'drain');
      }
    } catch (error) {
      if (out.errored) throw error;
      broken = error;
    }
    out.end();
    await closed;
    return broken;
  } catch (error) {
    out.destroy();
    await closed.catch(() => undefined);
    throw error;
  } finally {
    body.destroy();
  }
}

/** Whether an error is one a retry of the whole pull may cure (network, server busy). */
export function isTransientDownloadError(error: unknown): boolean {
  return (
    error instanceof GleanerUnreachableError || (error instanceof GleanerApiError && error.retryable === true)
  );
}
