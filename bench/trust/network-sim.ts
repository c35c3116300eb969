import {
  afterCanary,
  afterPage,
  afterVote,
  canaryAnswerHolds,
  canaryFor,
  canaryPageHtml,
  checkFor,
  countVotes,
  DEFAULT_VERIFICATION_POLICY,
  NEW_NODE_TRUST,
  settleDecision,
  standingOfTrust,
  type Ballot,
  type NodeStanding,
  type NodeTrust,
  type VerificationPolicy,
} from '@gleaner/trust';
import { PageWorld, type Answer, type SimPage } from './page-world.js';
import { pick, seededRandom } from './prng.js';
import { fabricates, type AttackerMemory, type JobKind, type Strategy } from './strategies.js';

/** The simulated network and campaign; see README.md for the model. */
export interface SimOptions {
  strategy: Strategy;
  seed: number;
  /** Honest owners; each has 1–3 nodes on 1–2 networks drawn from a shared pool. Default 12. */
  honestOwners: number;
  /** Network prefixes (/24 and /48) owners draw from, so some owners share one. Default 16. */
  networks: number;
  /** Nodes of the sybil owner (strategy `sybil`), on `sybilNetworks` networks. Defaults 20 and 3. */
  sybilNodes: number;
  sybilNetworks: number;
  /** Simulated seconds; every node does at most one job per second. Default 900. */
  horizonS: number;
  /** Fetches from this second on count as steady state (all honest nodes past probation). Default 300. */
  steadyFromS: number;
  /** Hold of pending points, ms (the settle policy's `holdMs`). Default 300,000 (five minutes). */
  holdMs: number;
  /** How often pending points are swept through `settleDecision`, ms. Default 60,000. */
  settleEveryMs: number;
  /** Share of campaign URLs that are dynamic. Default 0.3 (1 for `honest-only`). */
  dynamicShare: number;
  /** Share of page jobs that re-crawl a URL that already has a record. Default 0.5. */
  recrawlShare: number;
  /** Hosts the campaign's URLs are spread over. Default 20. */
  sites: number;
  /** Seconds before a queued redundant fetch or tie-break can be taken (queueing, politeness). Default 10. */
  verifyDelayS: number;
  /** Hosts that serve canary pages. Default 4. */
  canaryHosts: number;
  policy: VerificationPolicy;
}

export const DEFAULT_SIM: Omit<SimOptions, 'strategy' | 'seed'> = {
  honestOwners: 12,
  networks: 16,
  sybilNodes: 20,
  sybilNetworks: 3,
  horizonS: 900,
  steadyFromS: 300,
  holdMs: 300_000,
  settleEveryMs: 60_000,
  dynamicShare: 0.3,
  recrawlShare: 0.5,
  sites: 20,
  verifyDelayS: 10,
  canaryHosts: 4,
  policy: DEFAULT_VERIFICATION_POLICY,
};

/** Fetches by kind; `page` fetches make records, the others are the cost of verification. */
export type FetchCounts = Record<JobKind, number>;

/** What one dishonest node went through. */
export interface DishonestOutcome {
  /** Its jobs done when it was banned; undefined if it never was. */
  jobsAtBan?: number;
  /** Answers it had fabricated by then (or by the end). */
  fabricatedAtBan: number;
  /** Why it was banned. */
  reason?: 'canary' | 'vote';
}

/** The outcome of one run. */
export interface RunResult {
  dishonest: DishonestOutcome[];
  honestNodes: number;
  honestBanned: number;
  /** Honest nodes that were quarantined at least once. */
  honestQuarantined: number;
  /** Seconds each of those spent in quarantine. */
  honestQuarantineSeconds: number[];
  steady: FetchCounts;
  total: FetchCounts;
  settledToDishonest: number;
  settledToHonest: number;
  creditedToHonest: number;
  /** Votes that ended with no majority (nobody blamed). */
  undecided: number;
  /** Votes honest nodes lost (a majority of two other nodes against a true fetch): evidence, not proof. */
  honestVotesLost: number;
}

interface SimNode {
  id: string;
  owner: string;
  network: string;
  dishonest: boolean;
  trust: NodeTrust;
  jobsDone: number;
  fabricated: number;
  everQuarantined: boolean;
  quarantineSeconds: number;
  memory: AttackerMemory;
  credits: { creditedAt: number; state: 'pending' | 'settled' | 'void' }[];
  banned?: { jobs: number; reason: 'canary' | 'vote' };
}

/** One record whose fetches are being compared: its ballots and who may not fetch it again. */
interface Vote {
  page: SimPage;
  ballots: Ballot[];
  nodes: SimNode[];
  kind: 'redundant' | 'tiebreak';
  /** The second from which a node may take it. */
  readyAt: number;
}

const EPOCH_MS = Date.UTC(2026, 0, 5, 8, 0, 0);
const SECRET = 'bench-canary-secret';

