import { DEFAULT_POLITENESS, type CampaignStatus } from '@gleaner/core';
import type { CampaignRow, CampaignStore } from '@gleaner/db';
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

const MISSING: CampaignView = Object.freeze({ status: 'missing', pace: { ...DEFAULT_POLITENESS } });

/**
 * Campaigns as the gateway sees them, read through the coordinator's shared campaign cache (`CampaignStore.cache`,
 * 1 s; this coordinator's own writes are seen at once) and derived once per row read.
 */
export class CampaignStatusCache {
  private readonly views = new WeakMap<CampaignRow, CampaignView>();

  constructor(private readonly campaigns: CampaignStore) {}

  /** The campaign's status (`missing` when it does not exist) and its per-host pace. */
  async view(campaignId: string): Promise<CampaignView> {
    const row = await this.campaigns.cache.get(campaignId);
    if (!row) return MISSING;
    let view = this.views.get(row);
    if (!view) {
      view = {
        status: row.status,
        pace: { ...(row.spec.politeness ?? DEFAULT_POLITENESS) },
        ...(row.spec.allowedContentTypes ? { allowedContentTypes: row.spec.allowedContentTypes } : {}),
        scope: new CampaignScope(row.spec),
      };
      this.views.set(row, view);
    }
    return view;
  }
}
