import { silentLogger, type Logger } from '@gleaner/core';
import type { CampaignRow, CampaignStore, SnapshotRow, SnapshotStore, SnapshotTrigger } from '@gleaner/db';
import type { GleanerQueues } from '@gleaner/queue';

/** Collaborators of the {@link SnapshotSchedule}. */
export interface SnapshotScheduleOptions {
  snapshots: SnapshotStore;
  campaigns: CampaignStore;
  queues: GleanerQueues;
  logger?: Logger;
}

const HOUR_MS = 3_600_000;

/**
 * When snapshots are cut without an admin asking: at the end of a campaign round when its spec says so, and every
 * `everyHours` while it runs. Runs inside the `snapshot` queue's periodic job, so one worker at a time decides.
 */
export class SnapshotSchedule {
  private readonly logger: Logger;

  constructor(private readonly options: SnapshotScheduleOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  /** Requests a snapshot of a dataset and queues its build. */
  async cut(datasetId: string, trigger: SnapshotTrigger): Promise<SnapshotRow> {
    const row = await this.options.snapshots.request(datasetId, trigger);
    await this.options.queues.buildSnapshot(row.id);
    this.logger.info({ datasetId, snapshotId: row.id, trigger }, 'snapshot requested');
    return row;
  }

  /** A round of the campaign just completed (the last one included): cuts a snapshot if its spec asks. */
  async roundCompleted(campaign: CampaignRow): Promise<SnapshotRow | undefined> {
    if (!campaign.spec.snapshots?.afterEachRound) return undefined;
    return this.cut(campaign.datasetId, 'round');
  }

  /**
   * Cuts the snapshots that running campaigns' schedules make due, and queues again every build still waiting
   * (a build whose job was lost between its request and its queueing). Returns the snapshots it cut.
   */
  async sweep(now = Date.now()): Promise<number> {
    const { campaigns, snapshots, queues } = this.options;
    let cut = 0;
    for (const row of await snapshots.listBuilding()) await queues.buildSnapshot(row.id);
    for (const campaign of await campaigns.listByStatus(['running'])) {
      const everyHours = campaign.spec.snapshots?.everyHours;
      if (!everyHours) continue;
      const last = (await snapshots.lastRequestedAt(campaign.datasetId)) ?? campaign.createdAt;
      if (now - last.getTime() < everyHours * HOUR_MS) continue;
      await this.cut(campaign.datasetId, 'schedule');
      cut++;
    }
    return cut;
  }
}
