/** File names inside a snapshot folder, in one place for the builder, the verifier and the docs. */
export const SnapshotLayout = {
  manifest: 'manifest.json',
  /** Base64 Ed25519 signature over the exact bytes of manifest.json. */
  signature: 'manifest.sig',
  card: 'README.md',
  nodes: 'nodes.json',
  changes: 'changes.json',
  cdxj: 'warc/index.cdxj',

  /** `data/train-00000-of-00004.parquet`: shard `index` of `count` (Hugging Face's split-shard naming). */
  parquet(index: number, count: number): string {
    return `data/train-${pad(index)}-of-${pad(count)}.parquet`;
  },

  /** `data/train-00000-of-00004.jsonl.gz`: the same records as the Parquet shard of the same number. */
  jsonl(index: number, count: number): string {
    return `data/train-${pad(index)}-of-${pad(count)}.jsonl.gz`;
  },

  /** `warc/<snapshotId>-00000.warc.gz`: the captures of the records of shard `index`. */
  warc(snapshotId: string, index: number): string {
    return `warc/${snapshotId}-${pad(index)}.warc.gz`;
  },
} as const;

function pad(n: number): string {
  return String(n).padStart(5, '0');
}
