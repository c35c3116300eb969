import type { UrlStore } from '@gleaner/db';
import type { FetchJobData, GleanerQueues, PolitenessSlots, RobotsCache, SiteFile } from '@gleaner/queue';
import {
  ALLOW_ALL_ROBOTS,
  MAX_ROBOTS_BYTES,
  parseRobots,
  robotsPolicyForStatus,
  type RobotsRules,
} from './robots-rules.js';
import {
  MAX_TDMREP_BYTES,
  NO_TDMREP,
  parseTdmrep,
  TDMREP_PATH,
  type TdmDeclaration,
  type TdmrepRules,
} from './tdmrep-file.js';

/** Collaborators of the {@link RobotsGate}. */
export interface RobotsGateDeps {
  cache: RobotsCache;
  urls: UrlStore;
  queues: GleanerQueues;
  politeness: PolitenessSlots;
  /** Failed fetches (5xx, unreachable) in a row after which a host's waiting URLs fail. Default 3. */
  maxFailures?: number;
  /** How long a failed fetch keeps the host closed before the next try, ms. Default 60,000. */
  retryAfterMs?: number;
  /**
   * Whether a host's `/.well-known/tdmrep.json` is fetched (after its robots.txt, the same way) before its pages, so
   * each record carries the file's TDMRep declaration. Default false (the worker turns it on; tests of robots.txt
   * alone leave it off).
   */
  tdmrep?: boolean;
  /** How long a tdmrep.json that could not be fetched (5xx, unreachable) counts as absent, ms. Default 1 h. */
  tdmrepRetryMs?: number;
  /** Hosts whose owners had them removed (`SiteRemovalStore`): their URLs are skipped, `SITE_REMOVED`. */
  removals?: { isRemoved(host: string): Promise<boolean> };
}

/** What became of a robots.txt result. */
export interface RobotsOutcome {
  host: string;
  /** Parked jobs released (the caller queues them again through admission, which now finds the rules). */
  released: FetchJobData[];
  /** URLs failed because the robots.txt stayed unavailable. */
  failed: number;
}

/**
 * The site's choices in front of every fetch. robots.txt (RFC 9309): a host's robots.txt is fetched through the
 * nodes like any page and cached for a day; URLs wait (parked, never dropped) until it is known; disallowed URLs are
 * recorded as skipped with reason `ROBOTS`; Crawl-delay slows the host's politeness slot. TDMRep: the host's
 * `/.well-known/tdmrep.json` is fetched and cached the same way once its robots.txt is known, and its pages wait for
 * it too. A host its owner had removed is skipped whole (`SITE_REMOVED`).
 */
export class RobotsGate {
  private readonly parsed = new Map<string, { fetchedAt: number; rules: RobotsRules }>();
  private readonly parsedTdmrep = new Map<string, { fetchedAt: number; rules: TdmrepRules }>();

  constructor(private readonly deps: RobotsGateDeps) {}

  /** The jobs of one host that may be fetched now; the rest are parked or recorded as skipped. */
  async filter(host: string, jobs: FetchJobData[]): Promise<FetchJobData[]> {
    if (jobs.length === 0) return [];
    if (await this.deps.removals?.isRemoved(host)) {
      await this.deps.urls.markSkipped(
        jobs.map((job) => job.urlId),
        'SITE_REMOVED',
        "removed at its owner's request",
      );
      return [];
    }
    const cached = await this.deps.cache.get(host);
    const policy = cached ? robotsPolicyForStatus(cached.status || 'unreachable') : undefined;
    if (!cached || policy === 'disallow-all') {
      await this.deps.cache.park(host, jobs);
      if (!cached) await this.askFor(host, jobs[0]!);
      return [];
    }
    const rules = this.rulesFor(host, cached);
    const allowed: FetchJobData[] = [];
    const disallowed: number[] = [];
    for (const job of jobs) {
      const url = new URL(job.url);
      if (rules.isAllowed(`${url.pathname}${url.search}`)) allowed.push(job);
      else disallowed.push(job.urlId);
    }
    if (disallowed.length > 0)
      await this.deps.urls.markSkipped(disallowed, 'ROBOTS', 'disallowed by robots.txt');
    if (allowed.length > 0 && this.deps.tdmrep === true && !(await this.deps.cache.get(host, 'tdmrep'))) {
      await this.deps.cache.park(host, allowed);
      await this.askFor(host, allowed[0]!, 'tdmrep');
      return [];
    }
    return allowed;
  }

