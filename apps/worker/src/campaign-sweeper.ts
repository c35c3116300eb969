import type { CampaignRow } from '@gleaner/db';
import { pageFetchJob } from '@gleaner/frontier';
import { RECONCILE_EVERY_MS } from './lost-job-reconciler.js';
import type { WorkerDeps } from './worker-deps.js';

/** How often the sweep runs, ms. */
export const CAMPAIGN_SWEEP_EVERY_MS = 1000;

/** For how long after a cancel the sweep takes care of the campaign's late URLs and Redis state, ms. */
export const CANCEL_SWEEP_MS = 10 * 60_000;

/** What the {@link CampaignSweeper} uses. */
export type CampaignSweeperDeps = Pick<
  WorkerDeps,
  | 'campaigns'
  | 'urls'
  | 'seen'
  | 'sitemaps'
  | 'counters'
  | 'admission'
  | 'robots'
  | 'reconciler'
  | 'webhooks'
  | 'snapshotSchedule'
  | 'logger'
>;

/**
 * Moves campaigns along their lifecycle, once a second, in four steps: completes the running campaigns whose round
 * is done (announcing it and cutting its snapshot), looks for their lost jobs every {@link RECONCILE_EVERY_MS},
 * starts the recrawl rounds that are due, and clears up after cancelled campaigns for {@link CANCEL_SWEEP_MS}.
 * Every step is safe to run in many workers at once: the store's conditional updates decide who does a move.
 */
export class CampaignSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private lastReconcile = Date.now();

  constructor(private readonly deps: CampaignSweeperDeps) {}

  /** Sweeps every `everyMs` until {@link stop}; a sweep still running when the next is due is not doubled. */
  start(everyMs = CAMPAIGN_SWEEP_EVERY_MS): void {
    this.timer ??= setInterval(() => void this.sweep(), everyMs);
  }

  /** Stops sweeping; resolves once a sweep in progress has ended. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One sweep, all four steps; a failure is logged and the next sweep tries again. */
  sweep(): Promise<void> {
    this.running ??= this.steps().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async steps(): Promise<void> {
    try {
      const unfinished = await this.completeRounds();
      await this.reconcileLostJobs(unfinished);
      await this.startDueRecrawls();
      await this.sweepCancelled();
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'completion check failed');
    }
  }

  /**
   * Completes each running campaign whose seeds are in, whose sitemaps are read and which has no URL left queued
   * or in process. Returns the running campaigns that did not complete and wait for no sitemap.
   */
  async completeRounds(): Promise<CampaignRow[]> {
    const { campaigns, sitemaps, logger } = this.deps;
    const unfinished: CampaignRow[] = [];
    for (const campaign of await campaigns.listByStatus(['running'])) {
      if ((await sitemaps.pending(campaign.id)) > 0) continue;
      if (!(await campaigns.completeIfDone(campaign.id))) {
        unfinished.push(campaign);
        continue;
      }
      await this.afterRound(campaign);
      if (await campaigns.recrawlPlanned(campaign.id)) {
        // The next round needs the seen-set and the caps: a refetched page's links are new only if unseen.
        logger.info({ campaignId: campaign.id, round: campaign.round }, 'round completed');
        continue;
      }
      await this.dropRedisState(campaign.id);
      logger.info({ campaignId: campaign.id }, 'campaign completed');
    }
    return unfinished;
  }

  /** Every {@link RECONCILE_EVERY_MS}: re-queues the URLs of `campaigns` whose jobs were lost. */
  async reconcileLostJobs(campaigns: readonly CampaignRow[]): Promise<void> {
    if (Date.now() - this.lastReconcile <= RECONCILE_EVERY_MS) return;
    for (const campaign of campaigns) {
      const requeued = await this.deps.reconciler.reconcile(campaign);
      if (requeued > 0)
        this.deps.logger.warn({ campaignId: campaign.id, requeued }, 'requeued URLs whose jobs were lost');
    }
    this.lastReconcile = Date.now();
  }

  /**
   * Starts each due recrawl round (once, whichever worker gets there first) and queues the round's fetches page by
   * page; a worker that dies half-way leaves the rest to the lost-job reconciler, since the URLs are already queued.
   */
  async startDueRecrawls(): Promise<void> {
    const { campaigns, sitemaps, admission, urls, logger } = this.deps;
    for (const campaign of await campaigns.listDueRecrawls()) {
      const round = await campaigns.startRecrawl(campaign.id);
      if (round === undefined) continue;
      // Sitemaps are read again each round (new pages appear in them); robots.txt sitemaps as each host comes up.
      await sitemaps.startRound(campaign.id);
      const queuedSitemaps = await admission.queueSitemaps(campaign, campaign.spec.sitemaps ?? []);
      let afterId = 0;
      let queued = 0;
      for (;;) {
        const rows = await urls.list(campaign.id, { state: 'queued', afterId, limit: 1000 });
        if (rows.length === 0) break;
        await admission.enqueue(
          campaign,
          rows.filter((row) => row.round === round).map((row) => pageFetchJob(campaign, row)),
        );
        queued += rows.length;
        afterId = rows[rows.length - 1]!.id;
      }
      logger.info(
        { campaignId: campaign.id, round, queued, sitemaps: queuedSitemaps },
        'recrawl round started',
      );
    }
  }

  /**
   * For {@link CANCEL_SWEEP_MS} after a cancel: cancels the URLs that work in flight at the cancel (a page's
   * outlinks, a robots.txt releasing its parked URLs) still queued, drops the campaign's Redis state, and releases
   * its robots.txt claims so that other campaigns on those hosts do not wait them out.
   */
  async sweepCancelled(): Promise<void> {
    const { campaigns, urls, robots, logger } = this.deps;
    for (const campaign of await campaigns.listByStatus(['cancelled'])) {
      if (campaign.updatedAt.getTime() < Date.now() - CANCEL_SWEEP_MS) continue;
      const late = await urls.cancelPending(campaign.id);
      if (late > 0) logger.info({ campaignId: campaign.id, late }, 'cancelled URLs queued after the cancel');
      await this.dropRedisState(campaign.id);
      // Its robots.txt jobs are skipped, never fetched: other campaigns must not wait out its claims on hosts.
      const reasked = await robots.releaseCampaign(campaign.id);
      if (reasked.length > 0)
        logger.info(
          { campaignId: campaign.id, hosts: reasked },
          'robots.txt asked again for other campaigns',
        );
    }
  }

  /** Drops an ended campaign's sitemaps, seen-set and counters from Redis. */
  private async dropRedisState(campaignId: string): Promise<void> {
    await this.deps.sitemaps.drop(campaignId);
    await this.deps.seen.drop(campaignId);
    for (const counter of this.deps.counters) await counter.drop(campaignId);
  }

  /** What follows a completed round (the campaign's last included); a failure here must not undo the completion. */
  private async afterRound(campaign: CampaignRow): Promise<void> {
    try {
      const ended = await this.deps.campaigns.get(campaign.id);
      await this.deps.webhooks.publish('campaign.completed', {
        campaignId: campaign.id,
        datasetId: campaign.datasetId,
        round: campaign.round,
        status: ended?.status ?? 'completed',
      });
      await this.deps.snapshotSchedule.roundCompleted(campaign);
    } catch (error) {
      this.deps.logger.warn(
        { err: error, campaignId: campaign.id },
        'could not announce the round or cut its snapshot',
      );
    }
  }
}
