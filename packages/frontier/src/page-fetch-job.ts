import type { CampaignSpec } from '@gleaner/core';
import type { UrlRow } from '@gleaner/db';
import type { FetchJobData } from '@gleaner/queue';

/**
 * The fetch job of a campaign's URL row in the row's round: rendered as the campaign's render policy says (under
 * `auto`, once the plain fetch looked like it needed JavaScript); after the first crawl it carries the validators
 * of the recorded copy, so the node asks conditionally and an unchanged page costs a 304.
 */
export function pageFetchJob(campaign: { id: string; spec: CampaignSpec }, row: UrlRow): FetchJobData {
  const conditional = {
    ...(row.etag ? { etag: row.etag } : {}),
    ...(row.lastModified ? { lastModified: row.lastModified } : {}),
  };
  const rerender = campaign.spec.render === 'auto' && row.needsRender;
  return {
    kind: 'page',
    campaignId: campaign.id,
    urlId: row.id,
    url: row.url,
    depth: row.depth,
    render: campaign.spec.render === 'always' || rerender,
    ...(rerender ? { rerender } : {}),
    ...(row.round > 0 ? { round: row.round } : {}),
    ...(row.round > 0 && (row.etag || row.lastModified) ? { conditional } : {}),
  };
}
