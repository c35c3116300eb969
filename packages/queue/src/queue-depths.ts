import type { GleanerQueues } from './gleaner-queues.js';

/** Job states counted by {@link queueDepths}. */
export const COUNTED_STATES = ['waiting', 'prioritized', 'delayed', 'active', 'failed'] as const;

/** How many jobs one queue holds in one state. */
export interface QueueDepth {
  queue: string;
  state: (typeof COUNTED_STATES)[number];
  jobs: number;
}

/** The jobs of every Gleaner queue by state, read from Redis now (one round trip per queue). */
export async function queueDepths(queues: GleanerQueues): Promise<QueueDepth[]> {
  const all = [queues.fetch, queues.process, queues.frontier, queues.settle, queues.snapshot];
  const counts = await Promise.all(all.map((queue) => queue.getJobCounts(...COUNTED_STATES)));
  return all.flatMap((queue, i) =>
    COUNTED_STATES.map((state) => ({ queue: queue.name, state, jobs: counts[i]![state] ?? 0 })),
  );
}
