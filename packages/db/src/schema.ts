import type { CampaignSpec, CampaignStatus } from '@gleaner/core';
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * Where a record's body came from, as the node signed it: the fetch job, its lease attempt, the redirect chain
 * and the node's Ed25519 signature (base64) over the result.
 */
export interface RecordProvenance {
  jobId: string | null;
  attempt: number | null;
  redirects: string[];
  signature: string | null;
}

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();

/** Contributors: people who run nodes and earn points. The owner token is stored as its SHA-256. */
export const owners = pgTable('owners', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: createdAt(),
});

/** Contributor nodes, each with its Ed25519 public key (PEM). */
export const nodes = pgTable(
  'nodes',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => owners.id),
    name: text('name').notNull(),
    publicKey: text('public_key').notNull(),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('nodes_owner_idx').on(t.ownerId)],
);

/**
 * Lab API keys: shown once, stored as SHA-256; `prefix` is what lists show. Limits left null do not apply; the
 * day's usage and the rate limit are counted in Redis (`ApiKeyLimiter` in @gleaner/queue), not here.
 */
export const apiKeys = pgTable('api_keys', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  prefix: text('prefix').notNull(),
  keyHash: text('key_hash').notNull().unique(),
  scopes: jsonb('scopes').$type<string[]>().notNull(),
  /** The only datasets the key may read; null for every dataset. */
  datasetIds: jsonb('dataset_ids').$type<string[]>(),
  /** After this instant the key is refused as if revoked. */
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
  /** Most feed records served per UTC day. */
  recordsPerDay: integer('records_per_day'),
  /** Most response bytes (uncompressed feed lines and raw bodies) served per UTC day. */
  bytesPerDay: bigint('bytes_per_day', { mode: 'number' }),
  /** Most requests per minute, over every coordinator. */
  requestsPerMinute: integer('requests_per_minute'),
  createdAt: createdAt(),
  revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  /** Written at most once a minute per key, not on every request. */
  lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
});

/** Crawl campaigns; `spec` holds the validated campaign spec (seeds, scope, limits). */
export const campaigns = pgTable('campaigns', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  status: text('status').$type<CampaignStatus>().notNull(),
  spec: jsonb('spec').$type<CampaignSpec>().notNull(),
  /** True once the seeds have been admitted; a campaign completes only after that. */
  seeded: boolean('seeded').notNull().default(false),
  /** The crawl round: 0 for the first crawl, then one more for each recrawl. */
  round: integer('round').notNull().default(0),
  /** When the next recrawl round starts (set when a round completes and the spec asks for another). */
  nextRecrawlAt: timestamp('next_recrawl_at', { withTimezone: true, mode: 'date' }),
  datasetId: text('dataset_id').notNull(),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  completedAt: timestamp('completed_at', { withTimezone: true, mode: 'date' }),
});

/** Datasets: one per campaign for now; records accumulate into them. */
export const datasets = pgTable('datasets', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  campaignId: text('campaign_id').notNull(),
  createdAt: createdAt(),
});

/**
 * URL states: queued (fetch job waiting), leased (a node is fetching it), fetched (processing), then a terminal
 * state; `skipped` URLs (robots.txt, a per-host limit, a trap) carry their reason in `error_code`.
 */
export type UrlState =
  'queued' | 'leased' | 'fetched' | 'done' | 'duplicate' | 'failed' | 'skipped' | 'cancelled';

/** The states of a URL that is not finished: what completion, cancelling and the lost-job reconciler look at. */
export const UNFINISHED_URL_STATES: UrlState[] = ['queued', 'leased', 'fetched'];

/** Every URL a campaign admitted, with its state; unique per campaign by URL hash. */
export const urls = pgTable(
  'urls',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    campaignId: text('campaign_id').notNull(),
    url: text('url').notNull(),
    urlHash: text('url_hash').notNull(),
    host: text('host').notNull(),
    depth: integer('depth').notNull(),
    state: text('state').$type<UrlState>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** Bytes of the response bodies nodes returned for this URL, summed over its fetches. */
    bodyBytes: bigint('body_bytes', { mode: 'number' }).notNull().default(0),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    /** The campaign round this URL was last queued in. */
    round: integer('round').notNull().default(0),
    /** Set when a plain fetch looked like it needed JavaScript (render policy `auto`): it is fetched rendered. */
    needsRender: boolean('needs_render').notNull().default(false),
    /** Validators of the last response that made or kept a record, sent back in conditional recrawl requests. */
    etag: text('etag'),
    lastModified: text('last_modified'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('urls_campaign_hash_idx').on(t.campaignId, t.urlHash),
    index('urls_campaign_state_idx').on(t.campaignId, t.state),
  ],
);

