import { toGleanerError, type CampaignStatus } from '@gleaner/core';
import type { CampaignRow } from '@gleaner/db';
import { parseSitemap } from '@gleaner/frontier';
import { UnrecoverableError, type Job, type ProcessJobData } from '@gleaner/queue';
import { isLastAttempt, ranBefore } from './job-attempts.js';
import type { WorkerDeps } from './worker-deps.js';

/** What the {@link ProcessProcessor} uses. */
export type ProcessProcessorDeps = Pick<
  WorkerDeps,
  'campaigns' | 'urls' | 'blobs' | 'admission' | 'robots' | 'sitemaps' | 'pipeline' | 'verifier' | 'logger'
>;

/**
 * The `process` queue's processor: what a node fetched, by kind. A robots.txt releases the URLs parked behind it, a
 * sitemap queues its sitemaps or admits its URLs, a verification fetch votes, and a page goes through the pipeline
 * (and may be sampled for a vote). A page's URL is marked failed once its last attempt fails.
 */
export class ProcessProcessor {
  constructor(private readonly deps: ProcessProcessorDeps) {}

  /** Processes one job. */
  async run(job: Job<ProcessJobData>) {
    const { data } = job;
    try {
      if (data.kind === 'robots') return await this.takeRobots(data);
      if (data.kind === 'sitemap') return await this.takeSitemap(data);
      if (data.kind === 'verify') return { vote: (await this.deps.verifier.takeFetch(data))?.kind };
      const outcome = await this.deps.pipeline.process(data, ranBefore(job));
      if (outcome.kind === 'accepted') await this.sampleForVote(data, outcome.recordId);
      return outcome;
    } catch (error) {
      if (!isLastAttempt(job, error)) throw error;
      const failure = toGleanerError(error);
      await this.deps.urls.markFailed(data.urlId, failure.code, failure.message);
      throw new UnrecoverableError(`${failure.code}: ${failure.message}`);
    }
  }

  /** Counts a new record for its node and maybe opens a vote on it; a failure here must not fail the record. */
  private async sampleForVote(data: ProcessJobData, recordId: string): Promise<void> {
    try {
      await this.deps.verifier.afterRecord(data, recordId);
    } catch (error) {
      this.deps.logger.warn({ err: error, recordId }, 'could not sample a record for verification');
    }
  }

  /** Caches a fetched robots.txt and sends the URLs that waited for it back through admission. */
  private async takeRobots(
    data: ProcessJobData,
  ): Promise<{ host: string; released: number; failed: number }> {
    const { blobs, robots, admission } = this.deps;
    const body = data.status > 0 ? await blobs.get(data.blobKey) : Buffer.alloc(0);
    const outcome = await robots.onFetched(data.url, data.status, body);
    const byCampaign = new Map<string, typeof outcome.released>();
    for (const job of outcome.released)
      byCampaign.set(job.campaignId, [...(byCampaign.get(job.campaignId) ?? []), job]);
    for (const [campaignId, jobs] of byCampaign) {
      const campaign = await this.campaignIn(campaignId, ['running', 'paused']);
      if (campaign) await admission.enqueue(campaign, jobs);
    }
    return { host: outcome.host, released: outcome.released.length, failed: outcome.failed };
  }

  /** Reads a fetched sitemap: an index queues its sitemaps, a URL set admits its URLs as seeds. */
  private async takeSitemap(
    data: ProcessJobData,
  ): Promise<{ kind: string; entries: number } | { skipped: string }> {
    const { blobs, admission, logger } = this.deps;
    try {
      const campaign = await this.campaignIn(data.campaignId, ['running', 'paused', 'draft']);
      if (!campaign) return { skipped: 'campaign ended' };
      if (data.status < 200 || data.status >= 300) {
        logger.warn({ url: data.url, status: data.status, code: data.errorCode }, 'sitemap not available');
        return { skipped: `status ${data.status}` };
      }
      let parsed;
      try {
        parsed = parseSitemap(await blobs.get(data.blobKey));
      } catch (error) {
        logger.warn({ url: data.url, err: error }, 'sitemap not readable');
        return { skipped: 'unreadable' };
      }
      const locs = parsed.entries.map((e) => e.loc);
      if (parsed.kind === 'index') await admission.queueSitemaps(campaign, locs);
      else
        await admission.admit(
          campaign,
          locs.map((url) => ({ url, depth: 0 })),
          true,
        );
      return { kind: parsed.kind, entries: locs.length };
    } finally {
      await this.deps.sitemaps.done(data.campaignId, data.url);
    }
  }

  /**
   * The campaign if it is in one of `states`, as the shared cache has it; a cached row that says otherwise is read
   * again before its work is dropped, since a recrawl round in another worker may have just reopened it.
   */
  private async campaignIn(id: string, states: readonly CampaignStatus[]): Promise<CampaignRow | undefined> {
    const { campaigns } = this.deps;
    const cached = await campaigns.cache.get(id);
    if (cached && states.includes(cached.status)) return cached;
    const fresh = await campaigns.cache.refresh(id);
    return fresh && states.includes(fresh.status) ? fresh : undefined;
  }
}
