import type { CampaignStats } from '@gleaner/contracts';
import type { CampaignRow } from '@gleaner/db';
import type { ApiDeps } from './api-deps.js';
import { campaignWarnings } from './campaign-warnings.js';
import { statsHead } from './serializers.js';

/** A campaign's stats as `GET /v1/campaigns/{id}/stats` and its event stream send them. */
export async function campaignStats(
  deps: Pick<ApiDeps, 'campaigns' | 'urls' | 'connectedNodes'>,
  row: CampaignRow,
): Promise<CampaignStats> {
  const counts = await deps.campaigns.stats(row.id);
  const nodes = deps.connectedNodes?.();
  const render = row.spec.render;
  // The render count is asked for only when it can matter: auto campaigns while no active node renders.
  const mayWaitForRender =
    render === 'auto' && nodes !== undefined && !nodes.some((n) => n.render && !n.paused);
  const warnings =
    nodes === undefined
      ? []
      : campaignWarnings({
          status: row.status,
          render,
          queued: counts.urls.queued,
          awaitingRender: mayWaitForRender ? await deps.urls.countAwaitingRender(row.id) : 0,
          nodes,
        });
  return { ...statsHead(row), ...counts, warnings };
}
