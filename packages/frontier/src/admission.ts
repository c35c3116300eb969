import {
  DEFAULT_POLITENESS,
  sha256Hex,
  TRAP_SKIP_REASONS,
  type CampaignSpec,
  type UrlSkipReason,
} from '@gleaner/core';
import type { UrlStore } from '@gleaner/db';
import type {
  FetchJobData,
  GleanerQueues,
  CappedCounter,
  LinkToAdmit,
  PolitenessSlots,
  SeenSet,
  SitemapTracker,
} from '@gleaner/queue';
import { CampaignScope, type SkipReason } from './campaign-scope.js';
import { normalizeUrl } from './normalize-url.js';
import { pageFetchJob } from './page-fetch-job.js';
import type { RobotsGate } from './robots-gate.js';
import {
  calendarKey,
  DEFAULT_TRAP_LIMITS,
  queryVariantKey,
  trapReason,
  type TrapLimits,
} from './trap-rules.js';

/** The campaign fields admission needs. */
export interface CampaignForAdmission {
  id: string;
  spec: CampaignSpec;
}

/** What one admission call did. */
export interface AdmissionResult {
  /** URLs newly queued for fetching (or re-queued on a retry). */
  queued: number;
  skipped: Record<SkipReason, number>;
}

/** Collaborators of {@link Admission}. */
export interface AdmissionDeps {
  urls: UrlStore;
  seen: SeenSet;
  queues: GleanerQueues;
  /** Counts admitted URLs per host, for `maxPagesPerHost`. */
  hostQuota: CappedCounter;
  /** Counts query variants per path and dated pages per calendar shape, for the trap caps. */
  trapCounters?: { queryVariants: CappedCounter; calendarRuns: CappedCounter };
  /** Trap limits; see {@link DEFAULT_TRAP_LIMITS}. */
  trapLimits?: Partial<TrapLimits>;
  politeness: PolitenessSlots;
  /** robots.txt in front of every fetch; without it every URL is fetched (tests of admission alone). */
  robots?: RobotsGate;
  /** Sitemaps a campaign waits for; without it sitemaps are not read. */
  sitemaps?: SitemapTracker;
}

/** Most sitemaps (indexes included) one campaign reads. */
export const MAX_SITEMAPS = 1000;

interface Candidate {
  url: string;
  depth: number;
  hash: string;
  host: string;
}

/** The hash that identifies a normalized URL within a campaign (128 bits of SHA-256, hex). */
export function urlHash(normalizedUrl: string): string {
  return sha256Hex(normalizedUrl).slice(0, 32);
}

/**
 * Admits links into a campaign: normalize, check depth and scope, pass the seen-set (which enforces max pages),
 * store the URL and queue its fetch job. Idempotent: a retried call re-queues exactly what may be missing.
 */
export class Admission {
  constructor(private readonly deps: AdmissionDeps) {}

  private readonly scopes = new WeakMap<CampaignSpec, CampaignScope>();

  /**
   * The campaign's scope, built once per spec object: a spec is never changed in place, and the campaign cache
   * (`CampaignStore.cache`) hands out the same object until the spec changes (an edit while paused gets a new one).
   */
  private scopeOf(campaign: CampaignForAdmission): CampaignScope {
    let scope = this.scopes.get(campaign.spec);
    if (!scope) {
      scope = new CampaignScope(campaign.spec);
      this.scopes.set(campaign.spec, scope);
    }
    return scope;
  }

  /** Admits `links`; set `retry` when this batch may have been partly admitted before. */
  async admit(campaign: CampaignForAdmission, links: LinkToAdmit[], retry = false): Promise<AdmissionResult> {
    const skipped: Record<SkipReason, number> = {
      scope: 0,
      pattern: 0,
      depth: 0,
      seen: 0,
      limit: 0,
      trap: 0,
      invalid: 0,
    };
    const scope = this.scopeOf(campaign);
    const normalization = campaign.spec.normalization ?? {};
    const candidates = new Map<string, Candidate>();
    for (const link of links) {
      const url = normalizeUrl(link.url, undefined, normalization);
      if (!url) {
        skipped.invalid++;
        continue;
      }
      if (link.depth > campaign.spec.maxDepth) {
        skipped.depth++;
        continue;
      }
      const reason = scope.check(url);
      if (reason) {
        skipped[reason]++;
        continue;
      }
      const hash = urlHash(url);
      const known = candidates.get(hash);
      if (!known || known.depth > link.depth)
        candidates.set(hash, { url, depth: link.depth, hash, host: new URL(url).host });
    }
    const list = [...candidates.values()];
    const verdicts = await this.deps.seen.admit(
      campaign.id,
      list.map((c) => c.hash),
      campaign.spec.maxPages,
    );
    const fresh = list.filter((_, i) => verdicts[i] === 'new');
    const again = retry ? list.filter((_, i) => verdicts[i] === 'seen') : [];
    skipped.seen += verdicts.filter((v) => v === 'seen').length;
    skipped.limit += verdicts.filter((v) => v === 'limit').length;
    const traps = await this.traps(campaign.id, fresh);
    const clean = fresh.filter((_, i) => !traps[i]);
    const perHostCap = campaign.spec.maxPagesPerHost;
    const fits = perHostCap
      ? await this.deps.hostQuota.take(
          campaign.id,
          clean.map((c) => c.host),
          perHostCap,
        )
      : clean.map(() => true);
    const toStore: (Candidate & { skipReason?: UrlSkipReason })[] = [
      ...fresh.flatMap((c, i) => (traps[i] ? [{ ...c, skipReason: traps[i] }] : [])),
      ...clean.map((c, i) => (fits[i] ? c : { ...c, skipReason: 'HOST_LIMIT' })),
      ...again,
    ];
    skipped.trap += traps.filter(Boolean).length;
    skipped.limit += fits.filter((ok) => !ok).length;
    const queuedRows = await this.deps.urls.admit(
      campaign.id,
      toStore.map((c) => ({
        url: c.url,
        urlHash: c.hash,
        host: c.host,
        depth: c.depth,
        ...(c.skipReason ? { skipReason: c.skipReason } : {}),
      })),
    );
    await this.enqueue(
      campaign,
      queuedRows.map((row) => pageFetchJob(campaign, row)),
    );
    return { queued: queuedRows.length, skipped };
  }

