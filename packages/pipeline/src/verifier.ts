import { newId, silentLogger, type Logger } from '@gleaner/core';
import type { BlobStore } from '@gleaner/blob-store';
import type { NodeTrustView, TrustStore, VerificationBallot, VerificationRow } from '@gleaner/db';
import { extractPage } from '@gleaner/extract';
import type { GleanerQueues, ProcessJobData } from '@gleaner/queue';
import {
  afterPage,
  afterVote,
  checkFor,
  countVotes,
  decodeFingerprint,
  encodeFingerprint,
  standingOfTrust,
  textFingerprint,
  type VerificationPolicy,
  type VoteOutcome,
} from '@gleaner/trust';
import type { ExtractPool } from './extract-pool.js';

/** Collaborators of the {@link Verifier}. */
export interface VerifierDeps {
  trust: TrustStore;
  queues: GleanerQueues;
  blobs: BlobStore;
  /** Extraction on worker threads with a time budget; in this thread without. */
  extractor?: ExtractPool;
  /** Shares of redundant fetches (defaults of @gleaner/trust). */
  policy?: VerificationPolicy;
  /** Injectable for tests. Default Math.random. */
  random?: () => number;
  logger?: Logger;
}

/** Most fetches one vote asks for: the original, a redundant fetch, and one tie-break. */
const MAX_BALLOTS = 3;

/**
 * Redundant fetches and their votes: after a page becomes a record, the trust policy may ask a node of another owner
 * and another network to fetch its URL again; the two main texts' fingerprints are compared, a disagreement goes to
 * a third node, and the majority decides. Each vote's outcome changes the trust of every node in it (through
 * `TrustStore`); a node outvoted is banned, and its ban is queued for the settle worker to carry out.
 */
export class Verifier {
  private readonly logger: Logger;

  constructor(private readonly deps: VerifierDeps) {
    this.logger = deps.logger ?? silentLogger;
  }

  /** Counts a new record for its node and, when the policy says so, opens a vote on it. */
  async afterRecord(data: ProcessJobData, recordId: string): Promise<boolean> {
    const view = await this.deps.trust.update(data.nodeId, afterPage, standingOfTrust);
    if (!view || !checkFor(view.standing, view.trust.pagesDone, this.deps.policy, this.deps.random))
      return false;
    const record = await this.deps.trust.recordForVote(recordId);
    if (!record) return false;
    const id = newId('vrf');
    const original: VerificationBallot = {
      nodeId: data.nodeId,
      ownerId: data.ownerId,
      network: data.network ?? view.addressPrefix,
      fingerprint: encodeFingerprint(textFingerprint(record.text)),
      at: data.fetchedAt,
    };
    await this.deps.trust.openVerification({
      id,
      campaignId: data.campaignId,
      recordId,
      url: data.url,
      original,
    });
    await this.askFetch(id, data, [original], 1);
    return true;
  }

  /** Casts the ballot of a redundant fetch, and acts on what the vote now says. */
  async takeFetch(data: ProcessJobData): Promise<VoteOutcome | undefined> {
    if (!data.verificationId) return undefined;
    const text = await this.mainText(data);
    // A fetch that found no page (an error status, no text) says nothing of the original: no ballot, so that nobody
    // is blamed for a site that changed; the vote stays open until it expires.
    if (text.trim().length === 0) return undefined;
    const ballot: VerificationBallot = {
      nodeId: data.nodeId,
      ownerId: data.ownerId,
      network: data.network ?? null,
      fingerprint: encodeFingerprint(textFingerprint(text)),
      at: data.fetchedAt,
    };
    let outcome: VoteOutcome | undefined;
    const row = await this.deps.trust.castBallot(data.verificationId, ballot, (ballots) => {
      outcome = countVotes(
        ballots.map((b) => ({ nodeId: b.nodeId, fingerprint: decodeFingerprint(b.fingerprint) })),
      );
      if (outcome.kind === 'needs-tiebreak') {
        return ballots.length < MAX_BALLOTS
          ? { state: 'open', outcome, askMore: true }
          : { state: 'undecided', outcome: { kind: 'undecided' } };
      }
      return { state: outcome.kind, outcome };
    });
    if (!row || !outcome) return undefined;
    await this.judge(row, outcome);
    if (row.state === 'open' && outcome.kind === 'needs-tiebreak') {
      await this.askFetch(row.id, data, row.ballots, row.ballots.length);
    }
    return outcome;
  }

  /** Applies a vote's outcome to every node in it; bans are queued for the settle worker. */
  private async judge(row: VerificationRow, outcome: VoteOutcome): Promise<void> {
    for (const ballot of row.ballots) {
      const view = await this.deps.trust.update(
        ballot.nodeId,
        (trust) => afterVote(trust, ballot.nodeId, outcome, row.url),
        standingOfTrust,
      );
      if (view?.standing === 'banned') await this.banned(view);
    }
  }

  private async banned(view: NodeTrustView): Promise<void> {
    this.logger.warn({ nodeId: view.nodeId }, 'node banned: outvoted on a redundant fetch');
    await this.deps.queues.enqueueBan(view.nodeId, view.trust.provenReason ?? 'fabrication proven');
  }

  /** Queues the next redundant fetch of a vote, by a node of none of its owners and networks so far. */
  private async askFetch(
    verificationId: string,
    data: ProcessJobData,
    ballots: VerificationBallot[],
    number: number,
  ): Promise<void> {
    await this.deps.queues.enqueueVerify(
      {
        verificationId,
        campaignId: data.campaignId,
        url: data.url,
        depth: data.depth,
        render: data.rerender ?? false,
        avoidNodes: ballots.map((b) => b.nodeId),
        avoidOwners: [...new Set(ballots.map((b) => b.ownerId))],
        avoidNetworks: [...new Set(ballots.flatMap((b) => (b.network ? [b.network] : [])))],
      },
      number,
    );
  }

  /** The main text of a redundant fetch, extracted as the pipeline extracts pages (empty when it is not a page). */
  private async mainText(data: ProcessJobData): Promise<string> {
    if (data.status < 200 || data.status >= 400) return '';
    const body = await this.deps.blobs.get(data.blobKey);
    const contentType = data.headers['content-type'];
    const input = { body, url: data.finalUrl, ...(contentType ? { contentType } : {}) };
    try {
      const page = this.deps.extractor ? await this.deps.extractor.extract(input) : extractPage(input);
      return page.text;
    } catch {
      return '';
    }
  }
}
