import type { Job, SettleJobData } from '@gleaner/queue';
import type { WorkerDeps } from './worker-deps.js';

/**
 * The `settle` queue's processor: a ban's consequences, or the periodic sweep that settles points and then closes
 * the reward epochs that are due (none without a signing key).
 */
export class SettleProcessor {
  constructor(private readonly deps: Pick<WorkerDeps, 'settler' | 'epochCloser'>) {}

  /** Processes one job. */
  async run(job: Job<SettleJobData>) {
    const { settler, epochCloser } = this.deps;
    if (job.data.kind === 'ban') return settler.ban(job.data.nodeId, job.data.reason);
    return { ...(await settler.sweep()), closedEpochs: (await epochCloser?.closeDue()) ?? [] };
  }
}
