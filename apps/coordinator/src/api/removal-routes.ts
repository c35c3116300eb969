import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { BadRequestError, NotFoundError } from '@gleaner/core';
import {
  CreateRemovalBodySchema,
  IdParamSchema,
  SiteRemovalSchema,
  type SiteRemovalBody,
} from '@gleaner/contracts';
import { REMOVAL_TOKEN_PATH, removalHostOf, SiteRemovalStore, type SiteRemoval } from '@gleaner/db';
import { addressPrefix, clientAddress } from '../gateway/client-address.js';
import type { ApiDeps } from './api-deps.js';
import { RetryLaterError } from './error-handler.js';
import { RemovalTokenCheck, tokenUrlsOf } from './removal-token-check.js';
import { errorResponses, jsonBody, jsonContent } from './route-helpers.js';

function toBody(row: SiteRemoval): SiteRemovalBody {
  const iso = (date: Date | null) => (date ? date.toISOString() : null);
  return {
    id: row.id,
    host: row.host,
    state: row.state,
    token: row.token,
    tokenPath: REMOVAL_TOKEN_PATH,
    tokenUrls: tokenUrlsOf(row.host),
    attempts: row.attempts,
    lastCheckedAt: iso(row.lastCheckedAt),
    lastError: row.lastError,
    verifiedAt: iso(row.verifiedAt),
    withdrawn: row.withdrawn,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * Registers the removal requests of site owners: open one for a host (answered with a token), publish the token at
 * `/.well-known/gleaner-removal.txt` on the host, ask for verification; once the coordinator finds it there, every
 * record of the host is withdrawn (tombstones in the feeds, `records.withdrawn` webhooks) and the host is denied to
 * every campaign. No credential is needed — the token file is the proof — so every call is limited per client
 * network, and each host may open only so many requests a day.
 */
export function registerRemovalRoutes(app: OpenAPIHono, deps: ApiDeps): void {
  const settings = deps.removals ?? {};
  const store = new SiteRemovalStore(deps.db);
  const check = new RemovalTokenCheck(settings);
  const trustedProxies = new Set(deps.trustedProxies ?? []);
  const perMinute = settings.requestsPerMinute ?? 10;
  const perHostPerDay = settings.maxPerHostPerDay ?? 10;
  const tags = ['Site owners'];

  /** Counts one call of the caller's network against the per-minute limit, or refuses it. */
  const limit = async (c: Context) => {
    const address = clientAddress(
      (c.env as Partial<HttpBindings> | undefined)?.incoming?.socket.remoteAddress,
      c.req.header('x-forwarded-for'),
      trustedProxies,
    );
    const network = address ? addressPrefix(address) : 'unknown';
    const admission = await deps.limiter.admit({
      id: `removals:${network}`,
      requestsPerMinute: perMinute,
      recordsPerDay: null,
      bytesPerDay: null,
    });
    if (!admission.allowed)
      throw new RetryLaterError(
        'RATE_LIMITED',
        `removal requests are limited to ${perMinute} a minute per network`,
        Math.max(1, Math.ceil(admission.retryAfterMs / 1000)),
      );
  };

  const create = createRoute({
    tags,
    method: 'post',
    path: '/v1/removals',
    summary: "Ask for a site's removal (answered with the token that proves control of it)",
    description:
      'Publish the returned `token` as a line of `/.well-known/gleaner-removal.txt` on the host (served as ' +
      '`text/plain` by the host itself, no redirect), then call `POST /v1/removals/{id}/verify`. No credential is ' +
      'needed; calls are limited per client network and per host (docs/site-owners.md).',
    request: jsonBody(CreateRemovalBodySchema, 'The host to remove'),
    responses: {
      201: jsonContent(SiteRemovalSchema, 'The request, pending until its token is found'),
      ...errorResponses(400, 429),
    },
  });
  app.openapi(create, async (c) => {
    await limit(c);
    const input = c.req.valid('json').host;
    const host = removalHostOf(input);
    if (!host)
      throw new BadRequestError(
        `${JSON.stringify(input.slice(0, 100))} is not a host: give it as URLs name it, e.g. example.com or example.com:8080`,
      );
    const recent = await store.recentFor(host, new Date(Date.now() - 86_400_000));
    if (recent.length >= perHostPerDay)
      throw new RetryLaterError(
        'RATE_LIMITED',
        `${host} has opened ${perHostPerDay} removal requests today`,
        3600,
      );
    const row = await store.create(host);
    deps.logger.info({ removalId: row.id, host }, 'removal requested');
    return c.json(toBody(row), 201);
  });

  const get = createRoute({
    tags,
    method: 'get',
    path: '/v1/removals/{id}',
    summary: 'A removal request and its state',
    request: { params: IdParamSchema },
    responses: {
      200: jsonContent(SiteRemovalSchema, 'The request'),
      ...errorResponses(400, 404),
    },
  });
  app.openapi(get, async (c) => {
    const { id } = c.req.valid('param');
    const row = await store.get(id);
    if (!row) throw new NotFoundError(`removal request ${id} does not exist`);
    return c.json(toBody(row), 200);
  });

  const verify = createRoute({
    tags,
    method: 'post',
    path: '/v1/removals/{id}/verify',
    summary: "Look for the token on the site; when found, withdraw the host's records and deny it",
    description:
      'Fetches `https://<host>/.well-known/gleaner-removal.txt`, then `http://…`, behind the private-network guard. ' +
      'Found: the request is `verified`, every record of the host leaves every dataset (a tombstone in each feed) ' +
      'and no campaign fetches the host again. Not found: the request stays `pending` and `lastError` says why. ' +
      'Verifying a verified request again withdraws anything left.',
    request: { params: IdParamSchema },
    responses: {
      200: jsonContent(SiteRemovalSchema, 'The request after this attempt'),
      ...errorResponses(400, 404, 429),
    },
  });
  app.openapi(verify, async (c) => {
    await limit(c);
    const { id } = c.req.valid('param');
    const row = await store.get(id);
    if (!row) throw new NotFoundError(`removal request ${id} does not exist`);
    const problem = await check.problem(row.host, row.token);
    if (problem !== undefined) {
      deps.logger.info({ removalId: id, host: row.host, problem }, 'removal token not found');
      return c.json(toBody((await store.recordFailure(id, problem)) ?? row), 200);
    }
    const verified = await store.verify(id, deps.records, (fresh, tx) =>
      deps.webhooks.publishWithdrawals(fresh, tx),
    );
    deps.logger.warn(
      { removalId: id, host: row.host, withdrawn: verified?.withdrawn ?? 0 },
      'site removed at its owner’s request',
    );
    return c.json(toBody(verified ?? row), 200);
  });
}
