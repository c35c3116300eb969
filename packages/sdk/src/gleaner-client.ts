import { ApiTransport, type ApiTransportOptions } from './api-transport.js';
import type { Dataset, DatasetSummary } from './api-types.js';
import { SnapshotNotPublishedError } from './errors.js';
import { FeedReader, type FeedOptions } from './feed-reader.js';
import { downloadSnapshotFiles, type DownloadOptions, type DownloadResult } from './snapshot-download.js';
import { selectSnapshotFiles, type SnapshotFormat } from './snapshot-files.js';
import type { Snapshot, SnapshotDetail, SnapshotFile } from './snapshot-types.js';

/** Options of {@link GleanerClient}: the coordinator, the key, and how to retry. */
export type GleanerClientOptions = ApiTransportOptions;

/** A raw response body of a record, as the node fetched it. */
export interface RawBody {
  body: Buffer;
  /** The page's media type, or `application/octet-stream` when it had none fit to echo. */
  contentType: string;
}

/** Options of {@link GleanerClient.downloadSnapshot}. */
export interface DownloadSnapshotOptions extends DownloadOptions {
  /** Only the files of this format (plus the manifest, its signature, the card, nodes.json and changes.json). */
  format?: SnapshotFormat;
  /**
   * Leave out the files marked `raw` (the WARC files and their index, which need the `raw:read` scope); they are
   * listed in the result's `skipped`. Default false.
   */
  skipRaw?: boolean;
}

const segment = encodeURIComponent;

/**
 * A typed client of Gleaner's lab API, authenticated with an API key. Every call retries network failures, 429
 * (after its `Retry-After`) and 5xx answers with back-off, and throws `GleanerApiError` for the others.
 *
 * ```ts
 * const gleaner = new GleanerClient({ baseUrl: 'https://gleaner.example.org', apiKey: process.env.KEY! });
 * for await (const line of gleaner.feed('dst_…', { cursor: saved })) { … }
 * await gleaner.downloadSnapshot('dst_…', 'latest', './snapshot');
 * ```
 */
export class GleanerClient {
  readonly transport: ApiTransport;

  constructor(options: GleanerClientOptions) {
    this.transport = new ApiTransport(options);
  }

  /** The datasets the key may read, newest first. */
  async datasets(): Promise<Dataset[]> {
    return (await this.transport.json<{ datasets: Dataset[] }>('/v1/datasets')).datasets;
  }

  /** One dataset's summary: counts, text bytes, records per language and host, the fetch date range. */
  async dataset(id: string): Promise<DatasetSummary> {
    return this.transport.json<DatasetSummary>(`/v1/datasets/${segment(id)}`);
  }

  /**
   * A walk over the dataset's live feed (records and tombstones), from `options.cursor` or the start; iterate it
   * with `for await`, or page by page with `.pages()`, and save `.cursor` to continue later.
   */
  feed(datasetId: string, options: FeedOptions = {}): FeedReader {
    return new FeedReader(this.transport, datasetId, options);
  }

  /** The raw response body a live record was extracted from (the key needs the `raw:read` scope). */
  async raw(datasetId: string, recordId: string): Promise<RawBody> {
    const response = await this.transport.send(
      `/v1/datasets/${segment(datasetId)}/records/${segment(recordId)}/raw`,
      { headers: { 'accept-encoding': 'gzip' } },
    );
    return {
      body: Buffer.from(await response.arrayBuffer()),
      contentType: response.headers.get('content-type') ?? 'application/octet-stream',
    };
  }

  /** The dataset's snapshots, newest first, in every state. */
  async snapshots(datasetId: string): Promise<Snapshot[]> {
    return (
      await this.transport.json<{ snapshots: Snapshot[] }>(`/v1/datasets/${segment(datasetId)}/snapshots`)
    ).snapshots;
  }

  /** One snapshot (`latest`: the newest published one), with its files once published. */
  async snapshot(datasetId: string, snapshotId: string | 'latest'): Promise<SnapshotDetail> {
    return this.transport.json<SnapshotDetail>(
      `/v1/datasets/${segment(datasetId)}/snapshots/${segment(snapshotId)}`,
    );
  }

  /** The newest published snapshot, with its files. */
  async latestSnapshot(datasetId: string): Promise<SnapshotDetail> {
    return this.snapshot(datasetId, 'latest');
  }

  /**
   * Downloads a published snapshot's files into `dir` (every file, or one format's), verifying each file's size
   * and SHA-256 and resuming whatever an earlier run left; see `downloadSnapshotFiles`. Check the whole folder
   * afterwards with `verifySnapshot` of `@gleaner/snapshot` (or `gleaner verify DIR`), which checks the manifest's
   * signature and every record too.
   */
  async downloadSnapshot(
    datasetId: string,
    snapshot: string | SnapshotDetail,
    dir: string,
    options: DownloadSnapshotOptions = {},
  ): Promise<DownloadResult & { snapshot: SnapshotDetail; skipped: SnapshotFile[] }> {
    const detail = typeof snapshot === 'string' ? await this.snapshot(datasetId, snapshot) : snapshot;
    if (detail.state !== 'published' || !detail.files)
      throw new SnapshotNotPublishedError(detail.id, detail.state);
    const selected = selectSnapshotFiles(detail.files, options.format);
    const skipped = options.skipRaw ? selected.filter((file) => file.raw) : [];
    const files = options.skipRaw ? selected.filter((file) => !file.raw) : selected;
    const result = await downloadSnapshotFiles(
      this.transport,
      { datasetId, snapshotId: detail.id },
      files,
      dir,
      options,
    );
    return { ...result, snapshot: detail, skipped };
  }
}
