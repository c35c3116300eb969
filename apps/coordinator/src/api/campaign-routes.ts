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
import { campaignStats } from './campaign-stats.js';
import { toCampaign, toCampaignUrl } from './serializers.js';

const LIFECYCLE = [
  { action: 'pause', to: 'paused', done: 'paused', from: ['running'] },
  { action: 'resume', to: 'running', done: 'resumed', from: ['paused'] },
  { action: 'cancel', to: 'cancelled', done: 'cancelled', from: undefined },
] as const satisfies {
  action: string;
  to: CampaignStatus;
  done: string;
  from: readonly CampaignStatus[] | undefined;
}[];

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
    summary: 'Create a campaign and queue its seeds (or keep it as a draft)',
    request: jsonBody(CreateCampaignBodySchema, 'A name and the campaign spec'),
    responses: {
      201: jsonContent(CampaignSchema, 'The new campaign: running, or a draft'),
      ...errorResponses(400, 401),
    },
  });
  app.openapi(create, async (c) => {
    const { name, draft, ...spec } = c.req.valid('json');
    const row = await deps.campaigns.create(name, spec, draft ? 'draft' : 'running');
    if (!draft) await queueSeeds(row);
    deps.logger.info({ campaignId: row.id, seeds: spec.seeds.length, draft }, 'campaign created');
    return c.json(toCampaign(row), 201);
  });

  async function queueSeeds(row: CampaignRow): Promise<void> {
    const links = row.spec.seeds.map((url) => ({ url, depth: 0 }));
    try {
      await deps.queues.admit({ campaignId: row.id, links, seed: true }, `seed-${row.id}`);
    } catch (error) {
      // A campaign whose seeds never reach the frontier would run forever; cancel it (best effort).
      await deps.campaigns.transition(row.id, 'cancelled').catch(() => undefined);
      throw new RetryableError('INTERNAL', 'could not queue the campaign seeds', { cause: error });
    }
  }

  const start = createRoute({
    ...common,
    method: 'post',
    path: '/v1/campaigns/{id}/start',
    summary: 'Start a draft campaign: it runs and its seeds are queued',
    description:
      'Only a draft can be started; starting a running campaign is a no-op; anything else is a 409.',
    request: { params: IdParamSchema },
    responses: {
      200: jsonContent(CampaignSchema, 'The running campaign'),
      ...errorResponses(400, 401, 404, 409),
    },
  });
  app.openapi(start, async (c) => {
    const { id } = c.req.valid('param');
    const before = await requireCampaign(id);
    if (before.status === 'running') return c.json(toCampaign(before), 200);
    const result = await deps.campaigns.transition(id, 'running', ['draft']);
    if (!result) throw new NotFoundError(`campaign ${id} does not exist`);
    if ('conflict' in result) throw new ConflictError(`campaign ${id} is ${result.conflict}, not a draft`);
    await queueSeeds(result);
    deps.logger.info({ campaignId: id }, 'campaign started');
    return c.json(toCampaign(result), 200);
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

  for (const { action, to, done, from } of LIFECYCLE) {
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
      const result = await deps.campaigns.transition(id, to, from ? [...from] : undefined);
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
    return c.json(await campaignStats(deps, row), 200);
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