  /**
   * Queues sitemaps for a campaign, each once per round; returns how many were new. At most {@link MAX_SITEMAPS} in
   * a round.
   */
  async queueSitemaps(campaign: CampaignForAdmission, urls: string[]): Promise<number> {
    const tracker = this.deps.sitemaps;
    if (!tracker || urls.length === 0) return 0;
    const room = MAX_SITEMAPS - (await tracker.total(campaign.id));
    if (room <= 0) return 0;
    const fresh = await tracker.add(campaign.id, urls.slice(0, room));
    const round = await tracker.round(campaign.id);
    for (const url of fresh) await this.deps.queues.enqueueSitemap(campaign.id, url, round);
    return fresh.length;
  }

  /** Reads the sitemaps a host's robots.txt lists, once per campaign and host, unless the campaign opted out. */
  private async discoverSitemaps(campaign: CampaignForAdmission, host: string): Promise<void> {
    if (!this.deps.robots || !this.deps.sitemaps || campaign.spec.discoverSitemaps === false) return;
    const listed = await this.deps.robots.sitemapsFor(host);
    if (listed.length > 0 && (await this.deps.sitemaps.claimHost(campaign.id, host))) {
      await this.queueSitemaps(campaign, listed);
    }
  }

  /** For each new URL, the trap it falls into (`TRAP_…`), or undefined: the stateless rules, then the caps. */
  private async traps(campaignId: string, fresh: Candidate[]): Promise<(UrlSkipReason | undefined)[]> {
    const limits = { ...DEFAULT_TRAP_LIMITS, ...this.deps.trapLimits };
    const reasons: (UrlSkipReason | undefined)[] = fresh.map((c) => {
      const reason = trapReason(new URL(c.url), limits);
      return reason ? TRAP_SKIP_REASONS[reason] : undefined;
    });
    const counters = this.deps.trapCounters;
    if (!counters) return reasons;
    const withQuery = fresh
      .map((c, i) => ({ c, i }))
      .filter(({ c, i }) => !reasons[i] && new URL(c.url).search);
    const variantOk = await counters.queryVariants.take(
      campaignId,
      withQuery.map(({ c }) => queryVariantKey(new URL(c.url))),
      limits.maxQueryVariantsPerPath,
    );
    withQuery.forEach(({ i }, k) => {
      if (!variantOk[k]) reasons[i] = TRAP_SKIP_REASONS['query-variants'];
    });
    const dated = fresh
      .map((c, i) => ({ i, key: reasons[i] ? undefined : calendarKey(new URL(c.url)) }))
      .filter((d): d is { i: number; key: string } => d.key !== undefined);
    const calendarOk = await counters.calendarRuns.take(
      campaignId,
      dated.map((d) => d.key),
      limits.maxCalendarPagesPerKey,
    );
    dated.forEach(({ i }, k) => {
      if (!calendarOk[k]) reasons[i] = TRAP_SKIP_REASONS['calendar-run'];
    });
    return reasons;
  }

  /**
   * Queues fetch jobs of a campaign: each host's jobs pass its robots.txt (or wait for it) and are spread over time
   * by the host's politeness plan, so one host's backlog never holds up another host.
   */
  async enqueue(campaign: CampaignForAdmission, jobs: FetchJobData[]): Promise<void> {
    const pace = campaign.spec.politeness ?? DEFAULT_POLITENESS;
    const byHost = new Map<string, FetchJobData[]>();
    for (const job of jobs) {
      const host = new URL(job.url).host;
      const list = byHost.get(host);
      if (list) list.push(job);
      else byHost.set(host, [job]);
    }
    // Hosts are independent: plan them concurrently (pipelined round trips instead of one after another).
    const perHost = await Promise.all(
      [...byHost].map(async ([host, hostJobs]) => {
        const allowed = this.deps.robots ? await this.deps.robots.filter(host, hostJobs) : hostJobs;
        await this.discoverSitemaps(campaign, host);
        const delays = await this.deps.politeness.schedule(host, allowed.length, pace.minIntervalMs);
        return allowed.map((job, i) => ({ ...job, delayMs: delays[i] ?? 0 }));
      }),
    );
    const planned = perHost.flat();
    await this.deps.queues.enqueueFetches(planned, {
      ...(campaign.spec.priority === undefined ? {} : { campaignPriority: campaign.spec.priority }),
    });
  }
}
