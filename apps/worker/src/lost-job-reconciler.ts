import type { UrlStore } from '@gleaner/db';
import { pageFetchJob, type Admission, type CampaignForAdmission } from '@gleaner/frontier';
import { fetchJobId, processJobId, type GleanerQueues } from '@gleaner/queue';

/** How often the worker looks for lost jobs, and for how long a URL is left alone before it counts as lost, ms. */
export const RECONCILE_EVERY_MS = 20_000;

/** Collaborators of the {@link LostJobReconciler}. */
export interface LostJobReconcilerOptions {
  urls: UrlStore;
  queues: GleanerQueues;
  admission: Admission;
  /** Only URLs unchanged for this long are checked, ms. */
  staleAfterMs: number;
}

/**
 * Rebuilds lost schedule entries from the one record of what must still be fetched. Postgres (`UrlStore`) owns a
 * URL's state; Redis holds only its schedule (a BullMQ job, or a place in a host's robots.txt park list), which can
 * go missing without Postgres knowing: Redis fsyncs its AOF once a second, a worker can die between the commit that
 * queues a recrawl round and the enqueues that follow it, and a host whose robots.txt could not be read for now
 * leaves its parked URLs waiting with no job to wake them. A URL left `queued` or `fetched` for a while with no job
 * is queued again through admission (which parks it again, or asks for the robots.txt). This repairs no second copy
 * of the state: it re-derives the schedule from the state.
 */
export class LostJobReconciler {
  constructor(private readonly options: LostJobReconcilerOptions) {}

  /** Re-queues a campaign's URLs whose jobs are gone (the campaign as just read); returns how many. */
  async reconcile(campaign: CampaignForAdmission): Promise<number> {
    const { urls, queues } = this.options;
    const stale = await urls.listStale(campaign.id, new Date(Date.now() - this.options.staleAfterMs), 500);
    const lost = [];
    for (const row of stale) {
      // A URL parked for its host's robots.txt has no job either: it goes back through admission, which parks it
      // again (and asks for the robots.txt) or releases it. `leased` is only found in rows older versions left.
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