/**
 * Dataset records, one per accepted URL and round in which its text changed (`version` counts them per URL). `txid` (the inserting transaction) and `seq` order the live feed:
 * a reader only sees rows below the oldest running transaction, so a cursor never skips a late commit.
 */
export const records = pgTable(
  'records',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    id: text('id').notNull().unique(),
    datasetId: text('dataset_id').notNull(),
    campaignId: text('campaign_id').notNull(),
    urlId: bigint('url_id', { mode: 'number' }).notNull(),
    url: text('url').notNull(),
    finalUrl: text('final_url').notNull(),
    host: text('host').notNull(),
    status: integer('status').notNull(),
    contentType: text('content_type'),
    fetchedAt: timestamp('fetched_at', { withTimezone: true, mode: 'date' }).notNull(),
    nodeId: text('node_id').notNull(),
    ownerId: text('owner_id').notNull(),
    bodySha256: text('body_sha256').notNull(),
    blobKey: text('blob_key').notNull(),
    /** The signed fetch behind this record; null on records written before provenance was kept. */
    provenance: jsonb('provenance').$type<RecordProvenance>(),
    /** The response headers (lower-case names), without `set-cookie`. */
    httpHeaders: jsonb('http_headers').$type<Record<string, string>>(),
    title: text('title'),
    text: text('text').notNull(),
    markdown: text('markdown').notNull(),
    language: text('language'),
    textHash: text('text_hash').notNull(),
    textBytes: integer('text_bytes').notNull(),
    metadata: jsonb('metadata'),
    /** Quality signals of the text (word count, ratios, repetition). */
    quality: jsonb('quality'),
    /** Structured fields from the campaign's rules, and the per-record errors of those rules. */
    fields: jsonb('fields'),
    fieldErrors: jsonb('field_errors'),
    /** The campaign round that fetched this version. */
    round: integer('round').notNull().default(0),
    /** 1 for a URL's first record, then one more for each changed refetch. */
    version: integer('version').notNull().default(1),
    txid: bigint('txid', { mode: 'bigint' })
      .notNull()
      .default(sql`txid_current()`),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('records_url_round_idx').on(t.urlId, t.round),
    uniqueIndex('records_dataset_text_hash_idx').on(t.datasetId, t.textHash),
    index('records_feed_idx').on(t.datasetId, t.txid, t.seq),
  ],
);

/**
 * Withdrawn records, one row each: the feed leaves a withdrawn record out and serves this row as its tombstone.
 * `seq` draws from the records' own sequence and `txid` is the withdrawing transaction, so the tombstone sorts
 * after its record in the feed's (txid, seq) order and is held back like any late commit.
 */
export const recordWithdrawals = pgTable(
  'record_withdrawals',
  {
    seq: bigint('seq', { mode: 'number' })
      .primaryKey()
      .default(sql`nextval('records_seq_seq')`),
    recordId: text('record_id').notNull().unique(),
    datasetId: text('dataset_id').notNull(),
    reason: text('reason').notNull(),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    txid: bigint('txid', { mode: 'bigint' })
      .notNull()
      .default(sql`txid_current()`),
  },
  (t) => [index('record_withdrawals_feed_idx').on(t.datasetId, t.txid, t.seq)],
);

/**
 * Duplicates: a page whose text matched an existing record exactly (`kind = 'exact'`) or nearly (`'near'`: MinHash
 * estimate of 5-gram Jaccard ≥ 0.8, in `similarity`), linked to that original. Duplicates earn no points.
 */
export const duplicates = pgTable(
  'duplicates',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    datasetId: text('dataset_id').notNull(),
    campaignId: text('campaign_id').notNull(),
    urlId: bigint('url_id', { mode: 'number' }).notNull(),
    url: text('url').notNull(),
    finalUrl: text('final_url').notNull(),
    nodeId: text('node_id').notNull(),
    textHash: text('text_hash').notNull(),
    originalRecordId: text('original_record_id').notNull(),
    kind: text('kind').$type<'exact' | 'near'>().notNull().default('exact'),
    similarity: real('similarity'),
    bodySha256: text('body_sha256').notNull(),
    blobKey: text('blob_key').notNull(),
    provenance: jsonb('provenance').$type<RecordProvenance>(),
    httpHeaders: jsonb('http_headers').$type<Record<string, string>>(),
    fetchedAt: timestamp('fetched_at', { withTimezone: true, mode: 'date' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('duplicates_url_idx').on(t.urlId), index('duplicates_campaign_idx').on(t.campaignId)],
);

/** Append-only points ledger: one credit per accepted record, whatever is retried. */
export const pointsLedger = pgTable(
  'points_ledger',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ownerId: text('owner_id').notNull(),
    nodeId: text('node_id').notNull(),
    recordId: text('record_id').notNull(),
    points: integer('points').notNull(),
    reason: text('reason').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('points_record_idx').on(t.recordId), index('points_owner_idx').on(t.ownerId)],
);
