import type { CampaignStore, UrlStore } from '@gleaner/db';
import { pageFetchJob, type Admission } from '@gleaner/frontier';
import { fetchJobId, processJobId, type GleanerQueues } from '@gleaner/queue';

/** Collaborators of the {@link LostJobReconciler}. */
export interface LostJobReconcilerOptions {
  urls: UrlStore;
  campaigns: CampaignStore;
  queues: GleanerQueues;
  admission: Admission;
  /** Only URLs unchanged for this long are checked, ms. */
  staleAfterMs: number;
}

/**
 * The safety net behind idempotent admission: finds URLs that have waited in `queued` or `fetched` for a while
 * with no job left to move them (a process died between two writes), and queues their fetch again.
 * Nothing is lost even if every other guard fails.
 */
export class LostJobReconciler {
  constructor(private readonly options: LostJobReconcilerOptions) {}

  /** Re-queues a campaign's URLs whose jobs are gone; returns how many. */
  async reconcile(campaignId: string): Promise<number> {
    const { urls, queues, campaigns } = this.options;
    const campaign = await campaigns.get(campaignId);
    if (!campaign) return 0;
    const stale = await urls.listStale(campaignId, new Date(Date.now() - this.options.staleAfterMs), 500);
    const lost = [];
    for (const row of stale) {
      // A URL parked for its host's robots.txt has no job either: it goes back through admission, which parks it
      // again (and asks for the robots.txt) or releases it.
      const { rerender } = pageFetchJob(campaign, row);
      const job =
        row.state === 'queued' || row.state === 'leased'
          ? await queues.fetch.getJob(fetchJobId(row.id, row.round, rerender))
          : await queues.process.getJob(processJobId(row.id, row.round, rerender));
      const state = job ? await job.getState() : 'missing';
      if (state === 'missing' || state === 'unknown' || state === 'completed' || state === 'failed')
        lost.push(row);
    }
    if (lost.length === 0) return 0;
    for (const row of lost) {
      const { rerender } = pageFetchJob(campaign, row);
      await urls.requeue(row.id);
      await queues.fetch.remove(fetchJobId(row.id, row.round, rerender)).catch(() => 0);
      await queues.process.remove(processJobId(row.id, row.round, rerender)).catch(() => 0);
    }
    await this.options.admission.enqueue(
      campaign,
      lost.map((row) => pageFetchJob(campaign, row)),
    );
    return lost.length;
  }
}
