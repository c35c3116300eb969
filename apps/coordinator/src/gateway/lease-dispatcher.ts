import { randomBytes } from 'node:crypto';
import type { FetchLimits } from '@gleaner/contracts';
import type { Logger } from '@gleaner/core';
import type { Lease, LeaseSource, PolitenessSlots } from '@gleaner/queue';
import type { CampaignStatusCache } from './campaign-status-cache.js';
import type { CanaryJobs } from './canary-jobs.js';
import type { NodeSession } from './node-session.js';
import { chooseSession } from './session-choice.js';

/** Collaborators of the {@link LeaseDispatcher}. */
export interface LeaseDispatcherOptions {
  leases: LeaseSource;
  statuses: CampaignStatusCache;
  politeness: PolitenessSlots;
  sessions: ReadonlySet<NodeSession>;
  jobLimits: FetchLimits;
  logger: Logger;
  /** Time a node that has not yet proven itself gets to answer, ms. Default 15,000. */
  probationDeadlineMs?: number;
  /** Canary jobs mixed into every node's work; none without. */
  canaries?: CanaryJobs;
}

/** A fresh opaque job id for the wire: 16 random bytes, base64url. */
export function newWireId(): string {
  return randomBytes(16).toString('base64url');
}

/** Delay before a paused campaign's job is offered again, ms. */
const PAUSED_RETRY_MS = 2000;
/** Delay before a job that needs rendering is offered again while no connected node can render, ms. */
const NO_RENDERER_RETRY_MS = 5000;
/** How often the gateway says that rendering jobs wait for a rendering node, ms. */
const NO_RENDERER_WARN_EVERY_MS = 60_000;
/** Extra time a node gets beyond the job's own time limit before the gateway takes it back, ms. */
const DEADLINE_SLACK_MS = 10_000;
/** Delay before a job no connected node may take (all let it lapse, or it waits for a proven node) is offered again, ms. */
const NO_FIT_RETRY_MS = 1000;
/** Delay before a redundant fetch no connected node may take (all of its vote's owners or networks) is offered again, ms. */
const NO_VERIFIER_RETRY_MS = 30_000;
/** Age after which a redundant fetch is dropped unfetched (its vote expires in the worker), ms. */
const VERIFY_MAX_AGE_MS = 3_600_000;

/**
 * The lease loop: while some node has a free slot, take the next fetch job and send it to the node that fits it with
 * the most free slots (among equals, the one that waited longest for a job; see `chooseSession`). Jobs of paused
 * campaigns go back untouched; jobs of ended campaigns are completed without a fetch.
 */
export class LeaseDispatcher {
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private lastNoRendererWarning = 0;

  constructor(private readonly options: LeaseDispatcherOptions) {}

  /** Starts the loop. */
  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Wakes the loop (a slot was freed or a node arrived). */
  wake(): void {
    this.wakeUp?.();
  }

