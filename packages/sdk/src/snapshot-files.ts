import type { SnapshotFile } from './snapshot-types.js';
import path from 'node:path';

/**
 * One file to download: its path inside the snapshot folder (`/`-separated, `data/train-00000-of-00001.parquet`),
 * size in bytes and hex SHA-256, as the API lists it (`SnapshotFile`) and manifest.json does.
 */
export type SnapshotFileEntry = SnapshotFile;

/** The record formats a snapshot carries: its Parquet shards, its JSONL.gz shards, or its WARC files and index. */
export type SnapshotFormat = 'parquet' | 'jsonl' | 'warc';

/** The formats, for argument checks. */
export const SNAPSHOT_FORMATS: readonly SnapshotFormat[] = ['parquet', 'jsonl', 'warc'];

/** The format a file belongs to, or null for the files every download takes (manifest, signature, card, nodes, changes). */
export function fileFormat(filePath: string): SnapshotFormat | null {
  if (filePath.startsWith('warc/')) return 'warc';
  if (filePath.startsWith('data/') && filePath.endsWith('.parquet')) return 'parquet';
  if (filePath.startsWith('data/') && filePath.endsWith('.jsonl.gz')) return 'jsonl';
  return null;
}

/** The files a download of `format` takes: its own and the shared ones; every file when `format` is undefined. */
export function selectSnapshotFiles<T extends { path: string }>(files: T[], format?: SnapshotFormat): T[] {
  if (format === undefined) return files;
  return files.filter((file) => {
    const own = fileFormat(file.path);
    return own === null || own === format;
  });
}

/**
 * `path` under `dir`, refusing anything that could leave it: absolute paths, `..` segments, backslashes, empty
 * segments and NUL. Snapshot paths come from the server; a bad one must not write elsewhere on the lab's disk.
 */
export function snapshotFilePath(dir: string, filePath: string): string {
  const segments = filePath.split('/');
  if (
    filePath.includes('\\') ||
    filePath.includes('\0') ||
    segments.some((s) => s === '' || s === '.' || s === '..')
  )
    throw new Error(`refusing the snapshot file path ${JSON.stringify(filePath)}`);
  return path.join(dir, ...segments);
}

/** What to do with one file, given what the folder holds of it. */
export type FilePlan =
  /** A finished file of the right size: hash it, and skip it if the SHA-256 matches. */
  | { action: 'check' }
  /** Continue `<file>.partial` from `offset` with a range request. */
  | { action: 'resume'; offset: number }
  /** Fetch from the start (anything left of the file is deleted first). */
  | { action: 'fetch' };

/**
 * Plans one file from the sizes on disk of the finished file and of `<file>.partial` (undefined when absent). A
 * finished file of another size, or a partial longer than the file, is started over.
 */
export function planFile(
  file: SnapshotFileEntry,
  local: { finishedBytes?: number | undefined; partialBytes?: number | undefined },
): FilePlan {
  if (local.finishedBytes === file.bytes) return { action: 'check' };
  if (local.partialBytes !== undefined && local.partialBytes > 0 && local.partialBytes <= file.bytes)
    return { action: 'resume', offset: local.partialBytes };
  return { action: 'fetch' };
}

/** A parsed `Content-Range: bytes start-end/total` (total undefined for `*`). */
export interface ContentRange {
  start: number;
  end: number;
  total: number | undefined;
}

/** Parses a `Content-Range` header of a 206 answer; null when it is not a byte range. */
export function parseContentRange(value: string | null): ContentRange | null {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(value?.trim() ?? '');
  if (!match) return null;
  const [, start, end, total] = match;
  const range = { start: Number(start), end: Number(end), total: total === '*' ? undefined : Number(total) };
  return range.end >= range.start ? range : null;
}

/** The hex SHA-256 an `ETag` header names (`"<hex>"`, weak or strong), or null. */
export function etagSha256(value: string | null): string | null {
  const match = /^(?:W\/)?"([0-9a-f]{64})"$/i.exec(value?.trim() ?? '');
  return match ? match[1]!.toLowerCase() : null;
}
