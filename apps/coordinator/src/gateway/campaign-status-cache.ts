import type { CampaignStatus } from '@gleaner/core';
import type { CampaignStore } from '@gleaner/db';

/** Campaign states as the gateway sees them, refreshed at most every `ttlMs` (default 1 s). */
export class CampaignStatusCache {
  private readonly entries = new Map<string, { status: CampaignStatus | 'missing'; expiresAt: number }>();

  constructor(
    private readonly campaigns: CampaignStore,
    private readonly ttlMs = 1000,
  ) {}

  /** The campaign's status, or `missing` when it does not exist. */
  async status(campaignId: string): Promise<CampaignStatus | 'missing'> {
    const cached = this.entries.get(campaignId);
    if (cached && cached.expiresAt > Date.now()) return cached.status;
    const row = await this.campaigns.get(campaignId);
    const status = row?.status ?? 'missing';
    this.entries.set(campaignId, { status, expiresAt: Date.now() + this.ttlMs });
    return status;
  }
}
