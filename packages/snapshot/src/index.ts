export { buildSnapshot, type BuildSnapshotOptions, type SnapshotSummary } from './build-snapshot.js';
export { canonicalJson } from './canonical-json.js';
export { hubLanguages, renderDatasetCard, sizeCategory, type DatasetCardInfo } from './dataset-card.js';
export { MerkleTreeHash } from './merkle-tree-hash.js';
export { PARQUET_CODEC, type RowGroupLimits } from './parquet-shard-writer.js';
export { loadZstd, type ZstdCompress } from './zstd.js';
export { RECORD_FIELDS, type RecordField, type RecordFieldType } from './record-schema.js';
export { recordDigest, recordLine } from './record-line.js';
export {
  readSnapshotRecordIndex,
  type ChangeCounts,
  type PreviousRecord,
  type PreviousSnapshot,
} from './snapshot-changes.js';
export { SnapshotLayout } from './snapshot-layout.js';
export {
  MANIFEST_FORMAT,
  type ManifestFile,
  type ManifestShard,
  type ManifestSigner,
  type SnapshotManifest,
  type SnapshotSigner,
} from './snapshot-manifest.js';
export {
  toSnapshotRow,
  type JsonValue,
  type RecordProvenance,
  type SnapshotRecord,
  type SnapshotRow,
} from './snapshot-record.js';
export { WORD_COUNT_BUCKETS, type SnapshotStatistics } from './snapshot-stats.js';
export { SnapshotVerificationError } from './verify-error.js';
export {
  verifySnapshot,
  type VerifyFailure,
  type VerifyOptions,
  type VerifyProgress,
  type VerifyResult,
  type VerifySuccess,
} from './verify-snapshot.js';
export { WarcMetadataField } from './warc-shard-writer.js';