  /**
   * Ends a cancelled campaign's pending robots.txt fetches: the gateway skips its jobs, so they are never fetched,
   * and other campaigns' URLs on those hosts would wait out the claim. Each such host is asked again on behalf of a
   * campaign whose URLs wait there. Returns the hosts asked again.
   */
  async releaseCampaign(campaignId: string): Promise<string[]> {
    const asked: string[] = [];
    for (const host of await this.deps.cache.releaseClaims(campaignId)) {
      const waiting = await this.parkedOfAnother(host, campaignId);
      if (!waiting) continue;
      const missing: SiteFile | undefined = !(await this.deps.cache.get(host))
        ? 'robots'
        : this.deps.tdmrep === true && !(await this.deps.cache.get(host, 'tdmrep'))
          ? 'tdmrep'
          : undefined;
      if (missing && (await this.askFor(host, waiting, missing))) asked.push(host);
    }
    return asked;
  }

  /** Queues a fetch of the host's robots.txt (or tdmrep.json) for the job's campaign, unless one is pending; true if queued. */
  private async askFor(host: string, job: FetchJobData, file: SiteFile = 'robots'): Promise<boolean> {
    if (!(await this.deps.cache.claimFetch(host, job.campaignId, file))) return false;
    const origin = new URL(job.url).origin;
    await this.deps.queues.enqueueRobots(
      job.campaignId,
      origin,
      file === 'robots' ? '/robots.txt' : TDMREP_PATH,
    );
    return true;
  }

  /**
   * The TDMRep declaration the host's tdmrep.json makes for `url`, as cached now; undefined when the file declares
   * nothing for it (or is not known).
   */
  async tdmDeclarationFor(url: string): Promise<TdmDeclaration | undefined> {
    const target = new URL(url);
    const cached = await this.deps.cache.get(target.host, 'tdmrep');
    if (!cached) return undefined;
    const memo = this.parsedTdmrep.get(target.host);
    let rules = memo && memo.fetchedAt === cached.fetchedAt ? memo.rules : undefined;
    if (!rules) {
      rules = cached.status >= 200 && cached.status < 300 ? parseTdmrep(cached.text) : NO_TDMREP;
      if (this.parsedTdmrep.size > 10_000) this.parsedTdmrep.clear();
      this.parsedTdmrep.set(target.host, { fetchedAt: cached.fetchedAt, rules });
    }
    return rules.declarationFor(`${target.pathname}${target.search}`);
  }

  /** A job parked on the host by another campaign than `campaignId`, if any. */
  private async parkedOfAnother(host: string, campaignId: string): Promise<FetchJobData | undefined> {
    const page = 500;
    for (let start = 0; ; start += page) {
      const jobs = await this.deps.cache.parked(host, start, page);
      const other = jobs.find((job) => job.campaignId !== campaignId);
      if (other || jobs.length < page) return other;
    }
  }

  /**
   * How robots.txt allowed a fetch of `url` that the gate let through, as records publish it: `allowed` (its rules
   * allow the path), `allowed:no-robots-txt` (the host has none: RFC 9309 allows everything), or `allowed:expired`
   * (the cached copy has expired since the fetch was let through).
   */
  async decisionFor(url: string): Promise<string> {
    const cached = await this.deps.cache.get(new URL(url).host);
    if (!cached) return 'allowed:expired';
    const policy = robotsPolicyForStatus(cached.status || 'unreachable');
    return policy === 'allow-all' ? 'allowed:no-robots-txt' : 'allowed';
  }

