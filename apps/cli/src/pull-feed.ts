import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { createGzip, type Gzip } from 'node:zlib';
import { GleanerClient, type FeedLine } from '@gleaner/sdk';
import { retryNote } from './pull-command.js';

/** The file in the output folder that holds where the feed walk stands. */
export const FEED_STATE_FILE = 'feed-state.json';

/** What `feed-state.json` holds: the cursor after the last shard written, and the next shard's number. */
export interface FeedState {
  datasetId: string;
  /** The cursor that continues right after the last line of the last finished shard; null before any. */
  cursor: string | null;
  /** The number of the next shard (`feed-<n>.jsonl.gz`). */
  nextShard: number;
  records: number;
  tombstones: number;
}

/** Name of feed shard `n`: `feed-00000.jsonl.gz`. */
export function feedShardName(n: number): string {
  return `feed-${String(n).padStart(5, '0')}.jsonl.gz`;
}

/** The shard number of a file name, or null when it is not a feed shard (or a partial one). */
export function feedShardNumber(name: string): number | null {
  const match = /^feed-(\d{5,})\.jsonl\.gz$/.exec(name);
  return match ? Number(match[1]) : null;
}

/** Options of `gleaner pull DATASET --feed`. */
export interface FeedPullOptions {
  datasetId: string;
  coordinator: string;
  apiKey: string;
  out: string;
  /** Keep polling once caught up (until SIGINT/SIGTERM or `signal`); default false: stop when caught up. */
  follow?: boolean;
  /** Lines per shard before it closes; default 100,000. */
  shardLines?: number;
  /** Wait between polls when following, ms; default 5,000. */
  pollIntervalMs?: number;
  signal?: AbortSignal;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

async function readState(dir: string, datasetId: string): Promise<FeedState> {
  let text: string;
  try {
    text = await readFile(path.join(dir, FEED_STATE_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return { datasetId, cursor: null, nextShard: 0, records: 0, tombstones: 0 };
  }
  const state = JSON.parse(text) as FeedState;
  if (state.datasetId !== datasetId)
    throw new Error(`${dir} follows dataset ${state.datasetId}, not ${datasetId}: pull into another folder`);
  return state;
}

/** Writes the state atomically (temporary file, flushed, renamed): a crash leaves the old state or the new. */
async function writeState(dir: string, state: FeedState): Promise<void> {
  const file = path.join(dir, FEED_STATE_FILE);
  await writeFile(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  await syncFile(`${file}.tmp`);
  await rename(`${file}.tmp`, file);
}

async function syncFile(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/**
 * Removes what a run that stopped before saving its cursor left: partial shards, and shards numbered from
 * `nextShard` on (finished, but their cursor never saved; the walk reads their lines again).
 */
async function removeUnsaved(dir: string, nextShard: number): Promise<void> {
  for (const name of await readdir(dir)) {
    const n = feedShardNumber(name);
    if (name.endsWith('.partial') || name === `${FEED_STATE_FILE}.tmp` || (n !== null && n >= nextShard))
      await rm(path.join(dir, name), { force: true });
  }
}

/** A shard being written: gzip into `<name>.partial`, renamed when closed. */
class ShardWriter {
  lines = 0;
  private readonly gzip: Gzip;
  private readonly done: Promise<unknown>;

  constructor(readonly file: string) {
    this.gzip = createGzip();
    const out = createWriteStream(`${file}.partial`);
    this.gzip.pipe(out);
    this.done = once(out, 'close');
  }

  async write(line: FeedLine): Promise<void> {
    this.lines++;
    if (!this.gzip.write(`${JSON.stringify(line)}\n`)) await once(this.gzip, 'drain');
  }

  async close(): Promise<void> {
    this.gzip.end();
    await this.done;
    await syncFile(`${this.file}.partial`);
    await rename(`${this.file}.partial`, this.file);
  }
}

/**
 * `gleaner pull DATASET --feed --out DIR`: follows the dataset's live feed into gzip JSONL shards
 * (`feed-00000.jsonl.gz`, …; one feed line per line, records and tombstones as the API sends them), and saves the
 * cursor in `feed-state.json` each time a shard is complete, so a re-run continues after the last saved shard
 * without a gap or a repeat. A shard closes at `shardLines` lines, when the feed is caught up, and on stop.
 */
export async function runFeedPull(options: FeedPullOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  await mkdir(options.out, { recursive: true });
  const state = await readState(options.out, options.datasetId);
  await removeUnsaved(options.out, state.nextShard);
  const client = new GleanerClient({
    baseUrl: options.coordinator,
    apiKey: options.apiKey,
    onRetry: retryNote(stderr),
  });
  const controller = new AbortController();
  const stop = () => controller.abort();
  options.signal?.addEventListener('abort', stop);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const shardLines = options.shardLines ?? 100_000;
  let shard: ShardWriter | null = null;
  let pendingRecords = 0;
  let pendingTombstones = 0;
  let runLines = 0;
  const closeShard = async (cursor: string) => {
    if (shard) {
      await shard.close();
      state.nextShard++;
      state.records += pendingRecords;
      state.tombstones += pendingTombstones;
      stderr.write(`wrote ${path.basename(shard.file)}: ${shard.lines} lines\n`);
    }
    shard = null;
    pendingRecords = pendingTombstones = 0;
    state.cursor = cursor;
    await writeState(options.out, state);
  };
  // Pages no longer than a shard, so that shards close near their size (a shard ends only between pages).
  const reader = client.feed(options.datasetId, { limit: Math.min(1000, shardLines) });
  let cursor = state.cursor ?? undefined;
  try {
    for (;;) {
      const page = await reader.page(cursor);
      if (page.lines.length === 0) {
        if (shard || state.cursor !== page.cursor) await closeShard(page.cursor);
        if (!options.follow || controller.signal.aborted) break;
        try {
          await sleep(options.pollIntervalMs ?? 5000, undefined, { signal: controller.signal });
        } catch {
          break;
        }
        continue;
      }
      shard ??= new ShardWriter(path.join(options.out, feedShardName(state.nextShard)));
      for (const line of page.lines) {
        await shard.write(line);
        if (line.type === 'record') pendingRecords++;
        else pendingTombstones++;
      }
      runLines += page.lines.length;
      cursor = page.cursor;
      // A shard ends only between pages: the API's cursors are pages'.
      if (shard.lines >= shardLines || controller.signal.aborted) await closeShard(cursor);
      if (controller.signal.aborted) break;
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    options.signal?.removeEventListener('abort', stop);
  }
  stdout.write(
    `feed of ${options.datasetId} in ${options.out}: ${runLines} new lines this run; ` +
      `${state.records} records and ${state.tombstones} tombstones in ${state.nextShard} shards; cursor saved in ${FEED_STATE_FILE}\n`,
  );
  return 0;
}
