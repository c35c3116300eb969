import { DEFAULT_POLITENESS, type CampaignStatus } from '@gleaner/core';
import type { CampaignStore } from '@gleaner/db';
import { CampaignScope } from '@gleaner/frontier';
import type { HostPace } from '@gleaner/queue';

/** What the gateway needs to know of a campaign. */
export interface CampaignView {
  status: CampaignStatus | 'missing';
  pace: HostPace;
  /** The campaign's content types, when it narrows the nodes' defaults. */
  allowedContentTypes?: string[];
  /** The campaign's scope (undefined when the campaign is missing): where a redirect may lead. */
  scope?: CampaignScope;
}

/** Campaign states as the gateway sees them, refreshed at most every `ttlMs` (default 1 s). */
export class CampaignStatusCache {
  private readonly entries = new Map<string, CampaignView & { expiresAt: number }>();

  constructor(
    private readonly campaigns: CampaignStore,
    private readonly ttlMs = 1000,
  ) {}

  /** The campaign's status (`missing` when it does not exist) and its per-host pace. */
  async view(campaignId: string): Promise<CampaignView> {
    const cached = this.entries.get(campaignId);
    if (cached && cached.expiresAt > Date.now()) return cached;
    const row = await this.campaigns.get(campaignId);
    const entry = {
      status: row?.status ?? ('missing' as const),
      pace: { ...(row?.spec.politeness ?? DEFAULT_POLITENESS) },
      ...(row?.spec.allowedContentTypes ? { allowedContentTypes: row.spec.allowedContentTypes } : {}),
      ...(row ? { scope: new CampaignScope(row.spec) } : {}),
      expiresAt: Date.now() + this.ttlMs,
    };
    this.entries.set(campaignId, entry);
    return entry;
  }
}
