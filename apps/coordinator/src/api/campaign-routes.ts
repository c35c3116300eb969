import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { ConflictError, NotFoundError, RetryableError, type CampaignStatus } from '@gleaner/core';
import {
  CampaignListSchema,
  CampaignSchema,
  CampaignStatsSchema,
  CampaignUrlListSchema,
  CreateCampaignBodySchema,
  IdParamSchema,
  UrlListQuerySchema,
} from '@gleaner/contracts';
import type { CampaignRow } from '@gleaner/db';
import type { ApiDeps } from './api-deps.js';
import { adminAuth, SecuritySchemes } from './auth.js';
import { errorResponses, jsonBody, jsonContent } from './route-helpers.js';
import { statsHead, toCampaign, toCampaignUrl } from './serializers.js';

const LIFECYCLE = [
  { action: 'pause', to: 'paused', done: 'paused' },
  { action: 'resume', to: 'running', done: 'resumed' },
  { action: 'cancel', to: 'cancelled', done: 'cancelled' },
] as const satisfies { action: string; to: CampaignStatus; done: string }[];

/** Registers the admin routes under `/v1/campaigns`. */
export function registerCampaignRoutes(app: OpenAPIHono, deps: ApiDeps): void {
  const common = {
    tags: ['Campaigns'],
    middleware: adminAuth(deps.adminToken),
    security: [{ [SecuritySchemes.admin]: [] }],
  };

  async function requireCampaign(id: string): Promise<CampaignRow> {
    const row = await deps.campaigns.get(id);
    if (!row) throw new NotFoundError(`campaign ${id} does not exist`);
    return row;
  }

  const create = createRoute({
    ...common,
    method: 'post',
    path: '/v1/campaigns',
    summary: 'Create a campaign and queue its seeds',
    request: jsonBody(CreateCampaignBodySchema, 'A name and the campaign spec'),
    responses: { 201: jsonContent(CampaignSchema, 'The new, running campaign'), ...errorResponses(400, 401) },
  });
  app.openapi(create, async (c) => {
    const { name, ...spec } = c.req.valid('json');
    const row = await deps.campaigns.create(name, spec);
    const links = spec.seeds.map((url) => ({ url, depth: 0 }));
    try {
      await deps.queues.admit({ campaignId: row.id, links, seed: true }, `seed-${row.id}`);
    } catch (error) {
      // A campaign whose seeds never reach the frontier would run forever; cancel it (best effort).
      await deps.campaigns.transition(row.id, 'cancelled').catch(() => undefined);
      throw new RetryableError('INTERNAL', 'could not queue the campaign seeds', { cause: error });
    }
    deps.logger.info({ campaignId: row.id, seeds: links.length }, 'campaign created');
    return c.json(toCampaign(row), 201);
  });

  const list = createRoute({
    ...common,
    method: 'get',
    path: '/v1/campaigns',
    summary: 'List campaigns, newest first',
    responses: { 200: jsonContent(CampaignListSchema, 'Every campaign'), ...errorResponses(401) },
  });
  app.openapi(list, async (c) => c.json({ campaigns: (await deps.campaigns.list()).map(toCampaign) }, 200));

  const get = createRoute({
    ...common,
    method: 'get',
    path: '/v1/campaigns/{id}',
    summary: 'Get a campaign',
    request: { params: IdParamSchema },
    responses: { 200: jsonContent(CampaignSchema, 'The campaign'), ...errorResponses(400, 401, 404) },
  });
  app.openapi(get, async (c) => c.json(toCampaign(await requireCampaign(c.req.valid('param').id)), 200));

  for (const { action, to, done } of LIFECYCLE) {
    const route = createRoute({
      ...common,
      method: 'post',
      path: `/v1/campaigns/{id}/${action}`,
      summary: `${action[0]!.toUpperCase()}${action.slice(1)} a campaign`,
      description: `Moves the campaign to \`${to}\`; already \`${to}\` is a no-op; an illegal move is a 409.`,
      request: { params: IdParamSchema },
      responses: {
        200: jsonContent(CampaignSchema, 'The updated campaign'),
        ...errorResponses(400, 401, 404, 409),
      },
    });
    app.openapi(route, async (c) => {
      const { id } = c.req.valid('param');
      const result = await deps.campaigns.transition(id, to);
      if (!result) throw new NotFoundError(`campaign ${id} does not exist`);
      if ('conflict' in result)
        throw new ConflictError(`campaign ${id} is ${result.conflict} and cannot be ${done}`);
      if (to === 'cancelled') await deps.urls.cancelPending(id);
      deps.logger.info({ campaignId: id, status: to }, 'campaign status changed');
      return c.json(toCampaign(result), 200);
    });
  }

  const stats = createRoute({
    ...common,
    method: 'get',
    path: '/v1/campaigns/{id}/stats',
    summary: "Get a campaign's progress counts",
    request: { params: IdParamSchema },
    responses: {
      200: jsonContent(CampaignStatsSchema, 'Counts and status'),
      ...errorResponses(400, 401, 404),
    },
  });
  app.openapi(stats, async (c) => {
    const row = await requireCampaign(c.req.valid('param').id);
    return c.json({ ...statsHead(row), ...(await deps.campaigns.stats(row.id)) }, 200);
  });

  const urls = createRoute({
    ...common,
    method: 'get',
    path: '/v1/campaigns/{id}/urls',
    summary: "List a campaign's URLs by id, optionally in one state and on one host",
    request: { params: IdParamSchema, query: UrlListQuerySchema },
    responses: {
      200: jsonContent(CampaignUrlListSchema, 'One page of URLs'),
      ...errorResponses(400, 401, 404),
    },
  });
  app.openapi(urls, async (c) => {
    const row = await requireCampaign(c.req.valid('param').id);
    const { state, host, limit, after } = c.req.valid('query');
    const rows = await deps.urls.list(row.id, {
      limit,
      ...(state ? { state } : {}),
      ...(host ? { host } : {}),
      ...(after ? { afterId: after } : {}),
    });
    const next = rows.length === limit ? rows.at(-1)!.id : null;
    return c.json({ urls: rows.map(toCampaignUrl), next }, 200);
  });
}
