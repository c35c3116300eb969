import { z } from 'zod';
import { TimestampSchema } from './common.js';

/** A dataset as lists show it. */
export const DatasetSchema = z
  .object({ id: z.string(), name: z.string(), campaignId: z.string(), createdAt: TimestampSchema })
  .meta({ id: 'Dataset' });

/** A dataset as lists show it. */
export type Dataset = z.infer<typeof DatasetSchema>;

/** Body of `GET /v1/datasets`, newest first. */
export const DatasetListSchema = z.object({ datasets: z.array(DatasetSchema) }).meta({ id: 'DatasetList' });

/** Body of `GET /v1/datasets`. */
export type DatasetList = z.infer<typeof DatasetListSchema>;

/** Body of `GET /v1/datasets/{id}`: counts, text bytes, records per language and host, and the fetch date range. */
export const DatasetSummarySchema = DatasetSchema.extend({
  records: z.number().int(),
  duplicates: z.number().int(),
  textBytes: z.number().int(),
  languages: z
    .record(z.string(), z.number().int())
    .meta({ description: 'Records per language (`und`: unknown)' }),
  hosts: z.record(z.string(), z.number().int()).meta({ description: 'Records per host' }),
  firstFetchedAt: TimestampSchema.nullable(),
  lastFetchedAt: TimestampSchema.nullable(),
}).meta({ id: 'DatasetSummary' });

/** Body of `GET /v1/datasets/{id}`. */
export type DatasetSummary = z.infer<typeof DatasetSummarySchema>;

/** Most records one feed page returns. */
export const MAX_FEED_LIMIT = 1000;

/** Query of `GET /v1/datasets/{id}/records`: an opaque `cursor` (omit to start) and `limit` (default 100, max 1000). */
export const FeedQuerySchema = z.object({
  cursor: z.string().min(1).max(200).optional().meta({
    description: 'The `Gleaner-Next-Cursor` header of the previous page; omit to start from the beginning',
  }),
  limit: z.coerce.number().int().min(1).max(MAX_FEED_LIMIT).default(100),
});

/** One line of the NDJSON feed: a dataset record with its provenance. */
export const DatasetRecordSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    finalUrl: z.string(),
    host: z.string(),
    status: z.number().int(),
    fetchedAt: TimestampSchema,
    nodeId: z.string(),
    title: z.string().nullable(),
    text: z.string(),
    markdown: z.string(),
    language: z.string().nullable(),
    bodySha256: z.string(),
    blobKey: z.string(),
    contentType: z.string().nullable(),
    metadata: z.unknown(),
    version: z.number().int().min(1).meta({
      description: "1 for a URL's first record; a recrawl that finds the page changed adds the next version",
    }),
  })
  .meta({ id: 'DatasetRecord' });

/** One line of the NDJSON feed. */
export type DatasetRecord = z.infer<typeof DatasetRecordSchema>;

/** Response header carrying the cursor of the next feed page (equal to the request's when nothing new). */
export const NEXT_CURSOR_HEADER = 'Gleaner-Next-Cursor';
/** Response header carrying the number of records in a feed page. */
export const RECORD_COUNT_HEADER = 'Gleaner-Record-Count';