  /** The sitemaps a host's robots.txt lists, once it is known (empty until then). */
  async sitemapsFor(host: string): Promise<string[]> {
    const cached = await this.deps.cache.get(host);
    if (!cached || robotsPolicyForStatus(cached.status || 'unreachable') !== 'parse') return [];
    return this.rulesFor(host, cached).sitemaps;
  }

  /**
   * Takes a fetched robots.txt or tdmrep.json (status 0 when unreachable), caches it and releases the host's parked
   * jobs (those still waiting for the other file park again as admission queues them).
   */
  async onFetched(url: string, status: number, body: Buffer): Promise<RobotsOutcome> {
    const host = new URL(url).host;
    if (new URL(url).pathname === TDMREP_PATH) return this.onTdmrepFetched(host, status, body);
    const policy = robotsPolicyForStatus(status || 'unreachable');
    if (policy === 'disallow-all') {
      const failures = await this.deps.cache.countFailure(host);
      if (failures < (this.deps.maxFailures ?? 3)) {
        // Closed for now: the parked URLs wait, and the next admission or the reconciler asks again.
        await this.deps.cache.set(
          host,
          { status, text: '', fetchedAt: Date.now() },
          this.deps.retryAfterMs ?? 60_000,
        );
        return { host, released: [], failed: 0 };
      }
      await this.deps.cache.set(host, { status, text: '', fetchedAt: Date.now() });
      const parked = await this.deps.cache.unpark(host);
      await this.deps.urls.markFailedMany(
        parked.map((j) => j.urlId),
        'ROBOTS_UNAVAILABLE',
        `robots.txt could not be fetched (${status ? `HTTP ${status}` : 'unreachable'})`,
      );
      return { host, released: [], failed: parked.length };
    }
    const text = policy === 'parse' ? body.subarray(0, MAX_ROBOTS_BYTES).toString('utf8') : '';
    const robots = { status, text, fetchedAt: Date.now() };
    await this.deps.cache.set(host, robots);
    await this.deps.cache.clearFailures(host);
    const rules = this.rulesFor(host, robots);
    if (rules.crawlDelayMs !== undefined) await this.deps.politeness.setCrawlDelay(host, rules.crawlDelayMs);
    return { host, released: await this.deps.cache.unpark(host), failed: 0 };
  }

  /**
   * A fetched tdmrep.json is cached whatever its status: a missing file (4xx) declares nothing for a day, one that
   * could not be fetched (5xx, unreachable) declares nothing for `tdmrepRetryMs` — an optional file never holds up
   * a host's pages for long.
   */
  private async onTdmrepFetched(host: string, status: number, body: Buffer): Promise<RobotsOutcome> {
    const ok = status >= 200 && status < 300;
    const text = ok ? body.subarray(0, MAX_TDMREP_BYTES).toString('utf8') : '';
    const unavailable = status === 0 || status >= 500 || status === 429;
    await this.deps.cache.set(
      host,
      { status, text, fetchedAt: Date.now() },
      unavailable ? (this.deps.tdmrepRetryMs ?? 3_600_000) : undefined,
      'tdmrep',
    );
    return { host, released: await this.deps.cache.unpark(host), failed: 0 };
  }

  private rulesFor(host: string, robots: { status: number; text: string; fetchedAt: number }): RobotsRules {
    const memo = this.parsed.get(host);
    if (memo && memo.fetchedAt === robots.fetchedAt) return memo.rules;
    const rules =
      robotsPolicyForStatus(robots.status) === 'parse' ? parseRobots(robots.text) : ALLOW_ALL_ROBOTS;
    if (this.parsed.size > 10_000) this.parsed.clear();
    this.parsed.set(host, { fetchedAt: robots.fetchedAt, rules });
    return rules;
  }
}
