export {
  ApiTransport,
  type ApiRequest,
  type ApiTransportOptions,
  type RetryEvent,
  type StreamResponse,
} from './api-transport.js';
export type {
  Dataset,
  DatasetRecord,
  DatasetSummary,
  ErrorResponse,
  FeedFilters,
  FeedLine,
  FeedQuery,
  Tombstone,
} from './api-types.js';
export {
  GleanerApiError,
  GleanerUnreachableError,
  SnapshotFileMismatchError,
  SnapshotNotPublishedError,
} from './errors.js';
export {
  FeedReader,
  NEXT_CURSOR_HEADER,
  parseNdjson,
  type FeedOptions,
  type FeedPage,
} from './feed-reader.js';
export {
  GleanerClient,
  type DownloadSnapshotOptions,
  type GleanerClientOptions,
  type RawBody,
} from './gleaner-client.js';
export type { components, paths } from './openapi-types.js';
export {
  DEFAULT_RETRY,
  isRetryableStatus,
  parseRetryAfter,
  retryDelayMs,
  type RetryOptions,
} from './retry-policy.js';
export {
  downloadSnapshotFiles,
  PARTIAL_SUFFIX,
  type DownloadedFile,
  type DownloadOptions,
  type DownloadProgress,
  type DownloadResult,
  type SnapshotSource,
} from './snapshot-download.js';
export {
  etagSha256,
  fileFormat,
  parseContentRange,
  planFile,
  selectSnapshotFiles,
  snapshotFilePath,
  SNAPSHOT_FORMATS,
  type ContentRange,
  type FilePlan,
  type SnapshotFileEntry,
  type SnapshotFormat,
} from './snapshot-files.js';
export type { Snapshot, SnapshotDetail, SnapshotFile } from './snapshot-types.js';
