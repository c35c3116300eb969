import { randomUUID } from 'node:crypto';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { QueueNames, type FetchJobData } from './queue-names.js';
import { errorClassBackoff } from './retry-policy.js';

/** A fetch job held under a manual lock until its node answers. */
export interface Lease {
  job: Job<FetchJobData>;
  token: string;
}

/** Options for {@link LeaseSource}. */
export interface LeaseSourceOptions {
  connection: Redis;
  /** Queue key prefix. Default `gleaner`. */
  prefix?: string;
  /** How long a lease's lock lasts without extension, ms. Default 30,000. */
  lockDurationMs?: number;
  /** How often stalled (lock-expired) jobs are returned to the queue, ms. Default 15,000. */
  stalledIntervalMs?: number;
  /** How long one blocking wait for a job lasts, seconds. Default 1. */
  drainDelaySeconds?: number;
  /** Multiplies the retry delays of failed fetches (retry-policy.ts). Default 1. */
  retryDelayScale?: number;
}

/**
 * Leases `fetch` jobs by hand (`Worker.getNextJob` with a token per lease) for the gateway to hand to nodes.
 * Locks that are not extended expire, and the stalled checker returns their jobs to the queue, so a coordinator
 * that dies loses no job.
 */
export class LeaseSource {
  private readonly worker: Worker<FetchJobData>;
  readonly lockDurationMs: number;

  constructor(options: LeaseSourceOptions) {
    this.lockDurationMs = options.lockDurationMs ?? 30_000;
    this.worker = new Worker<FetchJobData>(QueueNames.fetch, null, {
      connection: options.connection,
      prefix: options.prefix ?? 'gleaner',
      lockDuration: this.lockDurationMs,
      stalledInterval: options.stalledIntervalMs ?? 15_000,
      maxStalledCount: 5,
      drainDelay: options.drainDelaySeconds ?? 1,
      autorun: false,
      settings: { backoffStrategy: errorClassBackoff(options.retryDelayScale) },
    });
    this.worker.on('error', () => {
      // Connection errors are retried by ioredis; a failed call surfaces to its caller.
    });
  }

  /** Starts returning stalled jobs to the queue. */
  async start(): Promise<void> {
    await this.worker.startStalledCheckTimer();
  }

  /** Takes the next job, waiting up to the drain delay when `block` is set; undefined when none came. */
  async next(block: boolean): Promise<Lease | undefined> {
    const token = randomUUID();
    const job = await this.worker.getNextJob(token, { block });
    return job ? { job, token } : undefined;
  }

  /** Extends a lease's lock by the lock duration. */
  async extend(lease: Lease): Promise<void> {
    await lease.job.extendLock(lease.token, this.lockDurationMs);
  }

  /** Completes the job. */
  async complete(lease: Lease, result: unknown): Promise<void> {
    await lease.job.moveToCompleted(result, lease.token, false);
  }

  /** Fails this attempt; the job is retried with back-off while attempts remain. */
  async retry(lease: Lease, error: Error): Promise<void> {
    await lease.job.moveToFailed(error, lease.token, false);
  }

  /** Fails the job for good, whatever attempts remain. */
  async fail(lease: Lease, message: string): Promise<void> {
    await lease.job.moveToFailed(new UnrecoverableError(message), lease.token, false);
  }

  /** Hands the job back untouched, to run again after `delayMs` (no attempt spent). */
  async release(lease: Lease, delayMs: number): Promise<void> {
    await lease.job.moveToDelayed(Date.now() + delayMs, lease.token);
  }

  /** Whether this attempt is the job's last one. */
  isLastAttempt(lease: Lease): boolean {
    return lease.job.attemptsMade + 1 >= (lease.job.opts.attempts ?? 1);
  }

  /** Stops leasing; locks held elsewhere are left to expire or complete. */
  async close(): Promise<void> {
    await this.worker.close(true);
  }
}
