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
  /** Set when fabrication was proven: a wrong canary, or a vote other owners' nodes won against it. */
  provenAt?: number;
  /** Why, when proven. */
  provenReason?: string;
}

/** A node never checked. */
export const NEW_NODE_TRUST: NodeTrust = Object.freeze({ score: PRIOR_TRUST, checksPassed: 0, pagesDone: 0 });

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
  const proven = (evidence === 'outvoted' || evidence === 'canary-failed') && trust.provenAt === undefined;
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
 * A vote on a URL this node fetched was counted: agreeing is a passed check; a disagreement still waiting for its
 * tie-break is a doubt; being outvoted by a majority of other owners' nodes (who agree among themselves) is proof of
 * fabrication. No majority blames nobody.
 */
export function afterVote(
  trust: NodeTrust,
  nodeId: string,
  outcome: VoteOutcome,
  now = Date.now(),
): NodeTrust {
  if (outcome.kind === 'needs-tiebreak') return apply(trust, 'disputed', now);
  if (outcome.kind === 'agreed' || outcome.kind === 'decided') {
    if (outcome.upheld.includes(nodeId)) return apply(trust, 'agreed', now);
    if (outcome.kind === 'decided' && outcome.outvoted.includes(nodeId)) {
      return apply(trust, 'outvoted', now, 'outvoted by other owners\u2019 nodes on a redundant fetch');
    }
  }
  return trust;
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
