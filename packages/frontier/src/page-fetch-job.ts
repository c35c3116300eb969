import type { CampaignSpec } from '@gleaner/core';
import type { UrlRow } from '@gleaner/db';
import type { FetchJobData } from '@gleaner/queue';

/**
 * The fetch job of a campaign's URL row in the row's round: after the first crawl it carries the validators of the
 * recorded copy, so the node asks conditionally and an unchanged page costs a 304.
 */
export function pageFetchJob(campaign: { id: string; spec: CampaignSpec }, row: UrlRow): FetchJobData {
  const conditional = {
    ...(row.etag ? { etag: row.etag } : {}),
    ...(row.lastModified ? { lastModified: row.lastModified } : {}),
  };
  return {
    kind: 'page',
    campaignId: campaign.id,
    urlId: row.id,
    url: row.url,
    depth: row.depth,
    render: campaign.spec.render,
    ...(row.round > 0 ? { round: row.round } : {}),
    ...(row.round > 0 && (row.etag || row.lastModified) ? { conditional } : {}),
  };
}
