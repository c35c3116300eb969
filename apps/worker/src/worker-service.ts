import { NonRetryableError, silentLogger, toGleanerError, type Logger } from '@gleaner/core';
import { LocalBlobStore } from '@gleaner/blob-store';
import { snapshotDir } from '@gleaner/config';
import {
  AccountStore,
  CampaignStore,
  type CampaignRow,
  DatasetStore,
  EpochStore,
  migrateDatabase,
  openDatabase,
  PointsStore,
  RecordStore,
  SnapshotStore,
  TrustStore,
  UrlStore,
  WebhookStore,
  type Database,
} from '@gleaner/db';
import { MinHasher, NearDuplicateIndex } from '@gleaner/dedupe';
import { Admission, pageFetchJob, parseSitemap, RobotsGate } from '@gleaner/frontier';
import { ExtractPool, HostBoilerplate, PagePipeline, Verifier } from '@gleaner/pipeline';
import {
  GleanerQueues,
  CappedCounter,
  openRedis,
  ParagraphCounter,
  PolitenessSlots,
  RobotsCache,
  SitemapTracker,
  QueueNames,
  SeenSet,
  UnrecoverableError,
  Worker,
  type FrontierJobData,
  type Job,
  type ProcessJobData,
  type Redis,
  type SettleJobData,
  type SnapshotJobData,
} from '@gleaner/queue';
import { DEFAULT_VERIFICATION_POLICY } from '@gleaner/trust';
import type { WorkerConfig } from './config.js';
import { EpochCloser } from './epoch-closer.js';
import { PointsSettler } from './points-settler.js';
import { LostJobReconciler } from './lost-job-reconciler.js';
import { SnapshotPublisher } from './snapshot-publisher.js';
import { SnapshotSchedule } from './snapshot-schedule.js';
import { WebhookDeliverer } from './webhook-deliverer.js';
import { WorkerMetrics } from './worker-metrics.js';

/**
 * Whether a job ran before: a failed attempt, or a stalled run whose worker died (which BullMQ does not count
 * as an attempt, but which may have done part of the work).
 */
function ranBefore(job: Job): boolean {
  return job.attemptsMade > 0 || job.attemptsStarted > 1;
}

/** How often running campaigns are checked for completion, ms. */
const COMPLETION_CHECK_MS = 1000;
/** How often, and after how long, URLs without a job are looked for, ms. */
const RECONCILE_EVERY_MS = 20_000;

/** How often the snapshot schedule is looked at, ms. */
const SNAPSHOT_SCHEDULE_EVERY_MS = 60_000;

/** For how long after a cancel the worker sweeps the campaign's late URLs and Redis state, ms. */
const CANCEL_SWEEP_MS = 10 * 60_000;

/**
 * The worker process: admits links (frontier), turns fetched pages into records (pipeline), completes campaigns
 * when nothing is left queued or in flight, and starts their recrawl rounds when due.
 */
export class WorkerService {
  private database!: Database;
  private redis!: Redis;
  private queues!: GleanerQueues;
  private workers: Worker[] = [];
  private completionTimer: NodeJS.Timeout | undefined;
  private checking = false;
  private lastReconcile = Date.now();
  private counters: CappedCounter[] = [];
  private extractor: ExtractPool | undefined;
  private sitemaps!: SitemapTracker;
  private reconciler!: LostJobReconciler;
  private snapshotSchedule!: SnapshotSchedule;
  private webhooks!: WebhookStore;
  private deliverer: WebhookDeliverer | undefined;
  private metricsServer: { url: string; close(): Promise<void> } | undefined;
  private deps!: { campaigns: CampaignStore; urls: UrlStore; admission: Admission; robots: RobotsGate };

  constructor(
    private readonly config: WorkerConfig,
    private readonly logger: Logger = silentLogger,
  ) {}

