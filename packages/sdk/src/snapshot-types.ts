import type { SnapshotFileEntry } from './snapshot-files.js';

/** A dataset snapshot as the API lists it. */
export interface Snapshot {
  id: string;
  datasetId: string;
  state: 'building' | 'published' | 'failed';
  trigger: 'manual' | 'round' | 'schedule';
  requestedAt: string;
  publishedAt: string | null;
  records: number | null;
  bytes: number | null;
  shards: number | null;
  merkleRoot: string | null;
  manifestSha256: string | null;
  changes: {
    added: number;
    newVersions: number;
    unchanged: number;
    changed: number;
    withdrawn: number;
    removed: number;
  } | null;
  previousId: string | null;
  error: string | null;
  feedCursor: string | null;
}

/** One snapshot with its files (every file of the folder, once published). */
export type SnapshotDetail = Snapshot & { files?: SnapshotFileEntry[] };
