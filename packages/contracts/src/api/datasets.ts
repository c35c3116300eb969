import { z } from 'zod';
import { IdParamSchema, IdSchema, TimestampSchema } from './common.js';

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
  records: z
    .number()
    .int()
    .meta({ description: 'Live records (withdrawn ones are not counted anywhere else)' }),
  withdrawn: z.number().int().meta({ description: 'Records withdrawn from the dataset' }),
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

/** Query of `GET /v1/datasets/{id}/records`: an opaque `cursor` (omit to start), `limit` and filters. */
export const FeedQuerySchema = z.object({
  cursor: z.string().min(1).max(200).optional().meta({
    description: 'The `Gleaner-Next-Cursor` header of the previous page; omit to start from the beginning',
  }),
  limit: z.coerce.number().int().min(1).max(MAX_FEED_LIMIT).default(100),
  language: z
    .string()
    .regex(/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/, 'a language tag such as en or pt-BR')
    .optional()
    .meta({
      description: 'Only records in this language: `en` matches `en` and `en-*`, `en-GB` only itself',
    }),
  host: z
    .string()
    .regex(/^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$/, 'a host name, with a port if not the default')
    .optional()
    .meta({ description: 'Only records whose final URL is on this host' }),
  minQuality: z.coerce
    .number()
    .min(0)
    .max(1)
    .optional()
    .meta({
      description:
        'Only records whose `quality.lineEndPunctuationRatio` (share of lines ending in terminal punctuation, ' +
        "FineWeb's signal: running prose scores high, menus and link lists low) is at least this; 0 to 1",
    }),
  fetchedSince: z.iso
    .datetime({ offset: true })
    .optional()
    .meta({ description: 'Only records fetched at or after this instant (ISO 8601)' }),
  round: z.coerce.number().int().min(0).optional().meta({ description: 'Only records of this crawl round' }),
});

/** Query of `GET /v1/datasets/{id}/records`. */
export type FeedQuery = z.input<typeof FeedQuerySchema>;

/** How a record's body was fetched, as its node signed it; null on records written before it was kept. */
export const RecordProvenanceSchema = z
  .object({
    jobId: z.string().nullable().meta({ description: 'The fetch job the node answered' }),
    attempt: z.number().int().nullable().meta({ description: "The job's lease attempt" }),
    redirects: z.array(z.string()).meta({ description: 'The redirect chain the node followed, in order' }),
    signature: z
      .string()
      .nullable()
      .meta({ description: "The node's Ed25519 signature (base64) over the result; keys at /v1/nodes/keys" }),
  })
  .meta({ id: 'RecordProvenance' });

/** A record's provenance. */
export type RecordProvenance = z.infer<typeof RecordProvenanceSchema>;

/** What a site said of a page: robots directives for Gleaner and its TDMRep declaration (docs/site-owners.md). */
export const SiteSignalsSchema = z
  .object({
    robots: z.array(z.string()).meta({
      description:
        'Robots directives for Gleaner from meta robots and X-Robots-Tag, lower case, sorted (`nofollow`, `noarchive`, `noimageai`, ...)',
    }),
    tdmReservation: z
      .union([z.literal(0), z.literal(1)])
      .nullable()
      .meta({ description: 'TDMRep `tdm-reservation`: 0 not reserved; null when the site declares nothing' }),
    tdmPolicy: z.string().nullable().meta({ description: 'TDMRep `tdm-policy` URL, when given' }),
    tdmSource: z.enum(['header', 'meta', 'file']).nullable().meta({
      description: 'Where the TDMRep declaration came from: header, meta tag or /.well-known/tdmrep.json',
    }),
  })
  .meta({ id: 'SiteSignals' });

/** A feed line of `type: "record"`: a live dataset record with every stored field and its provenance. */
export const DatasetRecordSchema = z
  .object({
    type: z.literal('record'),
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
    bodySha256: z.string().meta({ description: 'SHA-256 (hex) of the raw body, as the node signed it' }),
    blobKey: z.string(),
    contentType: z.string().nullable(),
    httpHeaders: z
      .record(z.string(), z.string())
      .nullable()
      .meta({ description: 'Response headers (lower-case names), without set-cookie' }),
    provenance: RecordProvenanceSchema.nullable(),
    robots: z.string().nullable().meta({
      description:
        'How robots.txt allowed the fetch: `allowed`, `allowed:no-robots-txt` (the host has none), `allowed:expired`; null on records older than this field',
    }),
    siteSignals: SiteSignalsSchema.nullable().meta({
      description: 'What the site said of the page besides robots.txt; null on records older than this field',
    }),
    metadata: z.unknown(),
    quality: z
      .record(z.string(), z.number())
      .nullable()
      .meta({ description: 'Quality signals of the text: word count, ratios, repetition' }),
    fields: z
      .record(z.string(), z.unknown())
      .nullable()
      .meta({ description: "Structured fields from the campaign's rules" }),
    fieldErrors: z
      .unknown()
      .meta({ description: 'Errors of the structured-field rules on this page, or null' }),
    round: z.number().int().min(0).meta({ description: 'The crawl round that fetched this version' }),
    version: z.number().int().min(1).meta({
      description: "1 for a URL's first record; a recrawl that finds the page changed adds the next version",
    }),
  })
  .meta({ id: 'DatasetRecord' });

/** A record line of the NDJSON feed. */
export type DatasetRecord = z.infer<typeof DatasetRecordSchema>;

/** A feed line of `type: "tombstone"`: a record withdrawn after it was published; delete it wherever you keep it. */
export const TombstoneSchema = z
  .object({
    type: z.literal('tombstone'),
    id: z.string().meta({ description: 'The withdrawn record' }),
    reason: z.string(),
    withdrawnAt: TimestampSchema,
  })
  .meta({ id: 'Tombstone' });

/** A tombstone line of the NDJSON feed. */
export type Tombstone = z.infer<typeof TombstoneSchema>;

/** One line of the NDJSON feed, told apart by `type`. */
export const FeedLineSchema = z
  .discriminatedUnion('type', [DatasetRecordSchema, TombstoneSchema])
  .meta({ id: 'FeedLine' });

/** One line of the NDJSON feed. */
export type FeedLine = z.infer<typeof FeedLineSchema>;

/** Path of a route that addresses one record of a dataset. */
export const RecordParamsSchema = z.object({
  id: IdParamSchema.shape.id,
  recordId: IdSchema.meta({ param: { name: 'recordId', in: 'path' }, example: 'rec_3q2-xYzAbCdEfGhIj' }),
});

/** Body of `POST /v1/datasets/{id}/records/{recordId}/withdraw`. */
export const WithdrawRecordBodySchema = z
  .object({ reason: z.string().trim().min(1).max(500).meta({ description: 'Why the record is withdrawn' }) })
  .meta({ id: 'WithdrawRecordBody' });

/** Body of `POST /v1/datasets/{id}/records/{recordId}/withdraw` as sent. */
export type WithdrawRecordBody = z.input<typeof WithdrawRecordBodySchema>;

/** Response header carrying the cursor of the next feed page (equal to the request's when nothing new). */
export const NEXT_CURSOR_HEADER = 'Gleaner-Next-Cursor';
/** Response header carrying the number of record lines in a feed page. */
export const RECORD_COUNT_HEADER = 'Gleaner-Record-Count';
/** Response header carrying the number of tombstone lines in a feed page. */
export const TOMBSTONE_COUNT_HEADER = 'Gleaner-Tombstone-Count';
