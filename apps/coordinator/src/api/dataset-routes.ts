import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { BadRequestError, NotFoundError } from '@gleaner/core';
import {
  DatasetListSchema,
  DatasetRecordSchema,
  DatasetSummarySchema,
  FeedQuerySchema,
  IdParamSchema,
  NEXT_CURSOR_HEADER,
  RECORD_COUNT_HEADER,
} from '@gleaner/contracts';
import { decodeCursor, encodeCursor, FEED_START } from '@gleaner/db';
import { z } from 'zod';
import type { ApiDeps } from './api-deps.js';
import { apiKeyAuth, SecuritySchemes } from './auth.js';
import { errorResponses, jsonContent } from './route-helpers.js';
import { toDataset, toDatasetRecord, toDatasetSummary } from './serializers.js';

/**
 * The feed's media type. Typed as a plain string on purpose: @hono/zod-openapi reads `application/x-ndjson`
 * as a JSON type it cannot build, which would forbid the raw `Response` the feed returns.
 */
const NDJSON: string = 'application/x-ndjson';

/** The scope every dataset route needs. */
export const DATASETS_READ_SCOPE = 'datasets:read';

/** Registers the lab routes under `/v1/datasets`. */
export function registerDatasetRoutes(app: OpenAPIHono, deps: ApiDeps): void {
  const common = {
    tags: ['Datasets'],
    middleware: apiKeyAuth(deps.accounts, DATASETS_READ_SCOPE),
    security: [SecuritySchemes.apiKey, SecuritySchemes.apiKeyHeader].map((name) => ({
      [name]: [] as string[],
    })),
  };

  async function requireDataset(id: string): Promise<void> {
    const row = await deps.db.query.datasets.findFirst({
      where: (d, { eq }) => eq(d.id, id),
      columns: { id: true },
    });
    if (!row) throw new NotFoundError(`dataset ${id} does not exist`);
  }

  const list = createRoute({
    ...common,
    method: 'get',
    path: '/v1/datasets',
    summary: 'List datasets, newest first',
    responses: { 200: jsonContent(DatasetListSchema, 'Every dataset'), ...errorResponses(401, 403) },
  });
  app.openapi(list, async (c) => c.json({ datasets: (await deps.datasets.list()).map(toDataset) }, 200));

  const summary = createRoute({
    ...common,
    method: 'get',
    path: '/v1/datasets/{id}',
    summary: "A dataset's counts, bytes, languages, hosts and date range",
    request: { params: IdParamSchema },
    responses: {
      200: jsonContent(DatasetSummarySchema, 'The summary'),
      ...errorResponses(400, 401, 403, 404),
    },
  });
  app.openapi(summary, async (c) => {
    const { id } = c.req.valid('param');
    const row = await deps.datasets.summary(id);
    if (!row) throw new NotFoundError(`dataset ${id} does not exist`);
    return c.json(toDatasetSummary(row), 200);
  });

  const records = createRoute({
    ...common,
    method: 'get',
    path: '/v1/datasets/{id}/records',
    summary: "Read a dataset's live feed as NDJSON, one record per line",
    description:
      `Pass the \`${NEXT_CURSOR_HEADER}\` header of each page as \`cursor\` to read the next one; every record ` +
      'appears exactly once, in a stable order. An empty page returns the same cursor: poll it later for more.',
    request: { params: IdParamSchema, query: FeedQuerySchema },
    responses: {
      200: {
        description: 'Up to `limit` records, one JSON object per line',
        headers: z.object({
          [NEXT_CURSOR_HEADER]: z.string().meta({ description: 'Cursor of the next page' }),
          [RECORD_COUNT_HEADER]: z.string().meta({ description: 'Records in this page' }),
        }),
        content: { [NDJSON]: { schema: DatasetRecordSchema } },
      },
      ...errorResponses(400, 401, 403, 404),
    },
  });
  app.openapi(records, async (c) => {
    const { id } = c.req.valid('param');
    const { cursor: given, limit } = c.req.valid('query');
    const cursor = given === undefined ? FEED_START : decodeCursor(given);
    if (!cursor)
      throw new BadRequestError('cursor is malformed: pass back a Gleaner-Next-Cursor header value');
    await requireDataset(id);
    const page = await deps.datasets.feed(id, cursor, limit);
    const next = page.records.length > 0 ? encodeCursor(page.next) : (given ?? encodeCursor(FEED_START));
    const body = page.records.map((row) => `${JSON.stringify(toDatasetRecord(row))}\n`).join('');
    return new Response(body, {
      status: 200,
      headers: {
        'Content-Type': `${NDJSON}; charset=utf-8`,
        'Cache-Control': 'no-store',
        [NEXT_CURSOR_HEADER]: next,
        [RECORD_COUNT_HEADER]: String(page.records.length),
      },
    });
  });
}
