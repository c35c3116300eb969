import { fingerprintsAgree } from './text-fingerprint.js';

/** One fetch of a URL in a vote: who fetched it and the fingerprint of what it got. */
export interface Ballot {
  nodeId: string;
  fingerprint: Uint32Array;
}

/**
 * What the fetches of one URL say so far. `agreed`: the original and a verifier agree. `needs-tiebreak`: two fetches
 * disagree, a third decides. `decided`: of three or more, the nodes outvoted by a majority that agrees among itself
 * (`outvoted`) and those in it (`upheld`). `undecided`: no majority (every fetch differs: a page that changes on
 * every request); nobody is blamed.
 */
export type VoteOutcome =
  | { kind: 'agreed'; upheld: string[] }
  | { kind: 'needs-tiebreak' }
  | { kind: 'decided'; upheld: string[]; outvoted: string[] }
  | { kind: 'undecided' };

/**
 * Counts the ballots of one URL. The first ballot is the original fetch; the others are redundant fetches by nodes
 * of other owners and networks, in the order they came.
 */
export function countVotes(ballots: readonly Ballot[]): VoteOutcome {
  if (ballots.length < 2) throw new RangeError('a vote needs the original and at least one redundant fetch');
  if (ballots.length === 2) {
    const [a, b] = ballots as [Ballot, Ballot];
    return fingerprintsAgree(a.fingerprint, b.fingerprint)
      ? { kind: 'agreed', upheld: [a.nodeId, b.nodeId] }
      : { kind: 'needs-tiebreak' };
  }
  // The largest group of ballots that agree with one another decides, if it is a strict majority.
  let best: Ballot[] = [];
  for (const candidate of ballots) {
    const group = ballots.filter((other) => fingerprintsAgree(candidate.fingerprint, other.fingerprint));
    if (group.length > best.length) best = group;
  }
  if (best.length * 2 <= ballots.length) return { kind: 'undecided' };
  const upheld = new Set(best.map((ballot) => ballot.nodeId));
  return {
    kind: 'decided',
    upheld: [...upheld],
    outvoted: ballots.filter((ballot) => !upheld.has(ballot.nodeId)).map((ballot) => ballot.nodeId),
  };
}
