import type { AdmissionResult } from '@gleaner/frontier';
import type { FrontierJobData, Job } from '@gleaner/queue';
import { ranBefore } from './job-attempts.js';
import type { WorkerDeps } from './worker-deps.js';

/**
 * The `frontier` queue's processor: admits a batch of links (a campaign's seeds, links posted through the API) into
 * its campaign, and for the seed batch queues the campaign's sitemaps and marks it seeded.
 */
export class FrontierProcessor {
  constructor(private readonly deps: Pick<WorkerDeps, 'campaigns' | 'admission'>) {}

  /** Processes one job; a campaign that ended (or is gone) skips it. */
  async run(job: Job<FrontierJobData>): Promise<AdmissionResult | { skipped: true }> {
    const { campaigns, admission } = this.deps;
    // Read now, not within the cache's TTL: these links may follow a spec edit made by a coordinator a moment ago
    // (new seeds outside the old scope). The fresh row then serves the rest of this process.
    const campaign = await campaigns.cache.refresh(job.data.campaignId);
    if (!campaign || campaign.status === 'cancelled' || campaign.status === 'completed')
      return { skipped: true };
    const result = await admission.admit(campaign, job.data.links, ranBefore(job));
    if (job.data.seed) {
      await admission.queueSitemaps(campaign, campaign.spec.sitemaps ?? []);
      await campaigns.markSeeded(campaign.id);
    }
    return result;
  }
}
