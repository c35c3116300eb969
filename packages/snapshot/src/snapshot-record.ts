/** A JSON value, as stored in a record's open-ended fields (metadata, quality, structured fields). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** What the node signed for a record besides its final URL, status and body hash (see `resultMessage`). */
export interface RecordProvenance {
  /** The fetch job's id. */
  jobId: string;
  /** The lease attempt the job named (1 for the first). */
  attempt: number;
  /** The URLs that answered with a redirect, in order, starting at the requested URL; empty without redirects. */
  redirects: string[];
  /** The node's Ed25519 signature (base64) over `resultMessage(...)` of `@gleaner/core`. */
  signature: string;
}

/**
 * One dataset record as it is published: the line of a JSONL shard and the row of a Parquet shard. Its canonical
 * JSON (see `canonicalJson`) is the record's Merkle leaf entry. Field meanings are in `RECORD_FIELDS` and
 * docs/datasets.md.
 */
export interface SnapshotRow {
  id: string;
  datasetId: string;
  campaignId: string;
  url: string;
  finalUrl: string;
  host: string;
  status: number;
  contentType: string | null;
  /** ISO 8601 time the node fetched the page. */
  fetchedAt: string;
  title: string | null;
  text: string;
  markdown: string;
  language: string | null;
  textHash: string;
  /** UTF-8 bytes of `text`. */
  textBytes: number;
  metadata: JsonValue;
  quality: JsonValue;
  fields: JsonValue;
  fieldErrors: JsonValue;
  round: number;
  version: number;
  pageType: string | null;
  nodeId: string;
  /** Hex SHA-256 of the response body the node returned (the WARC response payload). */
  bodySha256: string;
  provenance: RecordProvenance;
  /** How robots.txt allowed the fetch (for example `allowed`, `allowed:no-robots-txt`), as the frontier decided. */
  robots: string;
  /**
   * What the site said of the page besides robots.txt (`SiteSignals` of `@gleaner/core`): `{ robots, tdmReservation,
   * tdmPolicy, tdmSource }`; null on records written before they were kept.
   */
  siteSignals: JsonValue;
}

/** A record handed to the snapshot builder: the published fields plus what goes into the WARC only. */
export interface SnapshotRecord extends Omit<SnapshotRow, 'pageType' | 'siteSignals'> {
  /** The page type, when the campaign's rules named one; published as `null` when absent. */
  pageType?: string | null;
  /** The site's signals (see {@link SnapshotRow.siteSignals}); published as `null` when absent. */
  siteSignals?: JsonValue;
  /** The response headers the node returned (names in any case); written to the WARC response record. */
  httpHeaders?: Record<string, string>;
  /** Reads the raw response body (its SHA-256 must equal `bodySha256`). Called once per record. */
  rawBody(): Promise<Buffer>;
}

/** The published row of a record: every field of {@link SnapshotRow}, in schema order, and nothing else. */
export function toSnapshotRow(record: SnapshotRecord): SnapshotRow {
  return {
    id: record.id,
    datasetId: record.datasetId,
    campaignId: record.campaignId,
    url: record.url,
    finalUrl: record.finalUrl,
    host: record.host,
    status: record.status,
    contentType: record.contentType,
    fetchedAt: record.fetchedAt,
    title: record.title,
    text: record.text,
    markdown: record.markdown,
    language: record.language,
    textHash: record.textHash,
    textBytes: record.textBytes,
    metadata: record.metadata ?? null,
    quality: record.quality ?? null,
    fields: record.fields ?? null,
    fieldErrors: record.fieldErrors ?? null,
    round: record.round,
    version: record.version,
    pageType: record.pageType ?? null,
    nodeId: record.nodeId,
    bodySha256: record.bodySha256,
    provenance: {
      jobId: record.provenance.jobId,
      attempt: record.provenance.attempt,
      redirects: [...record.provenance.redirects],
      signature: record.provenance.signature,
    },
    robots: record.robots,
    siteSignals: record.siteSignals ?? null,
  };
}
