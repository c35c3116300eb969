import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { BadRequestError, ERROR_TABLE, isErrorCode, NotFoundError } from '@gleaner/core';
import {
  NodeIdParamSchema,
  NodeOutcomesQuerySchema,
  NodeOutcomesSchema,
  UrlOutcomesBodySchema,
  UrlOutcomesSchema,
  type UrlOutcome,
} from '@gleaner/contracts';
import { parseOutcomeCursor, PointsStore, type UrlStateRow } from '@gleaner/db';
import { urlHash } from '@gleaner/frontier';
import type { ApiDeps } from './api-deps.js';
import { ownerAuth, SecuritySchemes } from './auth.js';
import { errorResponses, jsonBody, jsonContent } from './route-helpers.js';

/** Longest error message an outcome carries, characters. */
const MAX_MESSAGE_CHARS = 300;

/** What a URL's state says became of it (see `UrlOutcomeSchema`). */
export function urlOutcomeOf(row: Pick<UrlStateRow, 'state' | 'errorCode'>): UrlOutcome['outcome'] {
  switch (row.state) {
    case 'done':
    case 'duplicate':
      return 'done';
    case 'failed':
      // The gateway's refusals (a redirect out of scope, a bad result) are the result's fault, not the page's.
      return row.errorCode !== null &&
        isErrorCode(row.errorCode) &&
        ERROR_TABLE[row.errorCode].origin === 'gateway'
        ? 'rejected'
        : 'failed';
    case 'skipped':
    case 'cancelled':
      return 'rejected';
    default:
      return 'waiting';
  }
}

/**
 * Registers the contributor's view of what became of a node's fetches: its records, duplicates and withdrawn
 * records with their points (`GET /v1/me/nodes/{nodeId}/outcomes`), and the state of URLs it fetched that have no
 * outcome of their own (`POST /v1/me/nodes/{nodeId}/outcomes/urls`). Only the node's own owner may ask.
 */
export function registerOutcomeRoutes(app: OpenAPIHono, deps: ApiDeps): void {
  const points = new PointsStore(deps.db);
  const owner = {
    tags: ['Contributors'],
    middleware: ownerAuth(deps.accounts),
    security: [{ [SecuritySchemes.owner]: [] }],
  };

  /** The node, if it is the caller's; a node of someone else is as unknown as one that does not exist. */
  async function ownNode(nodeId: string, ownerId: string): Promise<void> {
    const node = await deps.accounts.getNode(nodeId);
    if (!node || node.ownerId !== ownerId) throw new NotFoundError(`no node ${nodeId} of yours`);
  }

  const list = createRoute({
    ...owner,
    method: 'get',
    path: '/v1/me/nodes/{nodeId}/outcomes',
    summary:
      "What became of the caller's node's fetches: records, duplicates and withdrawn records with their points " +
      '(pending, settled, voided, reversed), by last change',
    request: { params: NodeIdParamSchema, query: NodeOutcomesQuerySchema },
    responses: {
      200: jsonContent(NodeOutcomesSchema, 'A page of outcomes, oldest change first'),
      ...errorResponses(400, 401, 404),
    },
  });
  app.openapi(list, async (c) => {
    const { nodeId } = c.req.valid('param');
    await ownNode(nodeId, c.get('owner').id);
    const { since, after, limit } = c.req.valid('query');
    if (after !== undefined && !parseOutcomeCursor(after))
      throw new BadRequestError('after must be the `next` of a previous page');
    const rows = await points.nodeOutcomes(nodeId, {
      limit,
      ...(since === undefined ? {} : { since: new Date(since) }),
      ...(after === undefined ? {} : { after }),
    });
    return c.json(
      {
        outcomes: rows.map(({ cursor: _cursor, changedAt, fetchedAt, ...row }) => ({
          ...row,
          changedAt: changedAt.toISOString(),
          fetchedAt: fetchedAt.toISOString(),
        })),
        next: rows.length === limit ? rows.at(-1)!.cursor : null,
      },
      200,
    );
  });

  const byUrl = createRoute({
    ...owner,
    method: 'post',
    path: '/v1/me/nodes/{nodeId}/outcomes/urls',
    summary:
      "The state of URLs the caller's node fetched that have no outcome of their own: failed (with its error " +
      'code), rejected, waiting or done (a failure is kept on the URL, not with the node that fetched it)',
    request: { params: NodeIdParamSchema, ...jsonBody(UrlOutcomesBodySchema, 'Campaign ids and URLs') },
    responses: {
      200: jsonContent(UrlOutcomesSchema, 'The URLs known'),
      ...errorResponses(400, 401, 404),
    },
  });
  app.openapi(byUrl, async (c) => {
    const { nodeId } = c.req.valid('param');
    await ownNode(nodeId, c.get('owner').id);
    const asked = c.req.valid('json').urls;
    const rows = await points.urlStates(
      asked.map((item) => ({ campaignId: item.campaignId, urlHash: urlHash(item.url) })),
    );
    // The hash names the URL; an answer is only for the very URL asked about.
    const askedKeys = new Set(asked.map((item) => `${item.campaignId} ${item.url}`));
    return c.json(
      {
        urls: rows
          .filter((row) => askedKeys.has(`${row.campaignId} ${row.url}`))
          .map((row) => ({
            campaignId: row.campaignId,
            url: row.url,
            outcome: urlOutcomeOf(row),
            state: row.state,
            errorCode: row.errorCode,
            errorMessage: row.errorMessage?.slice(0, MAX_MESSAGE_CHARS) ?? null,
            httpStatus: row.httpStatus,
            updatedAt: row.updatedAt.toISOString(),
          })),
      },
      200,
    );
  });
}
