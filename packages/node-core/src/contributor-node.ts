import { EventEmitter } from 'node:events';
import type { FetchOutcome, RateLimiter, SafeFetcher } from '@gleaner/fetcher';
import type { FetchJobSpec } from '@gleaner/contracts';
import type { ErrorCode } from '@gleaner/core';
import { isWithinActiveHours, parseActiveHours } from './active-hours.js';
import { BandwidthHistory, type BandwidthPoint } from './bandwidth-history.js';
import { DailyQuota } from './daily-quota.js';
import { FetchLog, readFetchLog, type FetchLogEntry, type OutcomeLogEntry } from './fetch-log.js';
import {
  GatewayClient,
  type ConnectionState,
  type GatewayClientOptions,
  type JobOutcome,
  type JobRecord,
} from './gateway-client.js';
import { createNodeFetcher, jobLimits, type NodeFetcherSettings } from './node-fetcher.js';
import type { NodeConfig } from './node-config.js';
import type { NodeIdentity } from './node-identity.js';
import { OutcomeWatcher, type OutcomeWatcherOptions } from './outcome-watcher.js';
import { TokenBucket } from './token-bucket.js';

/** The owner's limits; nothing the coordinator sends can raise them. */
export type OwnerControls = Pick<
  NodeConfig,
  'concurrency' | 'bandwidth' | 'dailyQuota' | 'activeHours' | 'deny'
>;

/** Why the node is not taking jobs. */
export type PauseReason = 'owner' | 'quota' | 'schedule' | 'bandwidth';

/** What the status page and the CLI show. */
export interface NodeStatus {
  nodeId: string;
  connection: ConnectionState;
  paused: boolean;
  pauseReasons: PauseReason[];
  inFlight: number;
  controls: OwnerControls;
  today: { usedBytes: number; quotaBytes: number };
  jobs: { done: number; failed: number };
  bandwidth: BandwidthPoint[];
  recent: FetchLogEntry[];
  /** What became of recent fetches, newest first (empty without an owner token to ask with). */
  outcomes: OutcomeLogEntry[];
}

/** Options of a {@link ContributorNode}. */
export interface ContributorNodeOptions {
  identity: NodeIdentity;
  dataDir: string;
  controls: OwnerControls;
  fetcher: Omit<NodeFetcherSettings, 'deny' | 'rateLimiter'>;
  /** Take jobs that need a browser. Default false. */
  render?: boolean;
  /** Reconnect and heartbeat tuning, for tests. */
  gateway?: Pick<GatewayClientOptions, 'minBackoffMs' | 'maxBackoffMs' | 'heartbeatMs' | 'version'>;
  /** Clock. Default `new Date()`. */
  now?: () => Date;
  /**
   * Follow the outcomes of the node's fetches with the owner token (see {@link OutcomeWatcher}); the lines go to
   * the fetch log. Left out, the node logs its fetches only.
   */
  outcomes?: { ownerToken: string } & Pick<
    OutcomeWatcherOptions,
    'intervalMs' | 'overlapMs' | 'askUrlAfterMs' | 'followForMs'
  >;
}

const RECENT = 50;

/**
 * A contributor's node: the gateway connection, the safe fetcher and the owner's controls (bandwidth cap,
 * daily quota, concurrency, active hours, pause, deny-list), with the local fetch log.
 * Events: `status` (nothing attached; read {@link ContributorNode.status}), `job` (FetchLogEntry), `outcome`
 * (OutcomeLogEntry), `outcome-error` (Error: the coordinator could not be asked).
 */
