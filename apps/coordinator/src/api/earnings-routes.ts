import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { ForbiddenError } from '@gleaner/core';
import {
  EarningsQuerySchema,
  EarningsSchema,
  LeaderboardQuerySchema,
  LeaderboardSchema,
  OwnerTokenSchema,
  ProfileBodySchema,
  ProfileSchema,
} from '@gleaner/contracts';
import { PointsStore, TrustStore } from '@gleaner/db';
import type { ApiDeps } from './api-deps.js';
import { ownerAuth, SecuritySchemes } from './auth.js';
import { errorResponses, jsonBody, jsonContent } from './route-helpers.js';

const DAY_MS = 86_400_000;

/** Start (UTC midnight) of the first of the last `days` days, today included. */
function startOfDays(days: number, now = Date.now()): Date {
  return new Date((Math.floor(now / DAY_MS) - (days - 1)) * DAY_MS);
}

/**
 * Registers the contributor routes around points: earnings by day, epoch, campaign and node; rotating and revoking
 * the owner token; the leaderboard opt-in; and the public leaderboard (display names only).
 */
export function registerEarningsRoutes(app: OpenAPIHono, deps: ApiDeps): void {
  const points = new PointsStore(deps.db);
  const trust = new TrustStore(deps.db);
  const owner = {
    tags: ['Contributors'],
    middleware: ownerAuth(deps.accounts),
    security: [{ [SecuritySchemes.owner]: [] }],
  };

  const earnings = createRoute({
    ...owner,
    method: 'get',
    path: '/v1/me/earnings',
    summary: "The caller's points by UTC day, epoch, campaign and node: pending, settled, voided, reversed",
    request: { query: EarningsQuerySchema },
    responses: {
      200: jsonContent(EarningsSchema, 'Earnings and all-time totals'),
      ...errorResponses(400, 401),
    },
  });
  app.openapi(earnings, async (c) => {
    const ownerId = c.get('owner').id;
    const since = startOfDays(c.req.valid('query').days);
    const totals = await points.totals(ownerId);
    return c.json(
      {
        since: since.toISOString(),
        rows: await points.earnings(ownerId, since),
        totals: { ...totals, balance: totals.settled + totals.reversed },
      },
      200,
    );
  });

  const rotateToken = createRoute({
    ...owner,
    method: 'post',
    path: '/v1/me/token',
    summary:
      'Rotate the owner token: the new one is shown once, the one presented stops working at once ' +
      "(403 with a paired node's token, which may not replace the account's own)",
    responses: { 201: jsonContent(OwnerTokenSchema, 'The new token'), ...errorResponses(401, 403) },
  });
  app.openapi(rotateToken, async (c) => {
    const ownerId = c.get('owner').id;
    if (c.get('ownerTokenId') !== null)
      throw new ForbiddenError(
        "this token was issued to a paired node: it may not rotate the account's own token (sign in with that)",
      );
    const token = (await trust.rotateOwnerToken(ownerId))!;
    deps.logger.info({ ownerId }, 'owner token rotated');
    return c.json({ ownerId, token }, 201);
  });

  const revokeToken = createRoute({
    ...owner,
    method: 'delete',
    path: '/v1/me/token',
    summary:
      'Revoke the token presented: the account has no valid token of its own until an admin issues one ' +
      "(POST /v1/admin/owners/{id}/token), its nodes keep their keys; a paired node's token revokes that one alone",
    responses: { 204: { description: 'Revoked' }, ...errorResponses(401) },
  });
  app.openapi(revokeToken, async (c) => {
    const ownerId = c.get('owner').id;
    const issuedTokenId = c.get('ownerTokenId');
    if (issuedTokenId !== null) {
      await deps.accounts.revokeIssuedToken(issuedTokenId);
      deps.logger.info({ ownerId }, 'paired node token revoked');
      return c.body(null, 204);
    }
    await trust.revokeOwnerToken(ownerId);
    deps.logger.info({ ownerId }, 'owner token revoked');
    return c.body(null, 204);
  });

  const profile = createRoute({
    ...owner,
    method: 'put',
    path: '/v1/me/profile',
    summary: 'Opt in to the leaderboard with a display name, or out with null',
    request: jsonBody(ProfileBodySchema, 'The display name, or null'),
    responses: { 200: jsonContent(ProfileSchema, 'The profile now'), ...errorResponses(400, 401, 403) },
  });
  app.openapi(profile, async (c) => {
    const row = c.get('owner');
    const { displayName } = c.req.valid('json');
    if (displayName !== null && row.bannedAt)
      throw new ForbiddenError('a banned owner may not join the leaderboard');
    await points.setDisplayName(row.id, displayName);
    return c.json({ displayName }, 200);
  });

  const leaderboard = createRoute({
    tags: ['Contributors'],
    method: 'get',
    path: '/v1/leaderboard',
    summary: 'Owners who opted in, by settled points (display names only; no auth)',
    request: { query: LeaderboardQuerySchema },
    responses: { 200: jsonContent(LeaderboardSchema, 'The leaderboard'), ...errorResponses(400) },
  });
  app.openapi(leaderboard, async (c) => {
    const rows = await points.leaderboard(c.req.valid('query').limit);
    c.header('cache-control', 'public, max-age=60');
    return c.json(
      { entries: rows.map((row, i) => ({ rank: i + 1, displayName: row.displayName, points: row.settled })) },
      200,
    );
  });
}
