import {
  decodeResultFrame,
  errorFromBody,
  NODE_DECLINE_CODES,
  NonRetryableError,
  resultMessage,
  RetryableError,
  sha256Hex,
  verifyMessage,
  CloseCodes,
  type GleanerError,
  type Logger,
} from '@gleaner/core';
import { ResultHeaderSchema, type ResultHeader } from '@gleaner/contracts';
import { rawBodyKey, type BlobStore } from '@gleaner/blob-store';
import type { TrustStore, UrlStore } from '@gleaner/db';
import { afterCanary, standingOfTrust } from '@gleaner/trust';
import { backoffFor, type GleanerQueues, type LeaseSource, type PolitenessSlots } from '@gleaner/queue';
import type { CampaignStatusCache } from './campaign-status-cache.js';
import type { CanaryJobs } from './canary-jobs.js';
import type { ActiveLease, CanaryLease, NodeSession } from './node-session.js';
import { RedirectTargetCheck, type RobotsSource } from './redirect-target-check.js';
import { checkResult, redirectedElsewhere } from './result-checks.js';

/** Delay before a declined job is offered again, ms. */
const NODE_DECLINED_RETRY_MS = 2000;

/** Collaborators of the {@link ResultHandler}. */
export interface ResultHandlerOptions {
  leases: LeaseSource;
  urls: UrlStore;
  queues: GleanerQueues;
  blobs: BlobStore;
  politeness: PolitenessSlots;
  /** Campaign views (scope) for judging where redirects lead. */
  statuses: CampaignStatusCache;
  /** The workers' robots.txt cache, for judging where redirects lead. */
  robots: RobotsSource;
  /** Where canary verdicts change a node's trust. */
  trust: TrustStore;
  /** The canaries sent, to judge their answers; none without. */
  canaries?: CanaryJobs;
  logger: Logger;
  onSlotFreed: () => void;
}

/**
 * Turns a node's signed result into pipeline work: checks it against its lease (attempt, clock, redirect chain), its
 * signature and the body hash, then where a redirect led (scope, robots.txt); stores the raw body, queues a
 * `process` job and completes the lease — or retries / fails the job when the fetch failed. A result that cannot be
 * a true answer closes the node's connection, and its job goes to another node.
 */
export class ResultHandler {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly redirects: RedirectTargetCheck;

  constructor(private readonly options: ResultHandlerOptions) {
    this.redirects = new RedirectTargetCheck(options.robots);
  }

  /** Handles one binary result frame from a session. */
  handle(session: NodeSession, frame: Buffer): Promise<void> {
    const work = this.process(session, frame).catch((error: unknown) => {
      this.options.logger.error({ err: error, nodeId: session.nodeId }, 'result handling failed');
    });
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
    return work;
  }

