/**
 * A node's trust as a Beta posterior over "this node's answers are true": `alpha` counts evidence for (canaries
 * answered right, redundant fetches that agreed), `beta` evidence against (wrong canaries, votes lost to other owners' nodes), both
 * starting from the prior Beta(1, 1). Pure values: every update returns a new score.
 */
export interface TrustScore {
  alpha: number;
  beta: number;
}

/** The prior of a node never checked: Beta(1, 1), uniform. */
export const PRIOR_TRUST: TrustScore = Object.freeze({ alpha: 1, beta: 1 });

/**
 * Evidence about one of a node's answers. `disputed`: a redundant fetch disagreed with it and no majority has
 * spoken yet (or none could: a page that changes on every request) — a doubt, not a proof.
 */
export type TrustEvidence = 'agreed' | 'canary-passed' | 'disputed' | 'outvoted' | 'canary-failed';

/**
 * Weight of each kind of evidence. A canary is known content and a lost vote is a majority of other owners' nodes
 * against one answer, so each counts double. A doubt weighs nothing until its tie-break lands: each side of a
 * disagreement is doubted, so weighing doubts let a sybil owner's false redundant fetches quarantine the honest nodes
 * whose pages they checked (13 % of them in bench/trust), while the tie-break that follows judges both sides anyway.
 */
const WEIGHTS: Record<TrustEvidence, Partial<TrustScore>> = {
  agreed: { alpha: 1 },
  'canary-passed': { alpha: 2 },
  disputed: {},
  outvoted: { beta: 2 },
  'canary-failed': { beta: 2 },
};

/** The score after one more piece of evidence. */
export function withEvidence(score: TrustScore, evidence: TrustEvidence): TrustScore {
  const weight = WEIGHTS[evidence];
  return { alpha: score.alpha + (weight.alpha ?? 0), beta: score.beta + (weight.beta ?? 0) };
}

/** The posterior mean: the expected share of true answers. */
export function trustMean(score: TrustScore): number {
  return score.alpha / (score.alpha + score.beta);
}

/**
 * A cautious reading of the score: the mean less 1.645 standard deviations of the Beta posterior (about its 5 %
 * quantile), clamped to [0, 1]. Few observations give a low bound, so a new node must earn trust before it is paid.
 */
export function trustLowerBound(score: TrustScore): number {
  const n = score.alpha + score.beta;
  const mean = score.alpha / n;
  const sd = Math.sqrt((score.alpha * score.beta) / (n * n * (n + 1)));
  return Math.min(1, Math.max(0, mean - 1.645 * sd));
}
