import type { NodeStanding } from './node-standing.js';

/** How much of a node's work is checked; see {@link checkFor}. */
export interface VerificationPolicy {
  /** Share of a node's first `probationJobs` pages fetched again by another owner's node. Default 0.6. */
  probationRedundancy: number;
  /** Pages that count as a node's first. Default 30. */
  probationJobs: number;
  /** Share of a trusted node's pages fetched again. Default 0.04. */
  steadyRedundancy: number;
  /** Share of a node's jobs that are canaries while on probation. Default 0.1. */
  probationCanaries: number;
  /** Share of a trusted node's jobs that are canaries. Default 0.02. */
  steadyCanaries: number;
}

/** The default shares: heavy checks first, about 6 % extra fetches at steady state. */
export const DEFAULT_VERIFICATION_POLICY: VerificationPolicy = Object.freeze({
  probationRedundancy: 0.6,
  probationJobs: 30,
  steadyRedundancy: 0.04,
  probationCanaries: 0.1,
  steadyCanaries: 0.02,
});

/** Whether a node on probation is still in its first jobs, or its standing calls for close checks. */
function closeWatch(standing: NodeStanding, pagesDone: number, policy: VerificationPolicy): boolean {
  return standing !== 'trusted' || pagesDone < policy.probationJobs;
}

/**
 * Whether the page a node just fetched (its `pagesDone`-th) is fetched again by a node of another owner and
 * network. Quarantined nodes' pages are always checked. `random` is injectable for tests and simulations.
 */
export function checkFor(
  standing: NodeStanding,
  pagesDone: number,
  policy: VerificationPolicy = DEFAULT_VERIFICATION_POLICY,
  random: () => number = Math.random,
): boolean {
  if (standing === 'banned') return false;
  if (standing === 'quarantined') return true;
  const share = closeWatch(standing, pagesDone, policy)
    ? policy.probationRedundancy
    : policy.steadyRedundancy;
  return random() < share;
}

/** Whether the next job sent to a node is a canary. */
export function canaryFor(
  standing: NodeStanding,
  jobsDone: number,
  policy: VerificationPolicy = DEFAULT_VERIFICATION_POLICY,
  random: () => number = Math.random,
): boolean {
  if (standing === 'banned') return false;
  const share = closeWatch(standing, jobsDone, policy) ? policy.probationCanaries : policy.steadyCanaries;
  return random() < share;
}
