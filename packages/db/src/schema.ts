import type { CampaignSpec, CampaignStatus, SiteSignals } from '@gleaner/core';
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
  /** The name shown on the leaderboard; null keeps the owner off it (opt-in). */
  displayName: text('display_name'),
  /** Set when an admin banned the owner: none of its nodes may connect. */
  bannedAt: timestamp('banned_at', { withTimezone: true, mode: 'date' }),
  banReason: text('ban_reason'),
  createdAt: createdAt(),
});

/** Where a node stands (see @gleaner/trust): what work it gets and whether its points settle. */
export type NodeStandingValue = 'probation' | 'trusted' | 'quarantined' | 'banned';

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
    /** The network of its last session (`203.0.113.0/24`, `2001:db8:1::/48`): only the prefix is kept. */
    addressPrefix: text('address_prefix'),
    /** Its trust (Beta posterior) and the checks behind it; written only by `TrustStore`. */
    trustAlpha: real('trust_alpha').notNull().default(1),
    trustBeta: real('trust_beta').notNull().default(1),
    checksPassed: integer('checks_passed').notNull().default(0),
    pagesDone: integer('pages_done').notNull().default(0),
    /**
     * Votes on distinct URLs it lost since its record was last cleared, the URL of the last one, and its
     * `checks_passed` then (an outvote long after the last is counted afresh); see docs/trust.md.
     */
    outvotes: integer('outvotes').notNull().default(0),
    lastOutvotedUrl: text('last_outvoted_url'),
    checksAtOutvote: integer('checks_at_outvote'),
    standing: text('standing').$type<NodeStandingValue>().notNull().default('probation'),
    /** Set on proven fabrication or an admin's ban; cleared by an unban. */
    bannedAt: timestamp('banned_at', { withTimezone: true, mode: 'date' }),
    banReason: text('ban_reason'),
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
 * URL states: queued (waiting for its fetch, or being fetched: the lease lives in the queue), fetched (processing),
 * then a terminal state; `skipped` URLs (robots.txt, a per-host limit, a trap, the quality filter) carry their
 * `UrlSkipReason` in `error_code`. `leased` is only found in rows older versions wrote. Which state may follow which,
 * and the one writer: `URL_TRANSITIONS` and `UrlStore` (url-store.ts).
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
    /** The HTTP status of the last failed fetch, when it was an HTTP error (its own column, never read from the message). */
    httpStatus: integer('http_status'),
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
    /** How robots.txt allowed the fetch (`allowed`, `allowed:no-robots-txt`); null on records written before it was kept. */
    robots: text('robots'),
    /** What the site said of the page (robots directives, TDMRep); null on records written before they were kept. */
    siteSignals: jsonb('site_signals').$type<SiteSignals>(),
    txid: bigint('txid', { mode: 'bigint' })
      .notNull()
      .default(sql`txid_current()`),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('records_url_round_idx').on(t.urlId, t.round),
    uniqueIndex('records_dataset_text_hash_idx').on(t.datasetId, t.textHash),
    index('records_feed_idx').on(t.datasetId, t.txid, t.seq),
    // A site's removal withdraws every record of its host, in every dataset.
    index('records_host_idx').on(t.host),
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

/** A ledger entry's state: credits start `pending`, then settle or are voided once, never back. */
export type PointsStatus = 'pending' | 'settled' | 'voided';

/**
 * Append-only points ledger: one credit per accepted record, whatever is retried (`record_id` is unique). A credit
 * is `pending` until the `settle` sweep settles it (its node trusted and the hold passed) or voids it (its node
 * banned). A settled credit is never changed: taking it back is a new entry with negative points, a reason and its
 * own key (`reverses`).
 */
export const pointsLedger = pgTable(
  'points_ledger',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ownerId: text('owner_id').notNull(),
    nodeId: text('node_id').notNull(),
    recordId: text('record_id').notNull(),
    campaignId: text('campaign_id'),
    points: integer('points').notNull(),
    reason: text('reason').notNull(),
    status: text('status').$type<PointsStatus>().notNull().default('pending'),
    /** The entry this one reverses (a settled credit taken back). */
    reverses: bigint('reverses', { mode: 'number' }),
    /** The epoch it settled in. */
    epochId: integer('epoch_id'),
    settledAt: timestamp('settled_at', { withTimezone: true, mode: 'date' }),
    voidedAt: timestamp('voided_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('points_record_idx').on(t.recordId),
    index('points_owner_idx').on(t.ownerId),
    index('points_pending_idx').on(t.status, t.nodeId),
  ],
);

/** One fetch in a verification vote: who fetched the URL and the fingerprint of its main text. */
export interface VerificationBallot {
  nodeId: string;
  ownerId: string;
  /** The network the node fetched from (its session's address prefix). */
  network: string | null;
  /** Base64 MinHash fingerprint of the main text (@gleaner/trust `encodeFingerprint`). */
  fingerprint: string;
  at: string;
}

