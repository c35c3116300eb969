/**
 * What the dishonest owner does, one per run group. Every dishonest answer is the text of another corpus page
 * (a fabricated page that looks like a page); a canary it fabricates is answered with such a page too.
 */
export type Strategy =
  | 'always'
  | 'share-30'
  | 'fresh-only'
  | 'canary-aware-perfect'
  | 'canary-aware-learned'
  | 'sybil'
  | 'honest-only';

/** How the table names each strategy. */
export const STRATEGY_LABELS: Record<Strategy, string> = {
  always: '1 always fabricates',
  'share-30': '2 fabricates 30 % of pages',
  'fresh-only': '3 fabricates only pages no one else fetched',
  'canary-aware-perfect': '4a canary-aware: recognizes every canary',
  'canary-aware-learned': '4b canary-aware: learns canary hosts',
  sybil: '5 sybil: 20 fabricating nodes, 3 networks',
  'honest-only': '6 honest nodes only, all pages dynamic',
};

/** The kind of job a node is given; a dishonest node sees only a URL, never this. */
export type JobKind = 'page' | 'redundant' | 'tiebreak' | 'canary';

/** What a dishonest node can know when it decides whether to fabricate one job. */
export interface JobView {
  kind: JobKind;
  url: string;
  host: string;
  /** Whether a node of another owner has a record of this URL (the public record feed, verification jobs). */
  fetchedByOthers: boolean;
}

/** A dishonest node's memory: hosts it fetched for real once, and whether they served a canary. */
export interface AttackerMemory {
  hosts: Map<string, boolean>;
}

/** Share of pages strategy `share-30` fabricates. */
export const FABRICATE_SHARE = 0.3;

/**
 * Whether a dishonest node fabricates this job (true) or fetches it for real (false).
 * - `canary-aware-perfect` knows every canary (a node that fetches anyway, to poison the data, can read the canary
 *   template) and fabricates everything else;
 * - `canary-aware-learned` judges by URL alone: it fetches a host's first job for real and looks at it; later jobs
 *   on hosts that served a canary are fetched for real, on hosts that served ordinary pages fabricated.
 */
export function fabricates(
  strategy: Strategy,
  job: JobView,
  memory: AttackerMemory,
  random: () => number,
): boolean {
  switch (strategy) {
    case 'always':
    case 'sybil':
      return true;
    case 'share-30':
      return random() < FABRICATE_SHARE;
    case 'fresh-only':
      return !job.fetchedByOthers;
    case 'canary-aware-perfect':
      return job.kind !== 'canary';
    case 'canary-aware-learned': {
      const servedCanary = memory.hosts.get(job.host);
      if (servedCanary === undefined) {
        memory.hosts.set(job.host, job.kind === 'canary');
        return false;
      }
      return !servedCanary;
    }
    case 'honest-only':
      return false;
  }
}