  /** Connects, applies migrations and starts the workers. */
  async start(): Promise<void> {
    const { config } = this;
    await migrateDatabase(config.DATABASE_URL);
    this.database = openDatabase({ url: config.DATABASE_URL });
    this.redis = openRedis(config.REDIS_URL);
    this.queues = new GleanerQueues({ connection: this.redis, prefix: config.GLEANER_QUEUE_PREFIX });
    const { db } = this.database;
    const campaigns = new CampaignStore(db);
    const urls = new UrlStore(db);
    const seen = new SeenSet(this.redis, config.GLEANER_QUEUE_PREFIX);
    if (config.GLEANER_EXTRACT_THREADS > 0) {
      this.extractor = new ExtractPool({
        size: config.GLEANER_EXTRACT_THREADS,
        budgetMs: config.GLEANER_EXTRACT_BUDGET_MS,
      });
    }
    this.sitemaps = new SitemapTracker(this.redis, config.GLEANER_QUEUE_PREFIX);
    const politeness = new PolitenessSlots(this.redis, { prefix: config.GLEANER_QUEUE_PREFIX });
    const blobs = new LocalBlobStore(config.GLEANER_BLOB_DIR);
    const robots = new RobotsGate({
      cache: new RobotsCache(this.redis, { prefix: config.GLEANER_QUEUE_PREFIX }),
      urls,
      queues: this.queues,
      politeness,
      retryAfterMs: config.GLEANER_ROBOTS_RETRY_MS,
    });
    this.counters = ['host', 'query-variants', 'calendar'].map(
      (name) => new CappedCounter(this.redis, name, config.GLEANER_QUEUE_PREFIX),
    );
    const [hostQuota, queryVariants, calendarRuns] = this.counters as [
      CappedCounter,
      CappedCounter,
      CappedCounter,
    ];
    const admission = new Admission({
      urls,
      seen,
      queues: this.queues,
      hostQuota,
      trapCounters: { queryVariants, calendarRuns },
      politeness,
      robots,
      sitemaps: this.sitemaps,
    });
    this.deps = { campaigns, urls, admission, robots };
    this.reconciler = new LostJobReconciler({
      urls,
      queues: this.queues,
      campaigns,
      admission,
      staleAfterMs: RECONCILE_EVERY_MS,
    });
    const records = new RecordStore(db);
    const trust = new TrustStore(db);
    const verifier = new Verifier({
      trust,
      queues: this.queues,
      blobs,
      policy: {
        ...DEFAULT_VERIFICATION_POLICY,
        probationRedundancy: config.GLEANER_REDUNDANCY_PROBATION,
        steadyRedundancy: config.GLEANER_REDUNDANCY_STEADY,
      },
      ...(this.extractor ? { extractor: this.extractor } : {}),
      logger: this.logger,
    });
    const points = new PointsStore(db);
    this.webhooks = new WebhookStore(db);
    const settler = new PointsSettler({
      webhooks: this.webhooks,
      trust,
      points,
      records,
      settle: { holdMs: config.GLEANER_SETTLE_HOLD_MS },
      maxPointsPerOwnerPerEpoch: config.GLEANER_MAX_POINTS_PER_OWNER_PER_EPOCH,
      epochMs: config.GLEANER_EPOCH_MS,
      voteExpiryMs: config.GLEANER_VOTE_EXPIRY_MS,
      logger: this.logger,
    });
    const closer = this.epochCloser(points);
    this.deliverer = new WebhookDeliverer({
      webhooks: this.webhooks,
      allowPrivateNetwork: config.GLEANER_WEBHOOK_ALLOW_PRIVATE_NETWORK,
      logger: this.logger,
    });
    const snapshots = new SnapshotStore(db);
    this.snapshotSchedule = new SnapshotSchedule({
      snapshots,
      campaigns,
      queues: this.queues,
      logger: this.logger,
    });
    const publisher = new SnapshotPublisher({
      snapshots,
      datasets: new DatasetStore(db),
      campaigns,
      accounts: new AccountStore(db),
      blobs,
      queues: this.queues,
      dir: snapshotDir(config),
      signer: config.signingKey,
      onPublished: async (row) => {
        await this.webhooks.publish('snapshot.published', {
          datasetId: row.datasetId,
          snapshotId: row.id,
          records: row.records ?? 0,
          bytes: row.bytes ?? 0,
          merkleRoot: row.merkleRoot ?? '',
          manifestSha256: row.manifestSha256 ?? '',
        });
      },
      logger: this.logger,
    });
    const pipeline = new PagePipeline({
      campaigns,
      urls,
      records,
      blobs,
      admission,
      ...(this.extractor ? { extractor: this.extractor } : {}),
      boilerplate: new HostBoilerplate(new ParagraphCounter(this.redis, config.GLEANER_QUEUE_PREFIX)),
      nearDuplicates: {
        hasher: new MinHasher(),
        index: new NearDuplicateIndex(this.redis, { prefix: config.GLEANER_QUEUE_PREFIX }),
      },
      robots,
      logger: this.logger,
    });
    const workerOptions = {
      connection: this.redis,
      prefix: config.GLEANER_QUEUE_PREFIX,
      lockDuration: config.GLEANER_JOB_LOCK_MS,
      stalledInterval: Math.max(1000, Math.floor(config.GLEANER_JOB_LOCK_MS / 2)),
    };

    this.workers.push(
      new Worker<FrontierJobData>(
        QueueNames.frontier,
        async (job: Job<FrontierJobData>) => {
          const campaign = await campaigns.get(job.data.campaignId);
          if (!campaign || campaign.status === 'cancelled' || campaign.status === 'completed')
            return { skipped: true };
          const result = await admission.admit(campaign, job.data.links, ranBefore(job));
          if (job.data.seed) {
            await admission.queueSitemaps(campaign, campaign.spec.sitemaps ?? []);
            await campaigns.markSeeded(campaign.id);
          }
          return result;
        },
        { ...workerOptions, concurrency: config.GLEANER_FRONTIER_CONCURRENCY },
      ),
      new Worker<ProcessJobData>(
        QueueNames.process,
        async (job: Job<ProcessJobData>) => {
          try {
            if (job.data.kind === 'robots')
              return await this.takeRobots(job.data, { robots, blobs, campaigns, admission });
            if (job.data.kind === 'sitemap')
              return await this.takeSitemap(job.data, { blobs, campaigns, admission });
            if (job.data.kind === 'verify') return { vote: (await verifier.takeFetch(job.data))?.kind };
            const outcome = await pipeline.process(job.data, ranBefore(job));
            if (outcome.kind === 'accepted') await this.sampleForVote(verifier, job.data, outcome.recordId);
            return outcome;
          } catch (error) {
            const failure = toGleanerError(error);
            const last =
              error instanceof NonRetryableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
            if (!last) throw error;
            await urls.markFailed(job.data.urlId, failure.code, failure.message);
            throw new UnrecoverableError(`${failure.code}: ${failure.message}`);
          }
        },
        { ...workerOptions, concurrency: config.GLEANER_PROCESS_CONCURRENCY },
      ),
      new Worker<SettleJobData>(
        QueueNames.settle,
        async (job: Job<SettleJobData>) =>
          job.data.kind === 'ban'
            ? settler.ban(job.data.nodeId, job.data.reason)
            : { ...(await settler.sweep()), closedEpochs: (await closer?.closeDue()) ?? [] },
        { ...workerOptions, concurrency: 1 },
      ),
      new Worker<SnapshotJobData>(
        QueueNames.snapshot,
        async (job: Job<SnapshotJobData>) => {
          if (job.data.kind === 'schedule') return { cut: await this.snapshotSchedule.sweep() };
          const { snapshotId } = job.data;
          try {
            return await publisher.build(snapshotId, (records) => void job.updateProgress({ records }));
          } catch (error) {
            const last =
              error instanceof NonRetryableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
            if (!last) throw error;
            await snapshots.markFailed(snapshotId, toGleanerError(error).message);
            throw new UnrecoverableError(toGleanerError(error).message);
          }
        },
        // Two at once, so that the periodic schedule check never waits behind a long build.
        { ...workerOptions, concurrency: 2 },
      ),
    );
    await this.queues.snapshot.upsertJobScheduler(
      'snapshot-schedule',
      { every: SNAPSHOT_SCHEDULE_EVERY_MS },
      { name: 'schedule', data: { kind: 'schedule' }, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
    await this.queues.settle.upsertJobScheduler(
      'settle-sweep',
      { every: config.GLEANER_SETTLE_EVERY_MS },
      { name: 'sweep', data: { kind: 'sweep' }, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
    const metrics = config.GLEANER_METRICS_PORT > 0 ? new WorkerMetrics(this.queues) : undefined;
    for (const worker of this.workers) {
      metrics?.observe(worker);
      worker.on('failed', (job, error) =>
        this.logger.warn({ queue: worker.name, jobId: job?.id, err: error }, 'job failed'),
      );
      worker.on('error', (error) => this.logger.error({ queue: worker.name, err: error }, 'worker error'));
    }
    this.metricsServer = await metrics?.serve(config.GLEANER_METRICS_PORT, config.GLEANER_METRICS_HOST);
    this.deliverer.start();
    this.completionTimer = setInterval(() => void this.checkCompletion(campaigns, seen), COMPLETION_CHECK_MS);
    this.logger.info({ prefix: config.GLEANER_QUEUE_PREFIX }, 'worker started');
  }

  /** What closes reward epochs after each settle sweep; none without a signing key (epochs then stay open). */
  private epochCloser(points: PointsStore): EpochCloser | undefined {
    const { config } = this;
    if (!config.signingKey) {
      this.logger.warn({}, 'no signing key (GLEANER_SIGNING_KEY_FILE): reward epochs stay open');
      return undefined;
    }
    return new EpochCloser({
      epochs: new EpochStore(this.database.db),
      points,
      signingKey: config.signingKey,
      epochMs: config.GLEANER_EPOCH_MS,
      graceMs: config.GLEANER_EPOCH_CLOSE_GRACE_MS,
      logger: this.logger,
    });
  }

  /** Counts a new record for its node and maybe opens a vote on it; a failure here must not fail the record. */
  private async sampleForVote(verifier: Verifier, data: ProcessJobData, recordId: string): Promise<void> {
    try {
      await verifier.afterRecord(data, recordId);
    } catch (error) {
      this.logger.warn({ err: error, recordId }, 'could not sample a record for verification');
    }
  }

  /** Caches a fetched robots.txt and sends the URLs that waited for it back through admission. */
  private async takeRobots(
    data: ProcessJobData,
    deps: { robots: RobotsGate; blobs: LocalBlobStore; campaigns: CampaignStore; admission: Admission },
  ): Promise<{ host: string; released: number; failed: number }> {
    const body = data.status > 0 ? await deps.blobs.get(data.blobKey) : Buffer.alloc(0);
    const outcome = await deps.robots.onFetched(data.url, data.status, body);
    const byCampaign = new Map<string, typeof outcome.released>();
    for (const job of outcome.released)
      byCampaign.set(job.campaignId, [...(byCampaign.get(job.campaignId) ?? []), job]);
    for (const [campaignId, jobs] of byCampaign) {
      const campaign = await deps.campaigns.get(campaignId);
      if (campaign && (campaign.status === 'running' || campaign.status === 'paused'))
        await deps.admission.enqueue(campaign, jobs);
    }
    return { host: outcome.host, released: outcome.released.length, failed: outcome.failed };
  }

  /** Reads a fetched sitemap: an index queues its sitemaps, a URL set admits its URLs as seeds. */
  private async takeSitemap(
    data: ProcessJobData,
    deps: { blobs: LocalBlobStore; campaigns: CampaignStore; admission: Admission },
  ): Promise<{ kind: string; entries: number } | { skipped: string }> {
    try {
      const campaign = await deps.campaigns.get(data.campaignId);
      if (!campaign || campaign.status === 'cancelled' || campaign.status === 'completed')
        return { skipped: 'campaign ended' };
      if (data.status < 200 || data.status >= 300) {
        this.logger.warn(
          { url: data.url, status: data.status, code: data.errorCode },
          'sitemap not available',
        );
        return { skipped: `status ${data.status}` };
      }
      let parsed;
      try {
        parsed = parseSitemap(await deps.blobs.get(data.blobKey));
      } catch (error) {
        this.logger.warn({ url: data.url, err: error }, 'sitemap not readable');
        return { skipped: 'unreadable' };
      }
      const locs = parsed.entries.map((e) => e.loc);
      if (parsed.kind === 'index') await deps.admission.queueSitemaps(campaign, locs);
      else
        await deps.admission.admit(
          campaign,
          locs.map((url) => ({ url, depth: 0 })),
          true,
        );
      return { kind: parsed.kind, entries: locs.length };
    } finally {
      await this.sitemaps.done(data.campaignId, data.url);
    }
  }

  private async checkCompletion(campaigns: CampaignStore, seen: SeenSet): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      for (const campaign of await campaigns.listByStatus(['running'])) {
        if ((await this.sitemaps.pending(campaign.id)) > 0) continue;
        if (await campaigns.completeIfDone(campaign.id)) {
          await this.afterRound(campaign);
          if (await campaigns.recrawlPlanned(campaign.id)) {
            // The next round needs the seen-set and the caps: a refetched page's links are new only if unseen.
            this.logger.info({ campaignId: campaign.id, round: campaign.round }, 'round completed');
            continue;
          }
          await this.sitemaps.drop(campaign.id);
          await seen.drop(campaign.id);
          for (const counter of this.counters) await counter.drop(campaign.id);
          this.logger.info({ campaignId: campaign.id }, 'campaign completed');
        } else if (Date.now() - this.lastReconcile > RECONCILE_EVERY_MS) {
          const requeued = await this.reconciler.reconcile(campaign.id);
          if (requeued > 0)
            this.logger.warn({ campaignId: campaign.id, requeued }, 'requeued URLs whose jobs were lost');
        }
      }
      if (Date.now() - this.lastReconcile > RECONCILE_EVERY_MS) this.lastReconcile = Date.now();
      for (const campaign of await campaigns.listDueRecrawls()) await this.startRecrawl(campaign);
      for (const campaign of await campaigns.listByStatus(['cancelled'])) {
        if (campaign.updatedAt.getTime() < Date.now() - CANCEL_SWEEP_MS) continue;
        // Work that was in flight at the cancel (a page's outlinks, a robots.txt releasing its parked URLs) may
        // still queue URLs for a while: they are cancelled too, and the campaign's Redis state goes.
        const late = await this.deps.urls.cancelPending(campaign.id);
        if (late > 0)
          this.logger.info({ campaignId: campaign.id, late }, 'cancelled URLs queued after the cancel');
        await this.sitemaps.drop(campaign.id);
        await seen.drop(campaign.id);
        for (const counter of this.counters) await counter.drop(campaign.id);
        // Its robots.txt jobs are skipped, never fetched: other campaigns must not wait out its claims on hosts.
        const reasked = await this.deps.robots.releaseCampaign(campaign.id);
        if (reasked.length > 0)
          this.logger.info(
            { campaignId: campaign.id, hosts: reasked },
            'robots.txt asked again for other campaigns',
          );
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'completion check failed');
    } finally {
      this.checking = false;
    }
  }

  /** What follows a completed round (the campaign's last included); a failure here must not undo the completion. */
  private async afterRound(campaign: CampaignRow): Promise<void> {
    try {
      const ended = await this.deps.campaigns.get(campaign.id);
      await this.webhooks.publish('campaign.completed', {
        campaignId: campaign.id,
        datasetId: campaign.datasetId,
        round: campaign.round,
        status: ended?.status ?? 'completed',
      });
      await this.snapshotSchedule.roundCompleted(campaign);
    } catch (error) {
      this.logger.warn(
        { err: error, campaignId: campaign.id },
        'could not announce the round or cut its snapshot',
      );
    }
  }

  /**
   * Starts a due recrawl round (once, whichever worker gets there first) and queues the round's fetches page by
   * page; a worker that dies half-way leaves the rest to the lost-job reconciler, since the URLs are already queued.
   */
  private async startRecrawl(campaign: CampaignRow): Promise<void> {
    const round = await this.deps.campaigns.startRecrawl(campaign.id);
    if (round === undefined) return;
    // Sitemaps are read again each round (new pages appear in them); robots.txt sitemaps as each host comes up.
    await this.sitemaps.startRound(campaign.id);
    const sitemaps = await this.deps.admission.queueSitemaps(campaign, campaign.spec.sitemaps ?? []);
    let afterId = 0;
    let queued = 0;
    for (;;) {
      const rows = await this.deps.urls.list(campaign.id, { state: 'queued', afterId, limit: 1000 });
      if (rows.length === 0) break;
      await this.deps.admission.enqueue(
        campaign,
        rows.filter((row) => row.round === round).map((row) => pageFetchJob(campaign, row)),
      );
      queued += rows.length;
      afterId = rows[rows.length - 1]!.id;
    }
    this.logger.info({ campaignId: campaign.id, round, queued, sitemaps }, 'recrawl round started');
  }

  /** Finishes the jobs in hand, then closes every connection. */
  async stop(): Promise<void> {
    clearInterval(this.completionTimer);
    await this.metricsServer?.close();
    await this.deliverer?.stop();
    await Promise.all(this.workers.map((w) => w.close()));
    await this.extractor?.close();
    await this.queues?.close();
    this.redis?.disconnect();
    await this.database?.close();
  }
}
