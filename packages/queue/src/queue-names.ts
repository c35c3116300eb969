/** Names of Gleaner's BullMQ queues. */
export const QueueNames = {
  /** URLs to fetch, leased to nodes by the gateway. */
  fetch: 'fetch',
  /** Fetched responses for the pipeline. */
  process: 'process',
  /** Links (seeds and outlinks) waiting for admission. */
  frontier: 'frontier',
  /** Points after verification: the settle sweep, and the consequences of a ban. */
  settle: 'settle',
  /** Dataset snapshots to build and publish. */
  snapshot: 'snapshot',
} as const;

/**
 * Data of a `snapshot` job: a requested snapshot to build (its row holds the rest), or the periodic check that cuts
 * scheduled snapshots and queues builds whose job was lost.
 */
export type SnapshotJobData = { kind: 'build'; snapshotId: string } | { kind: 'schedule' };

/** Data of a `settle` job: the periodic sweep, or a node's ban to carry out (void its points, withdraw its records). */
export type SettleJobData = { kind: 'sweep' } | { kind: 'ban'; nodeId: string; reason: string };

/** A link waiting for admission into a campaign. */
export interface LinkToAdmit {
  url: string;
  /** Links followed from a seed to reach it (seeds are 0). */
  depth: number;
}

/** Data of a `frontier` job. */
export interface FrontierJobData {
  campaignId: string;
  links: LinkToAdmit[];
  /** Set for the campaign's seeds: the campaign counts as seeded once this job is done. */
  seed?: boolean;
}

/**
 * What a fetch job fetches: a campaign's page, a host's robots.txt, a sitemap, or a page again for a verification
 * vote (a redundant fetch by a node of another owner and network). All but pages have `urlId` 0.
 */
export type FetchKind = 'page' | 'robots' | 'sitemap' | 'verify';

/** Data of a `fetch` job. */
export interface FetchJobData {
  kind?: FetchKind;
  campaignId: string;
  urlId: number;
  url: string;
  depth: number;
  render: boolean;
  /** The campaign round (0: the first crawl; absent means 0). */
  round?: number;
  /** The rendered fetch of a page whose plain fetch looked like it needed JavaScript (render policy `auto`). */
  rerender?: boolean;
  /** Validators of the copy already recorded: the node asks with `If-None-Match` / `If-Modified-Since`. */
  conditional?: ConditionalValidators;
  /** Nodes that let a lease of this job lapse: it never goes back to them. */
  avoidNodes?: string[];
  /** The verification vote a `verify` fetch casts a ballot in. */
  verificationId?: string;
  /** Owners and networks (address prefixes) whose nodes may not take it: those already in its vote. */
  avoidOwners?: string[];
  avoidNetworks?: string[];
}

/** Validators from a page's last response, for a conditional request. */
export interface ConditionalValidators {
  etag?: string;
  lastModified?: string;
}

/**
 * Data of a `process` job: a verified node result whose body is in the blob store. For robots.txt and sitemaps the
 * status is 0 when the fetch failed (`errorCode` says why) and the body is then empty.
 */
export interface ProcessJobData {
  kind?: FetchKind;
  errorCode?: string;
  campaignId: string;
  urlId: number;
  url: string;
  depth: number;
  finalUrl: string;
  status: number;
  headers: Record<string, string>;
  bodySha256: string;
  bodyBytes: number;
  blobKey: string;
  nodeId: string;
  ownerId: string;
  fetchedAt: string;
  /** The campaign round that fetched it (absent means 0). */
  round?: number;
  /** Fetched rendered because the plain fetch looked like it needed JavaScript. */
  rerender?: boolean;
  /** The fetch job's id and lease attempt, and the redirect chain the node reported: with `signature`, the record's provenance. */
  jobId?: string;
  attempt?: number;
  redirects?: string[];
  /** The node's Ed25519 signature (base64) over `resultMessage(...)` of the result, kept as the record's provenance. */
  signature?: string;
  /** The network (address prefix) of the node's session. */
  network?: string;
  /** The verification vote a `verify` fetch casts a ballot in. */
  verificationId?: string;
}
