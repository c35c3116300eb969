import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { readFileLines } from './line-reader.js';
import { SnapshotLayout } from './snapshot-layout.js';
import type { SnapshotManifest } from './snapshot-manifest.js';
import type { SnapshotRow } from './snapshot-record.js';

/** What the change list needs of each record of the previous snapshot. */
export interface PreviousRecord {
  id: string;
  textHash: string;
  version: number;
}

/** The snapshot the new one is compared with. */
export interface PreviousSnapshot {
  snapshotId: string;
  records: Iterable<PreviousRecord> | AsyncIterable<PreviousRecord>;
}

/** The counts at the head of changes.json. */
export interface ChangeCounts {
  /** Records of URLs new to the dataset (`version` 1) not in the previous snapshot. */
  added: number;
  /** New versions (`version` > 1) of pages, not in the previous snapshot. */
  newVersions: number;
  /** Records in both snapshots, the same. */
  unchanged: number;
  /** Records in both snapshots with another text hash or version (records are immutable: a sign of trouble). */
  changed: number;
  /** Withdrawn records that were in the previous snapshot or among this build's input, left out. */
  withdrawn: number;
  /** Records of the previous snapshot missing from this one without being withdrawn. */
  removed: number;
}

type ListName = 'added' | 'newVersions' | 'changed' | 'withdrawn' | 'removed';
const LISTS: ListName[] = ['added', 'newVersions', 'changed', 'withdrawn', 'removed'];

/**
 * The record index of a published snapshot (id, text hash, version of every record), streamed from its JSONL
 * shards: the `previous.records` of the next build.
 */
export async function* readSnapshotRecordIndex(dir: string): AsyncGenerator<PreviousRecord> {
  const manifest = JSON.parse(
    await readFile(path.join(dir, SnapshotLayout.manifest), 'utf8'),
  ) as SnapshotManifest;
  for (const shard of manifest.shards) {
    for await (const line of readFileLines(path.join(dir, shard.jsonl), true)) {
      const row = JSON.parse(line) as SnapshotRow;
      yield { id: row.id, textHash: row.textHash, version: row.version };
    }
  }
}

/**
 * Builds changes.json as records stream by. The previous snapshot's index is held in memory (about 150 bytes a
 * record); the lists themselves are spooled to files in the build folder, so they never are.
 */
export class ChangeTracker {
  private readonly counts: ChangeCounts = {
    added: 0,
    newVersions: 0,
    unchanged: 0,
    changed: 0,
    withdrawn: 0,
    removed: 0,
  };
  private readonly spools = new Map<ListName, WriteStream>();

  private constructor(
    private readonly workDir: string,
    private readonly previous: Map<string, { textHash: string; version: number }> | null,
    private readonly previousSnapshotId: string | null,
    private readonly withdrawnIds: ReadonlySet<string>,
  ) {
    for (const list of LISTS) this.spools.set(list, createWriteStream(this.spoolPath(list)));
  }

  /** Loads the previous snapshot's index; `workDir` holds the spool files until {@link write}. */
  static async open(
    workDir: string,
    previous: PreviousSnapshot | undefined,
    withdrawnIds: ReadonlySet<string>,
  ): Promise<ChangeTracker> {
    let index: Map<string, { textHash: string; version: number }> | null = null;
    if (previous) {
      index = new Map();
      for await (const record of previous.records)
        index.set(record.id, { textHash: record.textHash, version: record.version });
    }
    return new ChangeTracker(workDir, index, previous?.snapshotId ?? null, withdrawnIds);
  }

  /** Notes a record of this snapshot. */
  async add(row: SnapshotRow): Promise<void> {
    const before = this.previous?.get(row.id);
    if (!before) {
      if (row.version > 1) await this.list('newVersions', { id: row.id, url: row.url, version: row.version });
      else await this.list('added', { id: row.id, url: row.url });
      return;
    }
    this.previous!.delete(row.id);
    if (before.textHash === row.textHash && before.version === row.version) this.counts.unchanged++;
    else
      await this.list('changed', { id: row.id, previousTextHash: before.textHash, textHash: row.textHash });
  }

  /** Notes an input record left out because it was withdrawn. */
  async withdrew(id: string): Promise<void> {
    this.previous?.delete(id);
    await this.list('withdrawn', id);
  }

  /** Writes changes.json to `filePath` and removes the spool files. */
  async write(snapshotId: string, filePath: string): Promise<ChangeCounts> {
    for (const [id] of this.previous ?? new Map<string, unknown>()) {
      await this.list(this.withdrawnIds.has(id) ? 'withdrawn' : 'removed', id);
    }
    for (const spool of this.spools.values()) {
      spool.end();
      await finished(spool);
    }
    const out = createWriteStream(filePath);
    const put = async (text: string): Promise<void> => {
      if (!out.write(text)) await once(out, 'drain');
    };
    await put(`{\n"snapshotId": ${JSON.stringify(snapshotId)},\n`);
    await put(`"previousSnapshotId": ${JSON.stringify(this.previousSnapshotId)},\n`);
    await put(`"counts": ${JSON.stringify(this.counts)}`);
    for (const list of LISTS) {
      await put(`,\n${JSON.stringify(list)}: [`);
      let first = true;
      for await (const entry of readFileLines(this.spoolPath(list))) {
        await put(`${first ? '\n' : ',\n'}${entry}`);
        first = false;
      }
      await put(first ? ']' : '\n]');
      await rm(this.spoolPath(list));
    }
    await put('\n}\n');
    out.end();
    await finished(out);
    return { ...this.counts };
  }

  private async list(list: ListName, entry: unknown): Promise<void> {
    this.counts[list]++;
    const spool = this.spools.get(list)!;
    if (!spool.write(`${JSON.stringify(entry)}\n`)) await once(spool, 'drain');
  }

  private spoolPath(list: ListName): string {
    return path.join(this.workDir, `changes-${list}.spool`);
  }
}
