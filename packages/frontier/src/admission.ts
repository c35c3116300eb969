import { DEFAULT_POLITENESS, sha256Hex, type CampaignSpec } from '@gleaner/core';
import type { UrlStore } from '@gleaner/db';
import type { GleanerQueues, HostQuota, LinkToAdmit, PolitenessSlots, SeenSet } from '@gleaner/queue';
import { CampaignScope, type SkipReason } from './campaign-scope.js';
import { normalizeUrl } from './normalize-url.js';

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
  hostQuota: HostQuota;
  politeness: PolitenessSlots;
}

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

  /** Admits `links`; set `retry` when this batch may have been partly admitted before. */
  async admit(campaign: CampaignForAdmission, links: LinkToAdmit[], retry = false): Promise<AdmissionResult> {
    const skipped: Record<SkipReason, number> = { scope: 0, pattern: 0, depth: 0, seen: 0, limit: 0, invalid: 0 };
    const scope = new CampaignScope(campaign.spec);
    const candidates = new Map<string, Candidate>();
    for (const link of links) {
      const url = normalizeUrl(link.url);
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
      if (!known || known.depth > link.depth) candidates.set(hash, { url, depth: link.depth, hash, host: new URL(url).host });
    }
    const list = [...candidates.values()];
    const verdicts = await this.deps.seen.admit(campaign.id, list.map((c) => c.hash), campaign.spec.maxPages);
    const fresh = list.filter((_, i) => verdicts[i] === 'new');
    const again = retry ? list.filter((_, i) => verdicts[i] === 'seen') : [];
    skipped.seen += verdicts.filter((v) => v === 'seen').length;
    skipped.limit += verdicts.filter((v) => v === 'limit').length;
    const perHostCap = campaign.spec.maxPagesPerHost;
    const fits = perHostCap
      ? await this.deps.hostQuota.take(campaign.id, fresh.map((c) => c.host), perHostCap)
      : fresh.map(() => true);
    const toStore: (Candidate & { skipReason?: string })[] = [
      ...fresh.map((c, i) => (fits[i] ? c : { ...c, skipReason: 'HOST_LIMIT' })),
      ...again,
    ];
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
    const pace = campaign.spec.politeness ?? DEFAULT_POLITENESS;
    const byHost = new Map<string, typeof queuedRows>();
    for (const row of queuedRows) byHost.set(row.host, [...(byHost.get(row.host) ?? []), row]);
    const jobs: Parameters<GleanerQueues['enqueueFetches']>[0] = [];
    for (const [host, rows] of byHost) {
      // Spread each host's jobs over time, so one host's backlog never blocks another host.
      const delays = await this.deps.politeness.schedule(host, rows.length, pace.minIntervalMs);
      rows.forEach((row, i) =>
        jobs.push({
          campaignId: campaign.id,
          urlId: row.id,
          url: row.url,
          depth: row.depth,
          render: campaign.spec.render,
          delayMs: delays[i] ?? 0,
        }),
      );
    }
    await this.deps.queues.enqueueFetches(jobs);
    return { queued: queuedRows.length, skipped };
  }
}
