import { Queue, type JobsOptions } from 'bullmq';
import { DEFAULT_CAMPAIGN_PRIORITY, sha256Hex } from '@gleaner/core';
import type { Redis } from 'ioredis';
import { ERROR_CLASS_BACKOFF } from './retry-policy.js';
import {
  QueueNames,
  type FetchJobData,
  type FrontierJobData,
  type ProcessJobData,
  type SettleJobData,
  type SnapshotJobData,
} from './queue-names.js';

/** Options for {@link GleanerQueues}. */
export interface GleanerQueuesOptions {
  connection: Redis;
  /** Key prefix for every queue (lets tests and tenants share one Redis). Default `gleaner`. */
  prefix?: string;
}

const KEEP_COMPLETED = { age: 3600, count: 100_000 };

/** Job options of `fetch` jobs: retried with exponential back-off, kept an hour so re-adds stay idempotent. */
export const fetchJobOptions: JobsOptions = {
  attempts: 4,
  // Delays by error class (retry-policy.ts), applied by the gateway's lease source.
  backoff: { type: ERROR_CLASS_BACKOFF },
  removeOnComplete: KEEP_COMPLETED,
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** The producer side of every queue, with idempotent job ids. */
export class GleanerQueues {
  readonly fetch: Queue<FetchJobData>;
  readonly process: Queue<ProcessJobData>;
  readonly frontier: Queue<FrontierJobData>;
  readonly settle: Queue<SettleJobData>;
  readonly snapshot: Queue<SnapshotJobData>;
  readonly prefix: string;

  constructor(options: GleanerQueuesOptions) {
    this.prefix = options.prefix ?? 'gleaner';
    const base = { connection: options.connection, prefix: this.prefix };
    this.fetch = new Queue<FetchJobData>(QueueNames.fetch, base);
    this.process = new Queue<ProcessJobData>(QueueNames.process, base);
    this.frontier = new Queue<FrontierJobData>(QueueNames.frontier, base);
    this.settle = new Queue<SettleJobData>(QueueNames.settle, base);
    this.snapshot = new Queue<SnapshotJobData>(QueueNames.snapshot, base);
  }

  /**
   * Queues the build of a requested snapshot; the job id is the snapshot's, so asking twice is a no-op. A build
   * that keeps failing is retried with back-off and then left to the snapshot row's `failed` state.
   */
  async buildSnapshot(snapshotId: string): Promise<void> {
    await this.snapshot.add(
      'build',
      { kind: 'build', snapshotId },
      {
        jobId: `snapshot-${snapshotId}`,
        attempts: 5,
        backoff: { type: 'exponential', delay: 5000 },
        removeOnComplete: { age: 7 * 24 * 3600 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    );
  }

  /** Queues links for admission. */
  async admit(data: FrontierJobData, jobId?: string): Promise<void> {
    await this.frontier.add('admit', data, {
      ...(jobId === undefined ? {} : { jobId }),
      attempts: 10,
      backoff: { type: 'exponential', delay: 500 },
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }

  /**
   * Queues fetch jobs, each after its optional delay (ms, from the host's politeness plan); the job id is derived
   * from the URL id, so adding one twice is a no-op.
   */
  async enqueueFetches(
    jobs: (FetchJobData & { delayMs?: number })[],
    options: { campaignPriority?: number } = {},
  ): Promise<void> {
    if (jobs.length === 0) return;
    const priority = bullPriority(options.campaignPriority);
    await this.fetch.addBulk(
      jobs.map(({ delayMs, ...data }) => ({
        name: 'fetch',
        data,
        opts: {
          ...fetchJobOptions,
          jobId: fetchJobId(data.urlId, data.round, data.rerender),
          priority,
          ...(delayMs ? { delay: delayMs } : {}),
        },
      })),
    );
  }

  /**
   * Queues a host's robots.txt fetch (one at a time per host), or the fetch of another of its policy files that
   * travels the same way (`/.well-known/tdmrep.json`): a `robots` job whose result the worker hands to the gate.
   */
  async enqueueRobots(campaignId: string, origin: string, path = '/robots.txt'): Promise<void> {
    const host = new URL(origin).host;
    const name = path === '/robots.txt' ? 'robots' : 'tdmrep';
    await this.fetch.add(
      'robots',
      { kind: 'robots', campaignId, urlId: 0, url: `${origin}${path}`, depth: 0, render: false },
      { ...fetchJobOptions, attempts: 2, jobId: `${name}-${host.replace(/:/g, '_')}-${Date.now()}` },
    );
  }

  /** Queues a sitemap fetch for a campaign; one job per campaign and sitemap URL. */
  async enqueueSitemap(campaignId: string, url: string, round = 0): Promise<void> {
    // Each recrawl round reads its sitemaps again, under a job id of its own (round 0 keeps the plain one).
    const roundPart = round > 0 ? `r${round}-` : '';
    await this.fetch.add(
      'sitemap',
      { kind: 'sitemap', campaignId, urlId: 0, url, depth: 0, render: false },
      {
        ...fetchJobOptions,
        attempts: 2,
        jobId: `sitemap-${campaignId}-${roundPart}${sha256Hex(url).slice(0, 24)}`,
      },
    );
  }

  /**
   * Queues a redundant fetch of a record's URL for a verification vote, by a node of none of `avoidOwners` and
   * `avoidNetworks`; one job per vote and ballot number.
   */
  async enqueueVerify(
    data: Omit<FetchJobData, 'kind' | 'urlId'> & {
      verificationId: string;
      avoidOwners: string[];
      avoidNetworks: string[];
    },
    ballot: number,
  ): Promise<void> {
    await this.fetch.add(
      'verify',
      { ...data, kind: 'verify', urlId: 0 },
      { ...fetchJobOptions, jobId: `verify-${data.verificationId}-${ballot}` },
    );
  }

  /** Carries out a node's ban in the worker (once per node and reason). */
  async enqueueBan(nodeId: string, reason: string): Promise<void> {
    await this.settle.add(
      'ban',
      { kind: 'ban', nodeId, reason },
      {
        jobId: `ban-${nodeId}`,
        attempts: 10,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: true,
      },
    );
  }

  /** Queues a fetched page for the pipeline; one process job per URL (per fetch, for robots.txt, sitemaps and verification fetches). */
  async enqueueProcess(data: ProcessJobData, fetchJobId?: string): Promise<void> {
    await this.process.add('process', data, {
      jobId:
        data.kind === 'robots' || data.kind === 'sitemap' || data.kind === 'verify'
          ? `p-${fetchJobId}`
          : processJobId(data.urlId, data.round, data.rerender),
      attempts: 5,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }

  /** Closes the queues (not the shared connection). */
  async close(): Promise<void> {
    await Promise.all(
      [this.fetch, this.process, this.frontier, this.settle, this.snapshot].map((queue) => queue.close()),
    );
  }
}

/**
 * BullMQ's priority (1 first … 10 last) for a campaign priority (10 highest … 1 lowest, default 5). Jobs without a
 * priority — robots.txt and sitemaps — are taken before any of them.
 */
export function bullPriority(campaignPriority = DEFAULT_CAMPAIGN_PRIORITY): number {
  return 11 - Math.min(10, Math.max(1, Math.round(campaignPriority)));
}

/**
 * The deterministic job id of a URL's fetch job in a round (round 0, the first crawl, has no suffix); the rendered
 * refetch of a page that needed JavaScript has its own.
 */
export function fetchJobId(urlId: number, round = 0, rerender = false): string {
  return `u-${urlId}${jobIdSuffix(round, rerender)}`;
}

/** The deterministic job id of a URL's process job in a round (and for its rendered refetch). */
export function processJobId(urlId: number, round = 0, rerender = false): string {
  return `p-${urlId}${jobIdSuffix(round, rerender)}`;
}

function jobIdSuffix(round: number, rerender: boolean): string {
  return `${round > 0 ? `-r${round}` : ''}${rerender ? '-js' : ''}`;
}
