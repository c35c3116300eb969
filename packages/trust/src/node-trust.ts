import {
  standingOf,
  DEFAULT_STANDING_POLICY,
  type NodeStanding,
  type StandingPolicy,
} from './node-standing.js';
import { PRIOR_TRUST, withEvidence, type TrustEvidence, type TrustScore } from './trust-score.js';
import type { VoteOutcome } from './majority-vote.js';

/** What the coordinator knows of one node's honesty; one row per node, written only through these functions. */
export interface NodeTrust {
  score: TrustScore;
  /** Checks passed: canaries answered right and redundant fetches that agreed with it. */
  checksPassed: number;
  /** Pages it fetched that became records (its redundancy sampling counts them). */
  pagesDone: number;
  /** Votes on distinct URLs that other owners' nodes won against it, in its current run of them; see {@link afterVote}. */
  outvotes: number;
  /** The URL of the last vote it lost. */
  lastOutvotedUrl?: string;
  /** Its `checksPassed` when it last lost a vote. */
  checksAtOutvote?: number;
  /** Set when fabrication was proven: a wrong canary, or votes lost on {@link OutvotePolicy.banAfter} URLs. */
  provenAt?: number;
  /** Why, when proven. */
  provenReason?: string;
}

/** When lost votes prove fabrication; see {@link afterVote} and docs/trust.md. */
export interface OutvotePolicy {
  /** Votes lost on distinct URLs that prove fabrication. Default 2. */
  banAfter: number;
  /** Checks passed since the last lost vote after which the next one starts a new count. Default 50. */
  forgiveAfterChecks: number;
}

/** The default outvote policy. */
export const DEFAULT_OUTVOTE_POLICY: OutvotePolicy = Object.freeze({ banAfter: 2, forgiveAfterChecks: 50 });

/** A node never checked. */
export const NEW_NODE_TRUST: NodeTrust = Object.freeze({
  score: PRIOR_TRUST,
  checksPassed: 0,
  pagesDone: 0,
  outvotes: 0,
});

/** The node's standing. */
export function standingOfTrust(
  trust: NodeTrust,
  policy: StandingPolicy = DEFAULT_STANDING_POLICY,
): NodeStanding {
  return standingOf(
    { score: trust.score, checksPassed: trust.checksPassed, proven: trust.provenAt !== undefined },
    policy,
  );
}

function apply(trust: NodeTrust, evidence: TrustEvidence, now: number, reason?: string): NodeTrust {
  const passed = evidence === 'agreed' || evidence === 'canary-passed';
  const proven = evidence === 'canary-failed' && trust.provenAt === undefined;
  return {
    ...trust,
    score: withEvidence(trust.score, evidence),
    checksPassed: trust.checksPassed + (passed ? 1 : 0),
    ...(proven ? { provenAt: now, provenReason: reason ?? evidence } : {}),
  };
}

/** A canary's answer was checked: a wrong one is proof of fabrication. */
export function afterCanary(trust: NodeTrust, passed: boolean, now = Date.now()): NodeTrust {
  return apply(
    trust,
    passed ? 'canary-passed' : 'canary-failed',
    now,
    passed ? undefined : 'wrong canary answer',
  );
}

/** One more of the node's pages became a record. */
export function afterPage(trust: NodeTrust): NodeTrust {
  return { ...trust, pagesDone: trust.pagesDone + 1 };
}

/**
 * A vote on `url`, which this node fetched, was counted. Agreeing is a passed check; a disagreement still waiting
 * for its tie-break is a doubt; no majority blames nobody. Being outvoted by a majority of other owners' nodes (who
 * agree among themselves) is evidence against the node, and proof once it has lost votes on `policy.banAfter`
 * distinct URLs: two honest fetches of a page that changes between requests (A/B text on a short page) can fall
 * below the agreement threshold, so a single lost vote must not ban an honest node, while a fabricator loses one on
 * nearly every page that is checked. A vote lost again on the same URL does not count twice, and one lost after
 * `policy.forgiveAfterChecks` passed checks since the last starts a new count.
 */
export function afterVote(
  trust: NodeTrust,
  nodeId: string,
  outcome: VoteOutcome,
  url: string,
  now = Date.now(),
  policy: OutvotePolicy = DEFAULT_OUTVOTE_POLICY,
): NodeTrust {
  if (outcome.kind === 'needs-tiebreak') return apply(trust, 'disputed', now);
  if (outcome.kind === 'agreed' || outcome.kind === 'decided') {
    if (outcome.upheld.includes(nodeId)) return apply(trust, 'agreed', now);
    if (outcome.kind === 'decided' && outcome.outvoted.includes(nodeId))
      return outvoted(trust, url, now, policy);
  }
  return trust;
}

function outvoted(trust: NodeTrust, url: string, now: number, policy: OutvotePolicy): NodeTrust {
  const again = trust.lastOutvotedUrl === url;
  const forgiven =
    trust.checksAtOutvote !== undefined &&
    trust.checksPassed - trust.checksAtOutvote >= policy.forgiveAfterChecks;
  const outvotes = again ? trust.outvotes : forgiven ? 1 : trust.outvotes + 1;
  const next: NodeTrust = {
    ...trust,
    score: withEvidence(trust.score, 'outvoted'),
    outvotes,
    lastOutvotedUrl: url,
    checksAtOutvote: trust.checksPassed,
  };
  if (outvotes < policy.banAfter || trust.provenAt !== undefined) return next;
  return {
    ...next,
    provenAt: now,
    provenReason: `outvoted by other owners\u2019 nodes on redundant fetches of ${outvotes} URLs`,
  };
}

/** When pending points settle; see {@link settleDecision}. */
export interface SettlePolicy {
  /** How long a trusted node's points wait before they settle, ms. Default 86,400,000 (a day). */
  holdMs: number;
}

/** The default settle policy. */
export const DEFAULT_SETTLE_POLICY: SettlePolicy = Object.freeze({ holdMs: 86_400_000 });

/**
 * What becomes of a pending credit now: `void` once its node is banned; `settle` once its node is trusted and the
 * credit has waited `holdMs`; else `wait` (probation and quarantine hold everything).
 */
export function settleDecision(
  standing: NodeStanding,
  creditedAtMs: number,
  now = Date.now(),
  policy: SettlePolicy = DEFAULT_SETTLE_POLICY,
): 'settle' | 'void' | 'wait' {
  if (standing === 'banned') return 'void';
  if (standing === 'trusted' && now - creditedAtMs >= policy.holdMs) return 'settle';
  return 'wait';
}
