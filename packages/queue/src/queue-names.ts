/** Names of Gleaner's BullMQ queues. */
export const QueueNames = {
  /** URLs to fetch, leased to nodes by the gateway. */
  fetch: 'fetch',
  /** Fetched responses for the pipeline. */
  process: 'process',
  /** Links (seeds and outlinks) waiting for admission. */
  frontier: 'frontier',
} as const;

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

/** What a fetch job fetches: a campaign's page, a host's robots.txt, or a sitemap (the last two have `urlId` 0). */
export type FetchKind = 'page' | 'robots' | 'sitemap';

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
}
