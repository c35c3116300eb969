/** A failed check of `verifySnapshot`: the file (and record) it concerns and why. */
export class SnapshotVerificationError extends Error {
  constructor(
    /** Path inside the snapshot folder. */
    readonly file: string,
    readonly reason: string,
    /** The record, when one is to blame. */
    readonly recordId?: string,
    /** 1-based line of the record in its JSONL shard. */
    readonly line?: number,
  ) {
    super(
      recordId !== undefined
        ? `record ${recordId} (${file} line ${line}): ${reason}`
        : line !== undefined
          ? `${file} line ${line}: ${reason}`
          : `${file}: ${reason}`,
    );
    this.name = 'SnapshotVerificationError';
  }
}
