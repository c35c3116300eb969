import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { NotFoundError } from '@gleaner/core';
import {
  DatasetListSchema,
  DatasetSummarySchema,
  IdParamSchema,
  RecordParamsSchema,
  TombstoneSchema,
  WithdrawRecordBodySchema,
} from '@gleaner/contracts';
import type { ApiDeps } from './api-deps.js';
import { adminAuth, apiKeyAuth, SecuritySchemes } from './auth.js';
import { registerDatasetFeedRoutes } from './dataset-feed-routes.js';
import { errorResponses, jsonBody, jsonContent } from './route-helpers.js';
import { toDataset, toDatasetSummary, toTombstone } from './serializers.js';

/** The scope every dataset route needs. */
export const DATASETS_READ_SCOPE = 'datasets:read';

/** The OpenAPI security of the routes labs call with an API key. */
export const API_KEY_SECURITY = [SecuritySchemes.apiKey, SecuritySchemes.apiKeyHeader].map((name) => ({
  [name]: [] as string[],
}));

/** Registers the lab routes under `/v1/datasets`, and the admin's withdrawal of a record. */
export function registerDatasetRoutes(app: OpenAPIHono, deps: ApiDeps): void {
  const common = {
    tags: ['Datasets'],
    middleware: apiKeyAuth(deps, DATASETS_READ_SCOPE),
    security: API_KEY_SECURITY,
  };

  const list = createRoute({
    ...common,
    method: 'get',
    path: '/v1/datasets',
    summary: 'List datasets, newest first (those the key may read)',
    responses: {
      200: jsonContent(DatasetListSchema, 'Every dataset the key may read'),
      ...errorResponses(401, 403, 429),
    },
  });
  app.openapi(list, async (c) => {
    const allowed = c.get('apiKey').datasetIds;
    const rows = (await deps.datasets.list()).filter((row) => allowed === null || allowed.includes(row.id));
    return c.json({ datasets: rows.map(toDataset) }, 200);
  });

  const summary = createRoute({
    ...common,
    method: 'get',
    path: '/v1/datasets/{id}',
    summary: "A dataset's counts, bytes, languages, hosts and date range",
    request: { params: IdParamSchema },
    responses: {
      200: jsonContent(DatasetSummarySchema, 'The summary'),
      ...errorResponses(400, 401, 403, 404, 429),
    },
  });
  app.openapi(summary, async (c) => {
    const { id } = c.req.valid('param');
    const row = await deps.datasets.summary(id);
    if (!row) throw new NotFoundError(`dataset ${id} does not exist`);
    return c.json(toDatasetSummary(row), 200);
  });

  registerDatasetFeedRoutes(app, deps, common);

  const withdraw = createRoute({
    tags: ['Datasets'],
    middleware: adminAuth(deps.adminToken),
    security: [{ [SecuritySchemes.admin]: [] }],
    method: 'post',
    path: '/v1/datasets/{id}/records/{recordId}/withdraw',
    summary: 'Withdraw a record: it leaves the live feed, which then carries its tombstone',
    description:
      'The record disappears from the feed and the summary; readers following the cursor get a ' +
      '`{"type":"tombstone"}` line for it after its original position. Withdrawing again returns the first tombstone.',
    request: { params: RecordParamsSchema, ...jsonBody(WithdrawRecordBodySchema, 'Why') },
    responses: {
      200: jsonContent(TombstoneSchema, 'The tombstone the feed serves'),
      ...errorResponses(400, 401, 404),
    },
  });
  app.openapi(withdraw, async (c) => {
    const { id, recordId } = c.req.valid('param');
    if (!(await deps.datasets.hasRecord(id, recordId)))
      throw new NotFoundError(`dataset ${id} has no record ${recordId}`);
    const [tombstone] = await deps.records.withdrawRecords(
      [recordId],
      c.req.valid('json').reason,
      (fresh, tx) => deps.webhooks.publishWithdrawals(fresh, tx),
    );
    deps.logger.info({ datasetId: id, recordId }, 'record withdrawn');
    return c.json(toTombstone(tombstone!), 200);
  });
}
