import type { SnapshotRow } from './snapshot-record.js';

/** Types of published fields; `json` holds any JSON value (a Parquet `JSON` string column). */
export type RecordFieldType = 'string' | 'int32' | 'timestamp' | 'json';

/** One field of the published record schema. */
export interface RecordField {
  name: keyof SnapshotRow;
  type: RecordFieldType;
  nullable: boolean;
  description: string;
}

/**
 * The published record schema, in column order: one table for the Parquet columns, the manifest's `recordSchema`
 * and docs/datasets.md. In JSONL a `timestamp` is an ISO 8601 string; in Parquet, milliseconds since the epoch (UTC).
 */
export const RECORD_FIELDS: readonly RecordField[] = [
  { name: 'id', type: 'string', nullable: false, description: 'Record id, unique in the dataset' },
  { name: 'datasetId', type: 'string', nullable: false, description: 'Dataset the record belongs to' },
  { name: 'campaignId', type: 'string', nullable: false, description: 'Crawl campaign that fetched it' },
  { name: 'url', type: 'string', nullable: false, description: 'URL the job asked for' },
  { name: 'finalUrl', type: 'string', nullable: false, description: 'URL that answered, after redirects' },
  { name: 'host', type: 'string', nullable: false, description: 'Host name of `url`' },
  { name: 'status', type: 'int32', nullable: false, description: 'HTTP status of the final response' },
  { name: 'contentType', type: 'string', nullable: true, description: 'Content-Type of the response' },
  {
    name: 'fetchedAt',
    type: 'timestamp',
    nullable: false,
    description: 'When the node fetched the page (UTC)',
  },
  { name: 'title', type: 'string', nullable: true, description: "The page's title" },
  { name: 'text', type: 'string', nullable: false, description: 'Main content as plain text' },
  { name: 'markdown', type: 'string', nullable: false, description: 'Main content as Markdown' },
  {
    name: 'language',
    type: 'string',
    nullable: true,
    description: 'Declared or detected language (ISO 639-1)',
  },
  { name: 'textHash', type: 'string', nullable: false, description: 'Hex SHA-256 of the normalized text' },
  { name: 'textBytes', type: 'int32', nullable: false, description: 'UTF-8 bytes of `text`' },
  {
    name: 'metadata',
    type: 'json',
    nullable: true,
    description: 'Page metadata (author, dates, description, …)',
  },
  {
    name: 'quality',
    type: 'json',
    nullable: true,
    description: 'Quality signals of the text (word count, ratios)',
  },
  {
    name: 'fields',
    type: 'json',
    nullable: true,
    description: "Structured fields from the campaign's rules",
  },
  { name: 'fieldErrors', type: 'json', nullable: true, description: 'Per-record errors of those rules' },
  { name: 'round', type: 'int32', nullable: false, description: 'Campaign round that fetched this version' },
  {
    name: 'version',
    type: 'int32',
    nullable: false,
    description: "1 for a URL's first record, +1 per change",
  },
  { name: 'pageType', type: 'string', nullable: true, description: 'Page type named by the campaign rules' },
  {
    name: 'nodeId',
    type: 'string',
    nullable: false,
    description: 'Node that fetched the page (key in nodes.json)',
  },
  {
    name: 'bodySha256',
    type: 'string',
    nullable: false,
    description: 'Hex SHA-256 of the raw response body',
  },
  {
    name: 'provenance',
    type: 'json',
    nullable: false,
    description: '`{ jobId, attempt, redirects, signature }`: what the node signed, and its signature',
  },
  { name: 'robots', type: 'string', nullable: false, description: 'How robots.txt allowed the fetch' },
  {
    name: 'siteSignals',
    type: 'json',
    nullable: true,
    description:
      '`{ robots, tdmReservation, tdmPolicy, tdmSource }`: robots directives (meta, X-Robots-Tag) and TDMRep',
  },
];