/** A verification's state: waiting for a redundant fetch, then how the vote ended. */
export type VerificationState = 'open' | 'agreed' | 'decided' | 'undecided' | 'expired';

/**
 * A redundant fetch of a record's URL by nodes of other owners and networks: the original fetch is the first
 * ballot, each redundant fetch adds one, and the majority decides (see @gleaner/trust `countVotes`).
 */
export const verifications = pgTable(
  'verifications',
  {
    id: text('id').primaryKey(),
    campaignId: text('campaign_id').notNull(),
    recordId: text('record_id').notNull(),
    url: text('url').notNull(),
    state: text('state').$type<VerificationState>().notNull().default('open'),
    ballots: jsonb('ballots').$type<VerificationBallot[]>().notNull(),
    /** Redundant fetches asked for so far (a tie-break asks for one more). */
    fetchesAsked: integer('fetches_asked').notNull().default(1),
    outcome: jsonb('outcome'),
    createdAt: createdAt(),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('verifications_record_idx').on(t.recordId), index('verifications_state_idx').on(t.state)],
);

/**
 * Reward epochs: closing one publishes the settled balances as a Merkle tree over (owner, amount) leaves in the
 * format smart contracts verify (`@openzeppelin/merkle-tree`'s standard tree), signed by the coordinator.
 */
export const epochs = pgTable('epochs', {
  id: integer('id').primaryKey(),
  startsAt: timestamp('starts_at', { withTimezone: true, mode: 'date' }).notNull(),
  endsAt: timestamp('ends_at', { withTimezone: true, mode: 'date' }).notNull(),
  closedAt: timestamp('closed_at', { withTimezone: true, mode: 'date' }),
  merkleRoot: text('merkle_root'),
  totalPoints: bigint('total_points', { mode: 'number' }),
  /** The published file: the tree's dump, the balances and the coordinator's signature. */
  publication: jsonb('publication'),
});

/** States of a snapshot: requested and building, published (immutable from then on), or failed for good. */
export type SnapshotState = 'building' | 'published' | 'failed';

/**
 * Dataset snapshots. A snapshot holds the dataset's records of transactions below `horizon` (the feed's position
 * when it was requested) that no withdrawal below the same horizon took back, so a build started again after a
 * crash packages exactly the same records. The files live in the snapshot folder; this row is their index.
 */