export class ContributorNode extends EventEmitter {
  readonly client: GatewayClient;
  /** Follows the outcomes of the node's fetches, when the node was given an owner token for it. */
  readonly outcomes: OutcomeWatcher | undefined;
  #controls: OwnerControls;
  #fetcher: SafeFetcher;
  readonly #retired: SafeFetcher[] = [];
  readonly #reasons = new Set<PauseReason>();
  readonly #bucket: TokenBucket;
  readonly #rateLimiter: RateLimiter;
  readonly #history = new BandwidthHistory();
  readonly #recent: FetchLogEntry[] = [];
  readonly #jobs = { done: 0, failed: 0 };
  #reservedBytes = 0;
  #scheduleTimer: NodeJS.Timeout | undefined;
  #paceTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly options: ContributorNodeOptions,
    private readonly quota: DailyQuota,
    private readonly log: FetchLog,
  ) {
    super();
    // Only the controls' own fields: callers pass their whole configuration, token included, and the status API
    // serves these.
    const { concurrency, bandwidth, dailyQuota, activeHours, deny } = options.controls;
    this.#controls = { concurrency, bandwidth, dailyQuota, activeHours, deny: [...deny] };
    this.#bucket = new TokenBucket({ bytesPerSecond: this.#controls.bandwidth });
    // Every body byte the fetcher reads passes here as it arrives: the cap holds during a download, and the
    // bandwidth chart shows bytes when they came rather than when their fetch ended.
    this.#rateLimiter = {
      take: (bytes, signal) => {
        this.#history.add(bytes);
        return this.#bucket.pace(bytes, signal);
      },
    };
    this.#fetcher = this.#createFetcher(this.#controls.deny);
    this.client = new GatewayClient({
      ...options.gateway,
      identity: options.identity,
      concurrency: this.#controls.concurrency,
      render: options.render ?? false,
      runJob: (job) => this.#runJob(job),
    });
    this.client.on('state', () => this.emit('status'));
    if (options.outcomes) {
      const { ownerToken, ...tuning } = options.outcomes;
      this.outcomes = new OutcomeWatcher({
        ...tuning,
        coordinatorUrl: options.identity.coordinatorUrl,
        nodeId: options.identity.nodeId,
        ownerToken,
        append: (line) => this.log.append(line),
      });
      this.outcomes.on('outcome', (line: OutcomeLogEntry) => {
        this.emit('outcome', line);
        this.emit('status');
      });
      this.outcomes.on('poll-error', (error: unknown) => this.emit('outcome-error', error));
    }
    this.client.on('job', (record: JobRecord) => this.#record(record));
  }

  /** Opens the usage count and the fetch log in `dataDir` and builds the node (call `start` to connect). */
  static async create(options: ContributorNodeOptions): Promise<ContributorNode> {
    parseActiveHours(options.controls.activeHours);
    const quota = await DailyQuota.open(options.dataDir, options.controls.dailyQuota, options.now);
    const node = new ContributorNode(options, quota, new FetchLog({ dir: options.dataDir }));
    // Outcomes already logged are not logged again; fetches still waiting for theirs are followed on.
    node.outcomes?.resume(await readFetchLog(options.dataDir, 5000));
    return node;
  }

  /** Connects and keeps connected until `stop`. */
  start(): void {
    this.#checkLimits();
    this.#scheduleTimer = setInterval(() => this.#checkLimits(), 15_000).unref();
    this.client.start();
    this.outcomes?.start();
  }

  /** Stops taking jobs, finishes those in hand (up to `graceMs`), closes the connection and the browser. */
  async stop(graceMs = 10_000): Promise<void> {
    clearInterval(this.#scheduleTimer);
    clearTimeout(this.#paceTimer);
    await this.client.stop(graceMs);
    // Jobs still running past the grace end now, as their connections close; what they fetched is still counted
    // against the quota and logged before stop returns, so nothing is written into the data folder after it.
    await Promise.all([this.#fetcher, ...this.#retired].map((f) => f.close()));
    await this.client.settled(5000);
    await this.outcomes?.stop();
    await Promise.all([this.quota.flush(), this.log.flush()]);
  }

  /** The owner pauses the node: no job starts from now on (jobs already sent are handed back). */
  pause(): void {
    this.#setReason('owner', true);
  }

  /** The owner resumes the node (other pause reasons — quota, hours, bandwidth — still apply). */
  resume(): void {
    this.#setReason('owner', false);
  }

  /** The owner's controls in force. */
  get controls(): OwnerControls {
    return { ...this.#controls, deny: [...this.#controls.deny] };
  }

  /** Applies new owner controls at once (they come only from the owner: the status page, the CLI or the app). */
  async updateControls(patch: Partial<OwnerControls>): Promise<void> {
    const next = { ...this.#controls, ...patch };
    parseActiveHours(next.activeHours);
    const concurrencyChanged = next.concurrency !== this.#controls.concurrency;
    if (next.deny.join(',') !== this.#controls.deny.join(',')) {
      this.#retired.push(this.#fetcher);
      this.#fetcher = this.#createFetcher(next.deny);
    }
    this.#controls = next;
    this.#bucket.setRate(next.bandwidth);
    this.quota.limitBytes = next.dailyQuota;
    this.#checkLimits();
    this.emit('status');
    if (concurrencyChanged) await this.client.setConcurrency(next.concurrency);
  }

  #createFetcher(deny: string[]): SafeFetcher {
    return createNodeFetcher({ ...this.options.fetcher, deny, rateLimiter: this.#rateLimiter });
  }

  /** A snapshot for the status page and the CLI. */
  status(): NodeStatus {
    return {
      nodeId: this.options.identity.nodeId,
      connection: this.client.state,
      paused: this.#reasons.size > 0,
      pauseReasons: [...this.#reasons],
      inFlight: this.client.inFlight,
      controls: this.controls,
      today: { usedBytes: this.quota.usedBytes, quotaBytes: this.quota.limitBytes },
      jobs: { ...this.#jobs },
      bandwidth: this.#history.series(),
      recent: [...this.#recent].reverse(),
      outcomes: this.outcomes?.recent() ?? [],
    };
  }

  #setReason(reason: PauseReason, on: boolean): void {
    if (on === this.#reasons.has(reason)) return;
    const wasPaused = this.#reasons.size > 0;
    if (on) this.#reasons.add(reason);
    else this.#reasons.delete(reason);
    const paused = this.#reasons.size > 0;
    if (paused && !wasPaused) this.client.pause();
    if (!paused && wasPaused) this.client.resume();
    this.emit('status');
  }

  #checkLimits(): void {
    const now = this.options.now?.() ?? new Date();
    this.#setReason('schedule', !isWithinActiveHours(parseActiveHours(this.#controls.activeHours), now));
    this.#setReason('quota', this.quota.exhausted);
    const waitMs = this.#bucket.waitMs();
    this.#setReason('bandwidth', waitMs > 1000);
    if (waitMs > 1000) {
      clearTimeout(this.#paceTimer);
      this.#paceTimer = setTimeout(() => this.#checkLimits(), waitMs - 500).unref();
    }
  }

  async #runJob(job: FetchJobSpec): Promise<JobOutcome> {
    const started = performance.now();
    // No waiting before the request: the gateway granted this host's politeness slot for now, and a late start
    // would crowd the host's next request. The bandwidth cap paces the bytes as they arrive instead (rateLimiter),
    // and a deep debt pauses the node before it takes more jobs.
    if (this.#reasons.size > 0) {
      const code: ErrorCode = this.#reasons.has('quota') ? 'QUOTA_EXCEEDED' : 'PAUSED';
      return handBack(job, code, `the node is paused (${[...this.#reasons].join(', ')})`, started);
    }
    // Each job reserves what it may download, so jobs running side by side cannot overrun the quota together.
    const allowance = Math.min(job.limits.maxBodyBytes, this.quota.remainingBytes - this.#reservedBytes);
    if (allowance <= 0) return handBack(job, 'QUOTA_EXCEEDED', "today's data quota is used up", started);
    this.#reservedBytes += allowance;
    let outcome: FetchOutcome;
    let bytes = 0;
    try {
      const limits = jobLimits(job, allowance);
      outcome = await this.#fetcher.fetch(job.url, {
        render: job.render,
        limits,
        ...(job.conditional ? { conditional: job.conditional } : {}),
      });
      // What crossed the wire, refused fetches included: that is what the owner's quota is about.
      bytes = outcome.wireBytes;
      if (!outcome.ok && outcome.error.code === 'TOO_LARGE' && allowance < job.limits.maxBodyBytes) {
        // What is left of the day cannot hold the page: count it as spent so the node pauses instead of refusing
        // one job after another.
        bytes = Math.max(bytes, allowance);
        outcome = {
          ...outcome,
          error: { code: 'QUOTA_EXCEEDED', message: "the page is larger than what is left of today's quota" },
        };
      }
    } finally {
      this.#reservedBytes -= allowance;
    }
    await this.quota.add(bytes);
    this.#checkLimits();
    return outcome;
  }

  #record(record: JobRecord): void {
    const entry: FetchLogEntry = {
      time: record.at,
      url: record.url,
      finalUrl: record.finalUrl,
      campaignId: record.campaignId,
      jobId: record.jobId,
      status: record.status,
      bytes: record.bytes,
      totalMs: record.totalMs,
      ...(record.errorCode === undefined ? {} : { errorCode: record.errorCode }),
    };
    if (record.errorCode === undefined) this.#jobs.done++;
    else this.#jobs.failed++;
    this.#recent.push(entry);
    if (this.#recent.length > RECENT) this.#recent.shift();
    void this.log.append(entry).catch((error: unknown) => this.emit('log-error', error));
    this.outcomes?.noteFetch(entry);
    this.emit('job', entry);
    this.emit('status');
  }
}

function handBack(job: FetchJobSpec, code: ErrorCode, message: string, started: number): JobOutcome {
  const ms = Math.round(performance.now() - started);
  return { ok: false, finalUrl: job.url, error: { code, message }, timings: { headersMs: 0, totalMs: ms } };
}
