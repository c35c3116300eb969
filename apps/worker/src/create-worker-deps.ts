import { snapshotDir } from '@gleaner/config';
import { silentLogger, type Logger } from '@gleaner/core';
import { LocalBlobStore } from '@gleaner/blob-store';
import {
  AccountStore,
  CampaignStore,
  DatasetStore,
  EpochStore,
  PointsStore,
  RecordStore,
  SiteRemovalStore,
  SnapshotStore,
  TrustStore,
  UrlStore,
  WebhookStore,
  type Database,
} from '@gleaner/db';
import { MinHasher, NearDuplicateIndex } from '@gleaner/dedupe';
import { Admission, RobotsGate } from '@gleaner/frontier';
import { ExtractPool, HostBoilerplate, PagePipeline, Verifier } from '@gleaner/pipeline';
import {
  CappedCounter,
  GleanerQueues,
  ParagraphCounter,
  PolitenessSlots,
  RobotsCache,
  SeenSet,
  SitemapTracker,
  type Redis,
} from '@gleaner/queue';
import { DEFAULT_VERIFICATION_POLICY } from '@gleaner/trust';
import type { WorkerConfig } from './config.js';
import { EpochCloser } from './epoch-closer.js';
import { LostJobReconciler, RECONCILE_EVERY_MS } from './lost-job-reconciler.js';
import { PointsSettler } from './points-settler.js';
import { SnapshotPublisher } from './snapshot-publisher.js';
import { SnapshotSchedule } from './snapshot-schedule.js';
import { WebhookDeliverer } from './webhook-deliverer.js';
import type { WorkerDeps } from './worker-deps.js';

export type { WorkerDeps } from './worker-deps.js';

/** The connections a worker's parts share; whoever opened them closes them. */
export interface WorkerConnections {
  database: Database;
  redis: Redis;
}

/**
 * Builds every part of a worker over its two connections: stores, the frontier, the pipeline, the trust and
 * snapshot parts. Starts nothing but the extraction threads (when `GLEANER_EXTRACT_THREADS` > 0): close
 * `extractor` and `queues` when done.
 */
export function createWorkerDeps(
  config: WorkerConfig,
  { database, redis }: WorkerConnections,
  logger: Logger = silentLogger,
): WorkerDeps {
  const prefix = config.GLEANER_QUEUE_PREFIX;
  const { db } = database;
  const queues = new GleanerQueues({ connection: redis, prefix });
  const campaigns = new CampaignStore(db);
  const urls = new UrlStore(db);
  const seen = new SeenSet(redis, prefix);
  const sitemaps = new SitemapTracker(redis, prefix);
  const politeness = new PolitenessSlots(redis, { prefix });
  const blobs = new LocalBlobStore(config.GLEANER_BLOB_DIR);
  const removals = new SiteRemovalStore(db);
  const robots = new RobotsGate({
    cache: new RobotsCache(redis, { prefix }),
    urls,
    queues,
    politeness,
    retryAfterMs: config.GLEANER_ROBOTS_RETRY_MS,
    tdmrep: true,
    removals,
  });
  const hostQuota = new CappedCounter(redis, 'host', prefix);
  const queryVariants = new CappedCounter(redis, 'query-variants', prefix);
  const calendarRuns = new CappedCounter(redis, 'calendar', prefix);
  const admission = new Admission({
    urls,
    seen,
    queues,
    hostQuota,
    trapCounters: { queryVariants, calendarRuns },
    politeness,
    robots,
    sitemaps,
  });
  const extractor =
    config.GLEANER_EXTRACT_THREADS > 0
      ? new ExtractPool({ size: config.GLEANER_EXTRACT_THREADS, budgetMs: config.GLEANER_EXTRACT_BUDGET_MS })
      : undefined;
  const records = new RecordStore(db);
  const trust = new TrustStore(db);
  const points = new PointsStore(db);
  const webhooks = new WebhookStore(db);
  const snapshots = new SnapshotStore(db);
  return {
    logger,
    queues,
    campaigns,
    urls,
    snapshots,
    webhooks,
    blobs,
    seen,
    sitemaps,
    counters: [hostQuota, queryVariants, calendarRuns],
    admission,
    robots,
    pipeline: new PagePipeline({
      campaigns,
      urls,
      records,
      blobs,
      admission,
      ...(extractor ? { extractor } : {}),
      boilerplate: new HostBoilerplate(new ParagraphCounter(redis, prefix)),
      nearDuplicates: { hasher: new MinHasher(), index: new NearDuplicateIndex(redis, { prefix }) },
      robots,
      removals,
      logger,
    }),
    verifier: new Verifier({
      trust,
      queues,
      blobs,
      policy: {
        ...DEFAULT_VERIFICATION_POLICY,
        probationRedundancy: config.GLEANER_REDUNDANCY_PROBATION,
        steadyRedundancy: config.GLEANER_REDUNDANCY_STEADY,
      },
      ...(extractor ? { extractor } : {}),
      logger,
    }),
    reconciler: new LostJobReconciler({ urls, queues, admission, staleAfterMs: RECONCILE_EVERY_MS }),
    settler: new PointsSettler({
      webhooks,
      trust,
      points,
      records,
      settle: { holdMs: config.GLEANER_SETTLE_HOLD_MS },
      maxPointsPerOwnerPerEpoch: config.GLEANER_MAX_POINTS_PER_OWNER_PER_EPOCH,
      epochMs: config.GLEANER_EPOCH_MS,
      voteExpiryMs: config.GLEANER_VOTE_EXPIRY_MS,
      logger,
    }),
    ...epochCloserOf(config, new EpochStore(db), points, logger),
    snapshotSchedule: new SnapshotSchedule({ snapshots, campaigns, queues, logger }),
    publisher: new SnapshotPublisher({
      snapshots,
      datasets: new DatasetStore(db),
      campaigns,
      accounts: new AccountStore(db),
      blobs,
      queues,
      dir: snapshotDir(config),
      signer: config.signingKey,
      onPublished: async (row) => {
        await webhooks.publish('snapshot.published', {
          datasetId: row.datasetId,
          snapshotId: row.id,
          records: row.records ?? 0,
          bytes: row.bytes ?? 0,
          merkleRoot: row.merkleRoot ?? '',
          manifestSha256: row.manifestSha256 ?? '',
        });
      },
      logger,
    }),
    deliverer: new WebhookDeliverer({
      webhooks,
      allowPrivateNetwork: config.GLEANER_WEBHOOK_ALLOW_PRIVATE_NETWORK,
      logger,
    }),
    ...(extractor ? { extractor } : {}),
  };
}

/** What closes reward epochs after each settle sweep; none without a signing key (epochs then stay open). */
function epochCloserOf(
  config: WorkerConfig,
  epochs: EpochStore,
  points: PointsStore,
  logger: Logger,
): { epochCloser?: EpochCloser } {
  if (!config.signingKey) {
    logger.warn({}, 'no signing key (GLEANER_SIGNING_KEY_FILE): reward epochs stay open');
    return {};
  }
  return {
    epochCloser: new EpochCloser({
      epochs,
      points,
      signingKey: config.signingKey,
      epochMs: config.GLEANER_EPOCH_MS,
      graceMs: config.GLEANER_EPOCH_CLOSE_GRACE_MS,
      logger,
    }),
  };
}
