import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  GleanerApiError,
  GleanerClient,
  selectSnapshotFiles,
  SnapshotNotPublishedError,
  type RetryEvent,
  type SnapshotFormat,
} from '@gleaner/sdk';
import type { VerifyProgress } from '@gleaner/snapshot';
import { formatBytes, PullProgress } from './pull-progress.js';
import { ProgressBar, progressLine } from './progress-bar.js';

/** The snapshot's manifest file (`SnapshotLayout.manifest`; @gleaner/snapshot is loaded only to verify). */
const MANIFEST_FILE = 'manifest.json';

/** Options of `gleaner pull DATASET` (a snapshot). */
export interface PullCommandOptions {
  datasetId: string;
  /** The coordinator's base URL. */
  coordinator: string;
  /** A lab API key with `datasets:read`. */
  apiKey: string;
  /** The folder the snapshot lands in (created if needed; files of this same snapshot in it are resumed). */
  out: string;
  /** A snapshot id, or `latest` (the newest published); default `latest`. */
  snapshot?: string;
  /** Only this format's files (plus the manifest, signature, card, nodes.json, changes.json); default all. */
  format?: SnapshotFormat;
  /** Files downloaded at once; default 4. */
  concurrency?: number;
  /** A PEM file with the coordinator's public key the manifest must be signed by. */
  signerKeyFile?: string;
  /** Skip the verification at the end (the files' sizes and SHA-256 are checked anyway); default false. */
  skipVerify?: boolean;
  /** Where the summary goes; default stdout. */
  stdout?: NodeJS.WritableStream;
  /** Where progress and errors go; default stderr. */
  stderr?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

/** The id of the snapshot a folder already holds (its manifest's), or null when it holds none. */
async function snapshotInFolder(dir: string): Promise<string | null> {
  try {
    const manifest = JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8')) as {
      snapshotId?: unknown;
    };
    return typeof manifest.snapshotId === 'string' ? manifest.snapshotId : null;
  } catch {
    return null;
  }
}

/** A note on stderr for each retry, so a throttled or flaky download does not look stuck. */
export function retryNote(stderr: NodeJS.WritableStream): (event: RetryEvent) => void {
  return (event) =>
    stderr.write(
      `gleaner pull: ${event.status !== undefined ? `HTTP ${event.status}` : 'connection failed'} on ` +
        `${event.path}, retry ${event.attempt} in ${(event.delayMs / 1000).toFixed(1)} s\n`,
    );
}

/**
 * `gleaner pull DATASET --out DIR`: downloads a published snapshot's files (all, or one format's) into DIR with a
 * progress line, resuming whatever an earlier run left (finished files that match are kept, partial ones continue
 * with range requests), then verifies the folder as `gleaner verify` does (with `--format`, the manifest signature
 * and the files there). Resolves with the exit code: 0, or 1 when verification fails.
 */
export async function runPull(options: PullCommandOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const client = new GleanerClient({
    baseUrl: options.coordinator,
    apiKey: options.apiKey,
    onRetry: retryNote(stderr),
  });
  const detail = await client.snapshot(options.datasetId, options.snapshot ?? 'latest');
  if (detail.state !== 'published') throw new SnapshotNotPublishedError(detail.id, detail.state);
  const held = await snapshotInFolder(options.out);
  if (held !== null && held !== detail.id)
    throw new Error(`${options.out} holds snapshot ${held}, not ${detail.id}: pull into another folder`);
  // A key without raw:read cannot download the WARC files and their index: a whole pull leaves them out and says
  // so (the other files verify on their own); a pull of the WARC format alone cannot go on.
  const noRawAccess = detail.rawAccess === false;
  if (noRawAccess && options.format === 'warc')
    throw new Error(
      `the WARC files hold the raw responses, and this API key lacks the raw:read scope they need: pull them ` +
        'with a key that has it, or pull --format parquet or --format jsonl with this one',
    );
  const signerPublicKeyPem = options.signerKeyFile
    ? await readFile(options.signerKeyFile, 'utf8')
    : undefined;
  stderr.write(
    `pulling snapshot ${detail.id} of ${options.datasetId}${options.format ? ` (${options.format})` : ''} into ${options.out}\n`,
  );
  const raw = noRawAccess ? selectSnapshotFiles(detail.files, options.format).filter((f) => f.raw) : [];
  if (raw.length > 0)
    stderr.write(
      `gleaner pull: skipping the ${raw.length} raw files (WARC and CDXJ, ` +
        `${formatBytes(raw.reduce((sum, f) => sum + f.bytes, 0))}): this API key lacks the raw:read scope; a ` +
        'later pull into the same folder with a key that has it fetches only those\n',
    );
  const progress = new PullProgress(stderr);
  const started = Date.now();
  let result: Awaited<ReturnType<GleanerClient['downloadSnapshot']>>;
  try {
    result = await client.downloadSnapshot(options.datasetId, detail, options.out, {
      ...(options.format ? { format: options.format } : {}),
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      skipRaw: noRawAccess,
      onProgress: (p) => progress.update(p),
    });
  } catch (error) {
    if (error instanceof GleanerApiError && error.status === 403 && options.format === undefined)
      throw new Error(
        `${error.message}. The WARC files hold the raw responses: pull them with a key that has the raw:read ` +
          'scope, or pull --format parquet or --format jsonl with this one (what is already here is kept)',
        { cause: error },
      );
    throw error;
  } finally {
    progress.done();
  }
  const seconds = (Date.now() - started) / 1000;
  const count = (outcome: string) => result.files.filter((f) => f.outcome === outcome).length;
  const summary =
    `${result.files.length} files: ${count('fetched')} fetched, ${count('resumed')} resumed, ${count('kept')} ` +
    `already here${result.skipped.length > 0 ? `, ${result.skipped.length} raw skipped (no raw:read)` : ''}; ` +
    `${formatBytes(result.bytesFetched)} in ${seconds.toFixed(2)} s`;
  if (options.skipVerify) {
    stdout.write(`pulled ${detail.id} into ${options.out}: ${summary} (not verified)\n`);
    return 0;
  }
  const { verifySnapshot } = await import('@gleaner/snapshot');
  const bar = stderr.isTTY ? new ProgressBar(stderr as NodeJS.WriteStream) : null;
  const verified = await verifySnapshot(options.out, {
    allowMissing: options.format !== undefined || result.skipped.length > 0,
    ...(signerPublicKeyPem !== undefined ? { signerPublicKeyPem } : {}),
    onProgress: (p: VerifyProgress) =>
      bar?.update(
        progressLine(p.done, p.total, p.phase === 'files' ? `hashing ${p.item}` : `records of ${p.item}`),
      ),
  });
  bar?.done();
  if (!verified.ok) {
    stderr.write(`gleaner pull: verification FAILED ${verified.message}\n`);
    return 1;
  }
  const what =
    verified.missingFiles > 0
      ? `manifest signature and ${verified.files} files verified (records need every format)`
      : `verified: ${verified.records.toLocaleString('en-US')} records, Merkle root ${verified.merkleRoot}`;
  stdout.write(
    `pulled ${detail.id} into ${options.out}: ${summary}; ${what}; manifest signed by ${verified.signerKeyId}\n`,
  );
  return 0;
}