export const snapshots = pgTable(
  'snapshots',
  {
    id: text('id').primaryKey(),
    datasetId: text('dataset_id').notNull(),
    state: text('state').$type<SnapshotState>().notNull().default('building'),
    /** What asked for it: an admin, the end of a campaign round, or the campaign's schedule. */
    trigger: text('trigger').notNull(),
    horizon: bigint('horizon', { mode: 'bigint' }).notNull(),
    /** The published snapshot this one lists its changes against. */
    previousId: text('previous_id'),
    records: integer('records'),
    bytes: bigint('bytes', { mode: 'number' }),
    shards: integer('shards'),
    merkleRoot: text('merkle_root'),
    /** SHA-256 of manifest.json. */
    manifestSha256: text('manifest_sha256'),
    /** The counts of changes.json. */
    changes: jsonb('changes'),
    error: text('error'),
    requestedAt: timestamp('requested_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('snapshots_dataset_idx').on(t.datasetId, t.requestedAt)],
);

/**
 * Webhook endpoints that admins registered. `secret` (`whsec_` + base64) signs every delivery (HMAC-SHA256 per
 * Standard Webhooks), so it is kept as is: it is shown once when the endpoint is created and never again, and only
 * the database's own credentials read it (docs/webhooks.md). Deleting an endpoint disables it and keeps its log.
 */
export const webhookEndpoints = pgTable('webhook_endpoints', {
  id: text('id').primaryKey(),
  url: text('url').notNull(),
  /** The event types it receives (`snapshot.published`, ...). */
  events: text('events').array().notNull(),
  description: text('description'),
  secret: text('secret').notNull(),
  createdAt: createdAt(),
  disabledAt: timestamp('disabled_at', { withTimezone: true, mode: 'date' }),
});

/** An event to announce: its id is the `webhook-id` every delivery of it carries, the same on every retry. */
export const webhookEvents = pgTable('webhook_events', {
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  data: jsonb('data').notNull(),
  createdAt: createdAt(),
});

/** A delivery's state: waiting for its next attempt, delivered (a 2xx), or failed for good. */
export type WebhookDeliveryState = 'pending' | 'delivered' | 'failed';

/** One event's delivery to one endpoint, with the outcome of its latest attempt (the endpoint's delivery log). */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    eventId: text('event_id')
      .notNull()
      .references(() => webhookEvents.id),
    endpointId: text('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id),
    state: text('state').$type<WebhookDeliveryState>().notNull().default('pending'),
    /** Attempts started so far (a claim starts one). */
    attempts: integer('attempts').notNull().default(0),
    /** When a worker may next try it; while an attempt runs, when that attempt's claim lapses. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true, mode: 'date' }),
    /** The latest attempt's HTTP status; null when it got no response. */
    lastStatus: integer('last_status'),
    /** Why the latest attempt failed (a non-2xx status, a timeout, a refused address...). */
    lastError: text('last_error'),
    /** The latest attempt's time to the end of the response, ms. */
    lastResponseMs: integer('last_response_ms'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_event_endpoint_idx').on(t.eventId, t.endpointId),
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.id),
    index('webhook_deliveries_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.state} = 'pending'`),
  ],
);

/** A removal request's state: waiting for its token to be found on the site, or verified (the host is removed). */
export type SiteRemovalState = 'pending' | 'verified';

/**
 * Removal requests of site owners: the owner places `token` at `/.well-known/gleaner-removal.txt` on `host`; once
 * it is found there the host's records are withdrawn and the host is denied to every campaign from then on. The
 * token is kept as is: it is published on the site, so it is a proof of control, not a secret.
 */
export const siteRemovals = pgTable(
  'site_removals',
  {
    id: text('id').primaryKey(),
    /** The host as URLs name it (`example.com`, `example.com:8080`), lower case. */
    host: text('host').notNull(),
    token: text('token').notNull(),
    state: text('state').$type<SiteRemovalState>().notNull().default('pending'),
    /** Verification attempts so far, and the outcome of the latest one that failed. */
    attempts: integer('attempts').notNull().default(0),
    lastCheckedAt: timestamp('last_checked_at', { withTimezone: true, mode: 'date' }),
    lastError: text('last_error'),
    verifiedAt: timestamp('verified_at', { withTimezone: true, mode: 'date' }),
    /** Records withdrawn when it was verified. */
    withdrawn: integer('withdrawn'),
    createdAt: createdAt(),
  },
  (t) => [
    index('site_removals_host_idx').on(t.host),
    index('site_removals_verified_idx')
      .on(t.host)
      .where(sql`${t.state} = 'verified'`),
  ],
);

/**
 * More owner tokens of a contributor besides the one `owners.token_hash` holds: each node paired by code gets its own
 * (see docs/pairing.md), so that one can be revoked without the others, and the owner's own token is never copied
 * onto a node. Stored as SHA-256, like every secret.
 */
export const ownerTokens = pgTable(
  'owner_tokens',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => owners.id),
    tokenHash: text('token_hash').notNull().unique(),
    /** The node it was issued to when that node was paired. */
    nodeId: text('node_id').references(() => nodes.id),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('owner_tokens_owner_idx').on(t.ownerId)],
);

/** Where a pairing stands: waiting for its owner, approved (its node registered), or used (the node got its token). */
export type PairingState = 'pending' | 'approved' | 'used';

/**
 * Pairings of nodes by code, after OAuth's device authorization grant (RFC 8628): the node holds the device code
 * (a secret) and shows the user code (short) to its owner, who approves it with their owner token; the node then
 * trades its device code for its identity and an owner token of its own. Both codes are stored as SHA-256 only.
 * The node's public key is given when the pairing starts, so the node is registered at approval, within the owner's
 * node cap, and the private key never leaves the node.
 */
export const pairings = pgTable(
  'pairings',
  {
    id: text('id').primaryKey(),
    deviceCodeHash: text('device_code_hash').notNull().unique(),
    userCodeHash: text('user_code_hash').notNull().unique(),
    /** The node's Ed25519 public key (SPKI PEM) and the name it asked for. */
    publicKey: text('public_key').notNull(),
    nodeName: text('node_name').notNull(),
    state: text('state').$type<PairingState>().notNull().default('pending'),
    /** Set at approval: who approved it and the node registered for them. */
    ownerId: text('owner_id').references(() => owners.id),
    nodeId: text('node_id').references(() => nodes.id),
    /** Seconds the node must wait between polls; raised by 5 each time it polls sooner (`slow_down`). */
    intervalSeconds: integer('interval_seconds').notNull(),
    lastPolledAt: timestamp('last_polled_at', { withTimezone: true, mode: 'date' }),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    approvedAt: timestamp('approved_at', { withTimezone: true, mode: 'date' }),
    usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
  },
  (t) => [index('pairings_expires_idx').on(t.expiresAt)],
);

/**
 * Invite codes an admin made for the `invite` account policy: each lets one new contributor create their account on
 * the pairing page. Shown once, stored as SHA-256.
 */
export const ownerInvites = pgTable('owner_invites', {
  id: text('id').primaryKey(),
  codeHash: text('code_hash').notNull().unique(),
  /** What the admin wrote down about whom it is for. */
  note: text('note'),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' }),
  usedByOwnerId: text('used_by_owner_id').references(() => owners.id),
  createdAt: createdAt(),
});
