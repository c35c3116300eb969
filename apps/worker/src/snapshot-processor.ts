import { toGleanerError } from '@gleaner/core';
import { UnrecoverableError, type Job, type SnapshotJobData } from '@gleaner/queue';
import { isLastAttempt } from './job-attempts.js';
import type { WorkerDeps } from './worker-deps.js';

/**
 * The `snapshot` queue's processor: the periodic look at the snapshot schedule, or one snapshot's build, marked
 * failed once its last attempt fails.
 */
export class SnapshotProcessor {
  constructor(private readonly deps: Pick<WorkerDeps, 'snapshotSchedule' | 'publisher' | 'snapshots'>) {}

  /** Processes one job. */
  async run(job: Job<SnapshotJobData>) {
    if (job.data.kind === 'schedule') return { cut: await this.deps.snapshotSchedule.sweep() };
    const { snapshotId } = job.data;
    try {
      return await this.deps.publisher.build(snapshotId, (records) => void job.updateProgress({ records }));
    } catch (error) {
      if (!isLastAttempt(job, error)) throw error;
      const { message } = toGleanerError(error);
      await this.deps.snapshots.markFailed(snapshotId, message);
      throw new UnrecoverableError(message);
    }
  }
}
