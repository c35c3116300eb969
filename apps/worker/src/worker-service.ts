import { silentLogger, type Logger } from '@gleaner/core';
import { migrateDatabase, openDatabase } from '@gleaner/db';
import {
  openRedis,
  QueueNames,
  Worker,
  type FrontierJobData,
  type ProcessJobData,
  type SettleJobData,
  type Redis,
  type SnapshotJobData,
} from '@gleaner/queue';
import { CampaignSweeper } from './campaign-sweeper.js';
import type { WorkerConfig } from './config.js';
import { createWorkerDeps, type WorkerDeps } from './create-worker-deps.js';
import { FrontierProcessor } from './frontier-processor.js';
import { ProcessProcessor } from './process-processor.js';
import { SettleProcessor } from './settle-processor.js';
import { SnapshotProcessor } from './snapshot-processor.js';
import { WorkerMetrics } from './worker-metrics.js';

/** How often the snapshot schedule is looked at, ms. */
const SNAPSHOT_SCHEDULE_EVERY_MS = 60_000;

/**
 * The worker process: admits links (frontier), turns fetched pages into records (pipeline), settles points, builds
 * snapshots, delivers webhooks, and sweeps campaigns along their lifecycle (completion, recrawl rounds, cancels).
 * This class only wires: `createWorkerDeps` builds the parts, the processors and the `CampaignSweeper` do the work.
 */
export class WorkerService {
  /** How to undo what `start` did so far, in the order it was done. */
  private readonly closers: (() => unknown)[] = [];

  constructor(
    private readonly config: WorkerConfig,
    private readonly logger: Logger = silentLogger,
  ) {}

  /** Connects, applies migrations and starts the workers. */
  async start(): Promise<void> {
    const { config, logger } = this;
    await migrateDatabase(config.DATABASE_URL);
    const database = openDatabase({ url: config.DATABASE_URL });
    this.closers.push(() => database.close());
    const redis = openRedis(config.REDIS_URL);
    this.closers.push(() => redis.disconnect());
    const deps = createWorkerDeps(config, { database, redis }, logger);
    this.closers.push(() => deps.queues.close());
    const { extractor } = deps;
    if (extractor) this.closers.push(() => extractor.close());

    const workers = this.workers(deps, redis);
    this.closers.push(() => Promise.all(workers.map((worker) => worker.close())));
    await deps.queues.snapshot.upsertJobScheduler(
      'snapshot-schedule',
      { every: SNAPSHOT_SCHEDULE_EVERY_MS },
      { name: 'schedule', data: { kind: 'schedule' }, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
    await deps.queues.settle.upsertJobScheduler(
      'settle-sweep',
      { every: config.GLEANER_SETTLE_EVERY_MS },
      { name: 'sweep', data: { kind: 'sweep' }, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
    const metrics = config.GLEANER_METRICS_PORT > 0 ? new WorkerMetrics(deps.queues) : undefined;
    for (const worker of workers) {
      metrics?.observe(worker);
      worker.on('failed', (job, error) =>
        logger.warn({ queue: worker.name, jobId: job?.id, err: error }, 'job failed'),
      );
      worker.on('error', (error) => logger.error({ queue: worker.name, err: error }, 'worker error'));
    }
    const metricsServer = await metrics?.serve(config.GLEANER_METRICS_PORT, config.GLEANER_METRICS_HOST);
    if (metricsServer) this.closers.push(() => metricsServer.close());
    deps.deliverer.start();
    this.closers.push(() => deps.deliverer.stop());
    const sweeper = new CampaignSweeper(deps);
    sweeper.start();
    this.closers.push(() => sweeper.stop());
    logger.info({ prefix: config.GLEANER_QUEUE_PREFIX }, 'worker started');
  }

  /** One BullMQ worker per queue the worker process serves, each running its processor. */
  private workers(deps: WorkerDeps, connection: Redis): Worker[] {
    const { config } = this;
    const options = {
      connection,
      prefix: config.GLEANER_QUEUE_PREFIX,
      lockDuration: config.GLEANER_JOB_LOCK_MS,
      stalledInterval: Math.max(1000, Math.floor(config.GLEANER_JOB_LOCK_MS / 2)),
    };
    const frontier = new FrontierProcessor(deps);
    const process = new ProcessProcessor(deps);
    const settle = new SettleProcessor(deps);
    const snapshot = new SnapshotProcessor(deps);
    return [
      new Worker<FrontierJobData>(QueueNames.frontier, (job) => frontier.run(job), {
        ...options,
        concurrency: config.GLEANER_FRONTIER_CONCURRENCY,
      }),
      new Worker<ProcessJobData>(QueueNames.process, (job) => process.run(job), {
        ...options,
        concurrency: config.GLEANER_PROCESS_CONCURRENCY,
      }),
      new Worker<SettleJobData>(QueueNames.settle, (job) => settle.run(job), { ...options, concurrency: 1 }),
      // Two at once, so that the periodic schedule check never waits behind a long build.
      new Worker<SnapshotJobData>(QueueNames.snapshot, (job) => snapshot.run(job), {
        ...options,
        concurrency: 2,
      }),
    ];
  }

  /** Finishes the jobs in hand, then closes every connection; safe after a failed or partial start. */
  async stop(): Promise<void> {
    let failure: unknown;
    for (const close of this.closers.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== undefined) throw failure;
  }
}
