import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { BadRequestError, ConflictError, NotFoundError } from '@gleaner/core';
import { CampaignSchema, CampaignBodySchema, IdParamSchema } from '@gleaner/contracts';
import type { ApiDeps } from './api-deps.js';
import { adminAuth, SecuritySchemes } from './auth.js';
import { errorResponses, jsonBody, jsonContent } from './route-helpers.js';
import { campaignStats } from './campaign-stats.js';
import { toCampaign } from './serializers.js';

/** How often the progress stream sends a stats event, ms. */
const EVENT_INTERVAL_MS = 1000;

/** Registers the campaign routes beyond the basic lifecycle: live progress (SSE) and editing a paused spec. */
export function registerCampaignLiveRoutes(app: OpenAPIHono, deps: ApiDeps): void {
  const common = {
    tags: ['Campaigns'],
    middleware: adminAuth(deps.adminToken),
    security: [{ [SecuritySchemes.admin]: [] }],
  };

  const events = createRoute({
    ...common,
    method: 'get',
    path: '/v1/campaigns/{id}/events',
    summary:
      'Live progress as server-sent events: a `stats` event every second, `end` when the campaign ends',
    request: { params: IdParamSchema },
    responses: {
      200: {
        description: 'A text/event-stream of `stats` events (the stats body as JSON)',
        content: { 'text/event-stream': { schema: z.string() } },
      },
      ...errorResponses(401, 404),
    },
  });
  app.openapi(events, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await deps.campaigns.get(id))) throw new NotFoundError(`campaign ${id} does not exist`);
    return streamSSE(c, async (stream) => {
      let open = true;
      stream.onAbort(() => {
        open = false;
      });
      while (open) {
        const row = await deps.campaigns.get(id);
        if (!row) break;
        const stats = await campaignStats(deps, row);
        await stream.writeSSE({ event: 'stats', data: JSON.stringify(stats) });
        if (row.status === 'completed' || row.status === 'cancelled') {
          await stream.writeSSE({ event: 'end', data: JSON.stringify({ status: row.status }) });
          break;
        }
        await stream.sleep(EVENT_INTERVAL_MS);
      }
    }) as never;
  });

  const edit = createRoute({
    ...common,
    method: 'put',
    path: '/v1/campaigns/{id}/spec',
    summary:
      "Replace a paused or draft campaign's spec (name, seeds, scope, limits, pace); a paused campaign's new seeds are queued at once",
    request: {
      params: IdParamSchema,
      ...jsonBody(CampaignBodySchema, 'A name and the new campaign spec'),
    },
    responses: {
      200: jsonContent(CampaignSchema, 'The campaign with its new spec'),
      ...errorResponses(400, 401, 404, 409),
    },
  });
  app.openapi(edit, async (c) => {
    const { id } = c.req.valid('param');
    const { name, ...spec } = c.req.valid('json');
    const row = await deps.campaigns.get(id);
    if (!row) throw new NotFoundError(`campaign ${id} does not exist`);
    if (row.status !== 'paused' && row.status !== 'draft')
      throw new ConflictError(`campaign ${id} is ${row.status}; pause it before editing`);
    const updated = await deps.campaigns.updateSpec(id, name, spec);
    if (!updated) throw new ConflictError(`campaign ${id} changed state while being edited`);
    const added = spec.seeds.filter((seed: string) => !row.spec.seeds.includes(seed));
    // A draft's seeds are queued when it starts.
    if (added.length > 0 && row.status === 'paused') {
      await deps.queues
        .admit(
          { campaignId: id, links: added.map((url: string) => ({ url, depth: 0 })) },
          `seed-${id}-${Date.now()}`,
        )
        .catch((error: unknown) => {
          throw new BadRequestError('could not queue the new seeds', { cause: error });
        });
    }
    return c.json(toCampaign(updated), 200);
  });
}