  /** Resolves when every result being handled is done. */
  async idle(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  private async process(session: NodeSession, frame: Buffer): Promise<void> {
    let decoded;
    try {
      decoded = decodeResultFrame(frame);
    } catch {
      session.socket.close(CloseCodes.protocolError, 'malformed result frame');
      return;
    }
    const parsed = ResultHeaderSchema.safeParse(decoded.header);
    if (!parsed.success) {
      // Its leases go back to the queue when the socket closes; nothing the node said is believed.
      const issue = parsed.error.issues[0];
      session.socket.close(
        CloseCodes.protocolError,
        `malformed result header${issue ? `: ${issue.path.join('.')}` : ''}`.slice(0, 120),
      );
      return;
    }
    const header = parsed.data;
    const { body } = decoded;
    const canary = session.canaries.get(header.jobId);
    if (canary) {
      await this.judgeCanary(session, canary, header, body);
      return;
    }
    const active = session.leases.get(header.jobId);
    if (!active) {
      this.options.logger.warn(
        { jobId: header.jobId, nodeId: session.nodeId },
        'result for a lease this node does not hold',
      );
      return;
    }
    const log = this.options.logger.child({
      jobId: header.jobId,
      nodeId: session.nodeId,
      urlId: active.urlId,
    });
    const data = active.lease.job.data;
    const problem = checkResult(header, {
      jobUrl: data.url,
      attempt: active.attempt,
      maxRedirects: active.maxRedirects,
      sentAt: active.sentAt,
    });
    if (problem?.code === 'STALE_ATTEMPT') {
      // An answer to an earlier lease of this job: the current one is still the node's to answer.
      log.warn({ reason: problem.reason }, 'result refused: stale attempt');
      return;
    }
    session.leases.delete(header.jobId);
    this.options.onSlotFreed();

    if (!signatureHolds(session.publicKeyPem, header)) {
      log.warn({}, 'result refused: bad signature');
      await this.giveBack(active, new RetryableError('BAD_SIGNATURE', 'result signature does not verify'));
      session.socket.close(CloseCodes.authFailed, 'bad result signature');
      return;
    }
    if (!bodyHolds(header, body)) {
      log.warn({}, 'result refused: body does not match its hash');
      await this.giveBack(
        active,
        new RetryableError('BODY_HASH_MISMATCH', 'body does not match its SHA-256'),
      );
      session.socket.close(CloseCodes.protocolError, 'body hash mismatch');
      return;
    }
    if (problem) {
      log.warn({ reason: problem.reason }, 'result refused: not a possible answer');
      await this.giveBack(active, new RetryableError('BAD_RESULT', problem.reason));
      session.socket.close(CloseCodes.protocolError, `invalid result: ${problem.reason}`.slice(0, 120));
      return;
    }
    session.answered();
    await this.releaseSlot(active, this.backoffOf(active, header), session.ownerId);

    if (header.error && NODE_DECLINE_CODES.has(header.error.code)) {
      // The node declined for its own reasons (paused, out of quota, owner's deny-list): not the URL's fault.
      await this.options.leases.release(active.lease, NODE_DECLINED_RETRY_MS).catch(() => {});
      return;
    }
    const kind = data.kind;
    if (kind === 'robots' || kind === 'sitemap') {
      // Every outcome goes to the worker, failures included: it decides what an unreachable file means.
      await this.forward(active, session, header, body);
      return;
    }
    if (header.error) {
      await this.failAttempt(active, errorFromBody(header.error));
      return;
    }
    if (redirectedElsewhere(header, data.url)) {
      const refusal = await this.redirectProblem(header.finalUrl, data.url, data.campaignId);
      if (refusal) {
        await this.failAttempt(active, new NonRetryableError('REDIRECT_OUT_OF_SCOPE', refusal));
        return;
      }
    }
    if (header.status >= 500 && !this.options.leases.isLastAttempt(active.lease)) {
      await this.options.leases.retry(
        active.lease,
        new RetryableError('HTTP_ERROR', `HTTP ${header.status}`),
      );
      return;
    }

    await this.forward(active, session, header, body);
  }

  /**
   * Judges a canary's answer: checked like any result, then against what the canary page served. A failed fetch is
   * no evidence either way (the page may have been down); a wrong page is proof of fabrication, and bans the node.
   */
  private async judgeCanary(
    session: NodeSession,
    canary: CanaryLease,
    header: ResultHeader,
    body: Buffer,
  ): Promise<void> {
    const problem = checkResult(header, {
      jobUrl: canary.url,
      attempt: canary.attempt,
      maxRedirects: canary.maxRedirects,
      sentAt: canary.sentAt,
    });
    if (problem?.code === 'STALE_ATTEMPT') return;
    session.canaries.delete(header.jobId);
    this.options.onSlotFreed();
    const log = this.options.logger.child({ nodeId: session.nodeId });
    if (problem || !signatureHolds(session.publicKeyPem, header) || !bodyHolds(header, body)) {
      log.warn({ reason: problem?.reason ?? 'signature or body hash' }, 'canary answer refused');
      session.socket.close(CloseCodes.protocolError, 'invalid result');
      return;
    }
    session.answered();
    if (header.error) return;
    const verdict =
      this.options.canaries?.judge(canary.url, session.ownerId, header.fetchedAt, body) ?? 'passed';
    if (verdict === 'unconfirmed') {
      log.warn(
        { url: canary.url },
        'wrong canary answer while no other owner answered it right lately; not counted',
      );
      return;
    }
    const view = await this.options.trust.update(
      session.nodeId,
      (trust) => afterCanary(trust, verdict === 'passed'),
      standingOfTrust,
    );
    if (!view) return;
    session.standing = view.standing;
    if (view.standing === 'banned') {
      log.warn({}, 'node banned: wrong canary answer');
      await this.options.queues.enqueueBan(session.nodeId, 'wrong canary answer');
      session.socket.close(CloseCodes.banned, 'banned: fabrication proven');
    }
  }

  /** Why a page's redirect target cannot be a record of its campaign, or undefined. */
  private async redirectProblem(
    finalUrl: string,
    jobUrl: string,
    campaignId: string,
  ): Promise<string | undefined> {
    const { scope } = await this.options.statuses.view(campaignId);
    if (!scope) return 'the campaign no longer exists';
    return this.redirects.problem(finalUrl, jobUrl, scope);
  }

  /** Stores the body and queues the result for the pipeline, then completes the lease. */
  private async forward(
    active: ActiveLease,
    session: NodeSession,
    header: ResultHeader,
    body: Buffer,
  ): Promise<void> {
    try {
      const blobKey = rawBodyKey(header.bodySha256);
      if (!(await this.options.blobs.has(blobKey))) await this.options.blobs.put(blobKey, body);
      const data = active.lease.job.data;
      const isPage = data.kind === undefined || data.kind === 'page';
      if (isPage) await this.options.urls.markFetched(active.urlId, header.bodyBytes);
      await this.options.queues.enqueueProcess(
        {
          ...(isPage ? {} : { kind: data.kind }),
          ...(data.verificationId ? { verificationId: data.verificationId } : {}),
          ...(session.addressPrefix ? { network: session.addressPrefix } : {}),
          ...(header.error ? { errorCode: header.error.code } : {}),
          campaignId: data.campaignId,
          urlId: data.urlId,
          url: data.url,
          depth: data.depth,
          finalUrl: header.finalUrl,
          status: header.error ? 0 : header.status,
          headers: header.headers,
          bodySha256: header.bodySha256,
          bodyBytes: header.bodyBytes,
          blobKey,
          nodeId: session.nodeId,
          ownerId: session.ownerId,
          fetchedAt: header.fetchedAt,
          jobId: header.jobId,
          attempt: header.attempt,
          redirects: header.redirects,
          signature: header.signature,
          ...(data.round ? { round: data.round } : {}),
          ...(data.rerender ? { rerender: true } : {}),
        },
        active.lease.job.id,
      );
      await this.options.leases.complete(active.lease, { blobKey, status: header.status });
    } catch (error) {
      this.options.logger.error(
        { err: error, jobId: active.lease.job.id },
        'could not store a result; the job will run again',
      );
      await this.options.leases.release(active.lease, 1000).catch(() => {});
    }
  }

  /** The back-off a result asks of its host: a time-out's, or a 429's or 503's (with its Retry-After). */
  private backoffOf(active: ActiveLease, header: ResultHeader): number {
    const code = header.error?.code;
    if (code === 'TIMEOUT' || code === 'TOO_SLOW') return Math.max(5000, active.minIntervalMs * 4);
    return backoffFor(header.status, header.headers['retry-after'], active.minIntervalMs);
  }

  /**
   * Frees the lease's politeness slot. A back-off is the claim of `claimant` (the node's owner), and counts in full
   * only once another owner's node confirms it (see `PolitenessSlots.release`).
   */
  private async releaseSlot(active: ActiveLease, backoffMs: number, claimant?: string): Promise<void> {
    try {
      await this.options.politeness.release(active.host, active.lease.job.id!, {
        backoffMs,
        ...(claimant === undefined ? {} : { claimant }),
      });
    } catch (error) {
      this.options.logger.warn(
        { err: error, host: active.host },
        'could not free a politeness slot; it expires by itself',
      );
    }
  }

  /** Frees the lease's politeness slot, then fails this attempt (see {@link failAttempt}). */
  async giveBack(active: ActiveLease, error: GleanerError): Promise<void> {
    await this.releaseSlot(active, 0);
    await this.failAttempt(active, error);
  }

  /**
   * Takes back a lease its node let lapse: the job never goes back to that node (it is added to the job's
   * `avoidNodes`), and the attempt fails as `NODE_TIMEOUT`.
   */
  async takeBack(active: ActiveLease, nodeId: string): Promise<void> {
    const { job } = active.lease;
    const avoidNodes = [...new Set([...(job.data.avoidNodes ?? []), nodeId])];
    await job.updateData({ ...job.data, avoidNodes }).catch((error: unknown) => {
      this.options.logger.warn({ err: error, jobId: job.id }, 'could not note which node let a lease lapse');
    });
    await this.giveBack(active, new RetryableError('NODE_TIMEOUT', 'node did not answer in time'));
  }

  /** Fails this attempt: retried elsewhere while attempts remain, else recorded as the URL's failure. */
  private async failAttempt(active: ActiveLease, error: GleanerError): Promise<void> {
    const { lease } = active;
    try {
      if (error.retryable && !this.options.leases.isLastAttempt(lease)) {
        await this.options.leases.retry(lease, error);
        return;
      }
      await this.options.urls.markFailed(active.urlId, error.code, error.message, {
        attempts: lease.job.attemptsMade + 1,
      });
      await this.options.leases.fail(lease, `${error.code}: ${error.message}`);
    } catch (cause) {
      this.options.logger.warn(
        { err: cause, jobId: lease.job.id },
        'could not hand a job back; its lock will expire',
      );
    }
  }

  /** Hands a job back untouched (the gateway is shutting down). */
  async release(active: ActiveLease): Promise<void> {
    await this.releaseSlot(active, 0);
    await this.options.leases.release(active.lease, 0).catch(() => {});
  }
}

/** Whether a result's Ed25519 signature (over job id, attempt, status, body hash and redirect chain) verifies. */
function signatureHolds(publicKeyPem: string, header: ResultHeader): boolean {
  const signed = resultMessage({
    jobId: header.jobId,
    attempt: header.attempt,
    redirects: header.redirects,
    finalUrl: header.finalUrl,
    status: header.status,
    bodySha256: header.bodySha256,
  });
  return verifyMessage(publicKeyPem, signed, header.signature);
}

/** Whether the body that came with a result has the length and SHA-256 it claims. */
function bodyHolds(header: ResultHeader, body: Buffer): boolean {
  return body.length === header.bodyBytes && sha256Hex(body) === header.bodySha256;
}