const zeroCounts = (): FetchCounts => ({ page: 0, redundant: 0, tiebreak: 0, canary: 0 });

/** Runs one seeded simulation of the coordinator loop against `options.strategy`. */
export function runSimulation(world: PageWorld, options: SimOptions): RunResult {
  const random = seededRandom(options.seed);
  const policy = options.policy;
  const nodes = buildNetwork(options, random);

  // The campaign: URLs on `sites` hosts, each serving one corpus text (a fresh permutation per run).
  const order = world.texts.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = pick(random, i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const dynamicShare = options.strategy === 'honest-only' ? 1 : options.dynamicShare;
  const pages: SimPage[] = [];
  const recordedBy = new Map<string, Set<string>>();
  const newPage = (): SimPage => {
    const n = pages.length;
    const host = `site-${String(n % options.sites).padStart(2, '0')}.example`;
    const page = {
      url: `https://${host}/p/${n}`,
      host,
      textIndex: order[n % order.length]!,
      dynamic: random() < dynamicShare,
    };
    pages.push(page);
    return page;
  };
  const nextPage = (): SimPage =>
    pages.length > 0 && random() < options.recrawlShare ? pages[pick(random, pages.length)]! : newPage();

  const answerFor = (node: SimNode, page: SimPage, kind: JobKind, now: number): Answer => {
    if (node.dishonest) {
      const fetchedByOthers = [...(recordedBy.get(page.url) ?? [])].some((owner) => owner !== node.owner);
      const view = { kind, url: page.url, host: page.host, fetchedByOthers };
      if (fabricates(options.strategy, view, node.memory, random)) {
        node.fabricated++;
        return world.fabricate(page, random);
      }
    }
    return world.fetch(page, now, random);
  };

  const votes: Vote[] = [];
  const result: RunResult = {
    dishonest: [],
    honestNodes: nodes.filter((node) => !node.dishonest).length,
    honestBanned: 0,
    honestQuarantined: 0,
    honestQuarantineSeconds: [],
    steady: zeroCounts(),
    total: zeroCounts(),
    settledToDishonest: 0,
    settledToHonest: 0,
    creditedToHonest: 0,
    undecided: 0,
    honestVotesLost: 0,
  };

  const standing = (node: SimNode): NodeStanding => standingOfTrust(node.trust);
  const update = (node: SimNode, trust: NodeTrust, reason: 'canary' | 'vote'): void => {
    if (!node.dishonest && trust.score.beta > node.trust.score.beta && reason === 'vote')
      result.honestVotesLost++;
    node.trust = trust;
    const now = standing(node);
    if (now === 'quarantined') node.everQuarantined = true;
    if (now === 'banned' && !node.banned) {
      node.banned = { jobs: node.jobsDone, reason };
    }
  };

  /** The oldest vote this node may fetch for: none of its ballots is by the node's owner or on its network. */
  const verificationFor = (node: SimNode, second: number): Vote | undefined => {
    const index = votes.findIndex(
      (vote) =>
        vote.readyAt <= second &&
        vote.nodes.every((other) => other.owner !== node.owner && other.network !== node.network),
    );
    return index < 0 ? undefined : votes.splice(index, 1)[0];
  };

  const countBallots = (vote: Vote, second: number, now: number): void => {
    const outcome = countVotes(vote.ballots);
    for (const node of vote.nodes)
      update(node, afterVote(node.trust, node.id, outcome, vote.page.url, now), 'vote');
    if (outcome.kind === 'needs-tiebreak') {
      votes.push({ ...vote, kind: 'tiebreak', readyAt: second + options.verifyDelayS });
    }
    if (outcome.kind === 'undecided') result.undecided++;
  };

  const settle = (now: number): void => {
    for (const node of nodes) {
      const nodeStanding = standing(node);
      for (const credit of node.credits) {
        if (credit.state !== 'pending') continue;
        const decision = settleDecision(nodeStanding, credit.creditedAt, now, { holdMs: options.holdMs });
        if (decision === 'wait') continue;
        credit.state = decision === 'settle' ? 'settled' : 'void';
        if (decision === 'settle' && node.dishonest) result.settledToDishonest++;
        if (decision === 'settle' && !node.dishonest) result.settledToHonest++;
      }
    }
  };

  for (let second = 0; second < options.horizonS; second++) {
    const now = EPOCH_MS + second * 1000;
    const steady = second >= options.steadyFromS;
    // Quarantined nodes ask first (they can only take verification work); then a rotation over the rest.
    const rotated = nodes.map((_, i) => nodes[(i + second) % nodes.length]!);
    const turn = [
      ...rotated.filter((node) => standing(node) === 'quarantined'),
      ...rotated.filter((node) => standing(node) !== 'quarantined'),
    ];
    for (const node of turn) {
      const nodeStanding = standing(node);
      if (nodeStanding === 'quarantined') node.quarantineSeconds++;
      if (nodeStanding === 'banned') continue;
      const count = (kind: JobKind): void => {
        node.jobsDone++;
        result.total[kind]++;
        if (steady) result.steady[kind]++;
      };

      if (canaryFor(nodeStanding, node.jobsDone, policy, random)) {
        const host = `www.field-notes-${pick(random, options.canaryHosts)}.example`;
        const url = `https://${host}/notes/${pick(random, 1_000_000)}`;
        const canary: SimPage = { url, host, textIndex: 0, dynamic: false };
        count('canary');
        const honest =
          !node.dishonest ||
          !fabricates(
            options.strategy,
            { kind: 'canary', url, host, fetchedByOthers: false },
            node.memory,
            random,
          );
        if (!honest) node.fabricated++;
        const body = honest
          ? canaryPageHtml(SECRET, url, now)
          : `<html><body><article>${world.textOf(world.fabricate(canary, random))}</article></body></html>`;
        update(node, afterCanary(node.trust, canaryAnswerHolds(SECRET, url, now, body), now), 'canary');
        continue;
      }

      const vote = verificationFor(node, second);
      if (vote) {
        count(vote.kind);
        const answer = answerFor(node, vote.page, vote.kind, now);
        vote.ballots = [...vote.ballots, { nodeId: node.id, fingerprint: world.fingerprintOf(answer) }];
        vote.nodes = [...vote.nodes, node];
        countBallots(vote, second, now);
        continue;
      }
      if (nodeStanding === 'quarantined') continue; // only verification work, and none is waiting

      const page = nextPage();
      count('page');
      const answer = answerFor(node, page, 'page', now);
      if (!recordedBy.has(page.url)) recordedBy.set(page.url, new Set());
      recordedBy.get(page.url)!.add(node.owner);
      node.credits.push({ creditedAt: now, state: 'pending' });
      if (!node.dishonest) result.creditedToHonest++;
      const index = node.trust.pagesDone;
      node.trust = afterPage(node.trust);
      if (checkFor(nodeStanding, index, policy, random)) {
        votes.push({
          page,
          ballots: [{ nodeId: node.id, fingerprint: world.fingerprintOf(answer) }],
          nodes: [node],
          kind: 'redundant',
          readyAt: second + options.verifyDelayS,
        });
      }
    }
    // A banned node's records are withdrawn: their pending checks are dropped.
    for (let i = votes.length - 1; i >= 0; i--) {
      if (votes[i]!.nodes[0]!.banned) votes.splice(i, 1);
    }
    if ((now - EPOCH_MS) % options.settleEveryMs === 0) settle(now);
  }
  settle(EPOCH_MS + options.horizonS * 1000);

  for (const node of nodes) {
    if (node.dishonest) {
      result.dishonest.push({
        fabricatedAtBan: node.fabricated,
        ...(node.banned ? { jobsAtBan: node.banned.jobs, reason: node.banned.reason } : {}),
      });
    } else {
      if (node.banned) result.honestBanned++;
      if (node.everQuarantined) {
        result.honestQuarantined++;
        result.honestQuarantineSeconds.push(node.quarantineSeconds);
      }
    }
  }
  return result;
}

/**
 * Honest owners with 1–3 nodes each on 1–2 networks drawn from a shared pool of /24 and /48 prefixes (so some owners
 * share a network, as on a campus or a cloud), and the dishonest owner: one node on a pool network, or for
 * `sybil` many nodes on a few networks.
 */
function buildNetwork(options: SimOptions, random: () => number): SimNode[] {
  const pool = Array.from({ length: options.networks }, (_, i) =>
    i % 2 === 0 ? `198.51.${i}.0/24` : `2001:db8:${i.toString(16)}::/48`,
  );
  const nodes: SimNode[] = [];
  const add = (owner: string, network: string, dishonest: boolean): void => {
    nodes.push({
      id: `n${nodes.length}`,
      owner,
      network,
      dishonest,
      trust: NEW_NODE_TRUST,
      jobsDone: 0,
      fabricated: 0,
      everQuarantined: false,
      quarantineSeconds: 0,
      memory: { hosts: new Map() },
      credits: [],
    });
  };
  for (let o = 0; o < options.honestOwners; o++) {
    const networks = [pool[pick(random, pool.length)]!];
    if (random() < 0.5) networks.push(pool[pick(random, pool.length)]!);
    const count = 1 + pick(random, 3);
    for (let n = 0; n < count; n++) add(`owner-${o}`, networks[n % networks.length]!, false);
  }
  if (options.strategy === 'sybil') {
    const offset = pick(random, pool.length);
    const networks = Array.from(
      { length: options.sybilNetworks },
      (_, i) => pool[(offset + i) % pool.length]!,
    );
    for (let n = 0; n < options.sybilNodes; n++) add('sybil', networks[n % networks.length]!, true);
  } else if (options.strategy !== 'honest-only') {
    add('dishonest', pool[pick(random, pool.length)]!, true);
  }
  return nodes;
}
