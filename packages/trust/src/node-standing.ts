import { trustLowerBound, trustMean, type TrustScore } from './trust-score.js';

/**
 * Where a node stands: `probation` until its work has been checked enough, `trusted` once its checked answers hold,
 * `quarantined` while its evidence is bad but not proof (it gets only verification work), `banned` on proof of
 * fabrication (a wrong canary, or a redundant fetch where other owners' nodes outvoted it).
 */
export type NodeStanding = 'probation' | 'trusted' | 'quarantined' | 'banned';

/** Thresholds of {@link standingOf}; see docs/trust.md. */
export interface StandingPolicy {
  /** Checked answers (canaries and agreed redundant fetches) a node needs before it can be trusted. Default 8. */
  minChecks: number;
  /** The score's lower bound above which a node past `minChecks` is trusted. Default 0.7. */
  trustAbove: number;
  /** The score's mean below which a node is quarantined, once it has this much evidence. Default 0.5. */
  quarantineBelow: number;
  /** Evidence (alpha + beta, the prior's 2 included) a node needs before it can be quarantined. Default 4. */
  quarantineAfter: number;
}

/** The default thresholds. */
export const DEFAULT_STANDING_POLICY: StandingPolicy = Object.freeze({
  minChecks: 8,
  trustAbove: 0.7,
  quarantineBelow: 0.5,
  quarantineAfter: 4,
});

/** What {@link standingOf} reads of a node. */
export interface NodeEvidence {
  score: TrustScore;
  /** Checks it passed (canaries and agreed redundant fetches). */
  checksPassed: number;
  /** Whether fabrication was proven against it. */
  proven: boolean;
}

/** A node's standing from its evidence. */
export function standingOf(
  evidence: NodeEvidence,
  policy: StandingPolicy = DEFAULT_STANDING_POLICY,
): NodeStanding {
  if (evidence.proven) return 'banned';
  const { alpha, beta } = evidence.score;
  if (alpha + beta >= policy.quarantineAfter && trustMean(evidence.score) < policy.quarantineBelow) {
    return 'quarantined';
  }
  if (evidence.checksPassed >= policy.minChecks && trustLowerBound(evidence.score) >= policy.trustAbove) {
    return 'trusted';
  }
  return 'probation';
}
