import path from 'node:path';

/**
 * The folder dataset snapshots are published in: `GLEANER_SNAPSHOT_DIR` when set, else `snapshots` beside the blob
 * folder. The worker writes it and the coordinator serves it, so both must see the same folder.
 */
export function snapshotDir(settings: {
  GLEANER_SNAPSHOT_DIR?: string | undefined;
  GLEANER_BLOB_DIR: string;
}): string {
  return path.resolve(
    settings.GLEANER_SNAPSHOT_DIR ??
      path.join(path.dirname(path.resolve(settings.GLEANER_BLOB_DIR)), 'snapshots'),
  );
}
