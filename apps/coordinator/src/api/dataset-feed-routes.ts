import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { BlobNotFoundError } from '@gleaner/blob-store';
import { BadRequestError, NotFoundError } from '@gleaner/core';
import {
  FeedLineSchema,
  FeedQuerySchema,
  IdParamSchema,
  NEXT_CURSOR_HEADER,
  RECORD_COUNT_HEADER,
  RecordParamsSchema,
  TOMBSTONE_COUNT_HEADER,
} from '@gleaner/contracts';
import { decodeCursor, encodeCursor, FEED_START, type FeedFilter } from '@gleaner/db';
import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { ApiDeps } from './api-deps.js';
import { apiKeyAuth, type ApiKeyVariables } from './auth.js';
import { errorResponses } from './route-helpers.js';
import { encodeBody, negotiateCoding } from './response-encoding.js';
import { toDatasetRecord, toTombstone } from './serializers.js';

/**
 * The feed's media type. Typed as a plain string on purpose: @hono/zod-openapi reads `application/x-ndjson`
 * as a JSON type it cannot build, which would forbid the raw `Response` the feed returns.
 */
const NDJSON: string = 'application/x-ndjson';
/** The raw body's media type in the OpenAPI document (the response carries the page's own). */
const RAW: string = 'application/octet-stream';

/** The scope the raw-body route needs. */
export const RAW_READ_SCOPE = 'raw:read';

/** What every lab route shares: its tag, API-key middleware and OpenAPI security. */
interface LabRouteCommon {
  tags: string[];
  middleware: MiddlewareHandler<{ Variables: ApiKeyVariables }>;
  security: Record<string, string[]>[];
}

/** A media type safe to echo as a header (the node reported it; it must not smuggle anything else). */
const MEDIA_TYPE = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+(\s*;[\x20-\x7e]*)?$/;

/** Response headers of the compressed-or-not bodies. */
function encodingHeaders(coding: string): Record<string, string> {
  return { Vary: 'Accept-Encoding', ...(coding === 'identity' ? {} : { 'Content-Encoding': coding }) };
}

/** Registers `GET /v1/datasets/{id}/records` (the NDJSON feed) and the raw body of one record. */
export function registerDatasetFeedRoutes(app: OpenAPIHono, deps: ApiDeps, common: LabRouteCommon): void {
  const records = createRoute({
    ...common,
    method: 'get',
    path: '/v1/datasets/{id}/records',
    summary: "Read a dataset's live feed as NDJSON: records, and tombstones of withdrawn ones",
    description:
      `Pass the \`${NEXT_CURSOR_HEADER}\` header of each page as \`cursor\` to read the next one; every line ` +
      'appears exactly once, in a stable order, and a cursor never skips a late commit. Lines are told apart by ' +
      '`type`: `record`, or `tombstone` for a record withdrawn after it was published (delete it). An empty page ' +
      'returns the same cursor: poll it later for more. Filters apply to records and their tombstones alike; keep ' +
      'them the same for the whole walk. Answers in zstd or gzip when `Accept-Encoding` ' +
      'asks. A records quota cuts a page to the records left today.',
    request: { params: IdParamSchema, query: FeedQuerySchema },
    responses: {
      200: {
        description: 'Up to `limit` lines, one JSON object per line',
        headers: z.object({
          [NEXT_CURSOR_HEADER]: z.string().meta({ description: 'Cursor of the next page' }),
          [RECORD_COUNT_HEADER]: z.string().meta({ description: 'Record lines in this page' }),
          [TOMBSTONE_COUNT_HEADER]: z.string().meta({ description: 'Tombstone lines in this page' }),
        }),
        content: { [NDJSON]: { schema: FeedLineSchema } },
      },
      ...errorResponses(400, 401, 403, 404, 429),
    },
  });
  app.openapi(records, async (c) => {
    const { id } = c.req.valid('param');
    const { cursor: given, limit, fetchedSince, ...rest } = c.req.valid('query');
    const cursor = given === undefined ? FEED_START : decodeCursor(given);
    if (!cursor)
      throw new BadRequestError(`cursor is malformed: pass back a ${NEXT_CURSOR_HEADER} header value`);
    if (!(await deps.datasets.exists(id))) throw new NotFoundError(`dataset ${id} does not exist`);
    const filter: FeedFilter = { ...rest, ...(fetchedSince ? { fetchedSince: new Date(fetchedSince) } : {}) };
    const recordsLeft = c.get('recordsLeft');
    const page = await deps.datasets.feed(id, cursor, Math.min(limit, recordsLeft ?? limit), filter);
    const lines = page.entries.map((entry) =>
      entry.type === 'record' ? toDatasetRecord(entry.record) : toTombstone(entry.tombstone),
    );
    const recordCount = lines.filter((line) => line.type === 'record').length;
    const body = Buffer.from(lines.map((line) => `${JSON.stringify(line)}\n`).join(''), 'utf8');
    await deps.limiter.record(c.get('apiKey').id, { records: recordCount, bytes: body.length });
    const next = page.entries.length > 0 ? encodeCursor(page.next) : (given ?? encodeCursor(FEED_START));
    const coding = negotiateCoding(c.req.header('accept-encoding'));
    return new Response(await encodeBody(body, coding), {
      status: 200,
      headers: {
        'Content-Type': `${NDJSON}; charset=utf-8`,
        'Cache-Control': 'no-store',
        ...encodingHeaders(coding),
        [NEXT_CURSOR_HEADER]: next,
        [RECORD_COUNT_HEADER]: String(recordCount),
        [TOMBSTONE_COUNT_HEADER]: String(lines.length - recordCount),
      },
    });
  });

  const raw = createRoute({
    ...common,
    middleware: apiKeyAuth(deps, RAW_READ_SCOPE),
    method: 'get',
    path: '/v1/datasets/{id}/records/{recordId}/raw',
    summary: 'The raw response body a live record was extracted from (needs the `raw:read` scope)',
    description:
      "Served with the page's own `Content-Type`, in a sandbox (`Content-Security-Policy: sandbox`) so a page " +
      "never runs as this origin. Its SHA-256 is the record's `bodySha256`. Counts against the bytes quota.",
    request: { params: RecordParamsSchema },
    responses: {
      200: { description: 'The body, byte for byte', content: { [RAW]: { schema: z.string() } } },
      ...errorResponses(400, 401, 403, 404, 429),
    },
  });
  app.openapi(raw, async (c) => {
    const { id, recordId } = c.req.valid('param');
    const row = await deps.datasets.liveRecord(id, recordId);
    if (!row) throw new NotFoundError(`dataset ${id} has no live record ${recordId}`);
    let body: Buffer;
    try {
      body = await deps.blobs.get(row.blobKey);
    } catch (error) {
      if (error instanceof BlobNotFoundError)
        throw new NotFoundError(`the raw body of record ${recordId} is no longer stored`);
      throw error;
    }
    await deps.limiter.record(c.get('apiKey').id, { records: 0, bytes: body.length });
    const coding = negotiateCoding(c.req.header('accept-encoding'));
    return new Response(await encodeBody(body, coding), {
      status: 200,
      headers: {
        'Content-Type': row.contentType !== null && MEDIA_TYPE.test(row.contentType) ? row.contentType : RAW,
        'Content-Security-Policy': "sandbox; default-src 'none'",
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'private, max-age=86400, immutable',
        ...encodingHeaders(coding),
      },
    });
  });
}
