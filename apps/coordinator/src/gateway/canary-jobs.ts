import { canaryAnswerHolds, canaryFor, type NodeStanding, type VerificationPolicy } from '@gleaner/trust';

/** Where canary pages are served and the secret their rotating content derives from. */
export interface CanaryOptions {
  /** Canary page URLs the operator serves (`canaryPageHtml` of @gleaner/trust, or the same construction). */
  urls: readonly string[];
  /** The operator's secret behind the pages' nonces. */
  secret: string;
  /** Shares of canary jobs (defaults of @gleaner/trust). */
  policy?: VerificationPolicy;
  /** Injectable for tests. Default Math.random. */
  random?: () => number;
}

/** How many recent real jobs' campaign ids and attempts a canary copies its shape from. */
const SHAPE_MEMORY = 64;
/** How recent another owner's right answer to a canary URL must be for a wrong one to count as proof, ms. */
const WORKING_CANARY_MS = 10 * 60_000;

/** What one canary answer says: right, wrong while the page is known to work (proof), or wrong unconfirmed. */
export type CanaryVerdict = 'passed' | 'failed' | 'unconfirmed';

/** What a canary job copies from real ones, so that no field sets it apart. */
export interface CanaryShape {
  campaignId: string;
  attempt: number;
}

/**
 * Canary jobs: pages whose content the coordinator knows at every moment, mixed into every node's work at the
 * shares the trust policy gives for its standing. A canary is shaped like the real jobs around it — it carries the
 * campaign id and the lease attempt of a recent real job, an opaque job id like every job, and the same limits —
 * and a wrong answer to it is proof of fabrication.
 */
export class CanaryJobs {
  private readonly shapes: CanaryShape[] = [];
  /** The last right answer to each canary URL: by which owner, when. */
  private readonly lastPassed = new Map<string, { ownerId: string; at: number }>();
  private readonly random: () => number;

  constructor(private readonly options: CanaryOptions) {
    this.random = options.random ?? Math.random;
  }

  /** Remembers a real job's shape, for canaries to copy. */
  observe(shape: CanaryShape): void {
    this.shapes.push(shape);
    if (this.shapes.length > SHAPE_MEMORY) this.shapes.shift();
  }

  /**
   * The canary to send a node now, or undefined: none while no real job has been seen (a canary must look like
   * one), and otherwise at the share its standing and its answered jobs call for.
   */
  next(standing: NodeStanding, jobsDone: number): { url: string; shape: CanaryShape } | undefined {
    const { urls } = this.options;
    if (urls.length === 0 || this.shapes.length === 0) return undefined;
    if (!canaryFor(standing, jobsDone, this.options.policy, this.random)) return undefined;
    const url = urls[Math.floor(this.random() * urls.length)]!;
    const shape = this.shapes[Math.floor(this.random() * this.shapes.length)]!;
    return { url, shape };
  }

  /**
   * Judges an answer against what the canary page served around `fetchedAt`. A wrong answer is proof only while the
   * page is known to work — another owner's node answered it right lately — so a canary page that broke (an
   * operator's mistake, an outage) bans nobody; until then it is `unconfirmed`.
   */
  judge(url: string, ownerId: string, fetchedAt: string, body: Buffer, now = Date.now()): CanaryVerdict {
    if (canaryAnswerHolds(this.options.secret, url, Date.parse(fetchedAt), body.toString('utf8'))) {
      this.lastPassed.set(url, { ownerId, at: now });
      return 'passed';
    }
    const last = this.lastPassed.get(url);
    return last && last.ownerId !== ownerId && now - last.at <= WORKING_CANARY_MS ? 'failed' : 'unconfirmed';
  }
}