  /** Stops leasing and waits for the loop to end. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      if (!chooseSession(this.options.sessions, { render: false })) {
        await this.sleep(1000);
        continue;
      }
      let lease: Lease | undefined;
      try {
        lease = await this.options.leases.next(true);
      } catch (error) {
        this.options.logger.error({ err: error }, 'could not lease a job');
        await this.sleep(1000);
        continue;
      }
      if (lease) await this.dispatch(lease);
    }
  }

  private async dispatch(lease: Lease): Promise<void> {
    const { job } = lease;
    let slotHost: string | undefined;
    try {
      const { status, pace, allowedContentTypes } = await this.options.statuses.view(job.data.campaignId);
      if (status === 'paused') return await this.options.leases.release(lease, PAUSED_RETRY_MS);
      if (status !== 'running') return await this.options.leases.complete(lease, { skipped: status });
      if (job.data.kind === 'verify' && Date.now() - job.timestamp > VERIFY_MAX_AGE_MS) {
        return await this.options.leases.complete(lease, { skipped: 'expired' });
      }
      const isPage = job.data.kind === undefined || job.data.kind === 'page';
      const needs = {
        render: job.data.render,
        ...(job.data.avoidNodes ? { avoid: job.data.avoidNodes } : {}),
        critical: job.data.kind === 'robots' || job.data.kind === 'sitemap',
        verification: job.data.kind === 'verify',
        ...(job.data.avoidOwners ? { avoidOwners: job.data.avoidOwners } : {}),
        ...(job.data.avoidNetworks ? { avoidNetworks: job.data.avoidNetworks } : {}),
      };
      let session = chooseSession(this.options.sessions, needs);
      if (session && isPage && this.sendCanary(session))
        session = chooseSession(this.options.sessions, needs);
      if (!session) {
        if (job.data.render && !this.anyRenderer()) {
          // No connected node can render: hand the job back for a while instead of spinning on it, and say so.
          if (Date.now() - this.lastNoRendererWarning > NO_RENDERER_WARN_EVERY_MS) {
            this.lastNoRendererWarning = Date.now();
            this.options.logger.warn(
              { campaignId: job.data.campaignId },
              'jobs need rendering but no connected node can render (start one with --render)',
            );
          }
          return await this.options.leases.release(lease, NO_RENDERER_RETRY_MS);
        }
        return await this.options.leases.release(
          lease,
          job.data.kind === 'verify' ? NO_VERIFIER_RETRY_MS : NO_FIT_RETRY_MS,
        );
      }
      const host = new URL(job.data.url).host;
      const slot = await this.options.politeness.acquire(host, job.id!, pace);
      if (!slot.granted) {
        // Take the host's next planned slot after the wait, so jobs handed back together don't all come due together.
        const [planned = 0] = await this.options.politeness.schedule(
          host,
          1,
          pace.minIntervalMs,
          Date.now() + slot.waitMs,
        );
        return await this.options.leases.release(lease, slot.waitMs + planned);
      }
      slotHost = host;
      // robots.txt and sitemaps are plain text and XML whatever the campaign narrows its pages to.
      const limits =
        allowedContentTypes && isPage
          ? { ...this.options.jobLimits, allowedContentTypes }
          : this.options.jobLimits;
      const deadlineMs = limits.timeoutMs + DEADLINE_SLACK_MS;
      const wireId = newWireId();
      if (isPage)
        this.options.canaries?.observe({ campaignId: job.data.campaignId, attempt: job.attemptsStarted });
      session.leases.set(wireId, {
        wireId,
        lease,
        urlId: job.data.urlId,
        attempt: job.attemptsStarted,
        host,
        minIntervalMs: pace.minIntervalMs,
        maxRedirects: limits.maxRedirects,
        sentAt: Date.now(),
        // A node that has not proven itself could be one that takes jobs and never answers: take them back sooner.
        deadline:
          Date.now() +
          (session.proven() ? deadlineMs : Math.min(deadlineMs, this.options.probationDeadlineMs ?? 15_000)),
      });
      session.lastJobAt = Date.now();
      this.options.logger.debug({ jobId: job.id, host, nodeId: session.nodeId }, 'job leased');
      session.send({
        type: 'job',
        job: {
          jobId: wireId,
          attempt: job.attemptsStarted,
          campaignId: job.data.campaignId,
          url: job.data.url,
          render: job.data.render,
          limits,
          ...(job.data.conditional ? { conditional: job.data.conditional } : {}),
        },
      });
    } catch (error) {
      this.options.logger.error({ err: error, jobId: job.id }, 'could not dispatch a job; handing it back');
      // A slot taken for a job that never left must not hold the host until it expires by itself.
      if (slotHost !== undefined) {
        await this.options.politeness.release(slotHost, job.id!).catch(() => undefined);
      }
      await this.options.leases.release(lease, 1000).catch(() => {});
      await this.sleep(500);
    }
  }

  /**
   * Sends `session` a canary before its next page, when the trust policy calls for one; true if it did (the session
   * then has one slot less). A canary takes no politeness slot: its host is the operator's own.
   */
  private sendCanary(session: NodeSession): boolean {
    const canary = this.options.canaries?.next(session.standing, session.jobsDone());
    if (!canary) return false;
    const { jobLimits } = this.options;
    const wireId = newWireId();
    session.canaries.set(wireId, {
      wireId,
      url: canary.url,
      attempt: canary.shape.attempt,
      maxRedirects: jobLimits.maxRedirects,
      sentAt: Date.now(),
      deadline: Date.now() + jobLimits.timeoutMs + DEADLINE_SLACK_MS,
    });
    session.lastJobAt = Date.now();
    this.options.logger.debug({ nodeId: session.nodeId }, 'canary sent');
    session.send({
      type: 'job',
      job: {
        jobId: wireId,
        attempt: canary.shape.attempt,
        campaignId: canary.shape.campaignId,
        url: canary.url,
        render: false,
        limits: jobLimits,
      },
    });
    return true;
  }

  private anyRenderer(): boolean {
    for (const session of this.options.sessions) if (session.capabilities.render) return true;
    return false;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}
