import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { NotFoundError } from '@gleaner/core';
import {
  ApiKeyListSchema,
  ApiKeyUsageQuerySchema,
  ApiKeyUsageSchema,
  CreateApiKeyBodySchema,
  CreatedApiKeySchema,
  IdParamSchema,
} from '@gleaner/contracts';
import type { ApiDeps } from './api-deps.js';
import { adminAuth, SecuritySchemes } from './auth.js';
import { errorResponses, jsonBody, jsonContent } from './route-helpers.js';
import { toApiKey } from './serializers.js';

/** Registers the admin routes of lab API keys: create, list, revoke, and usage per day. */
export function registerApiKeyRoutes(app: OpenAPIHono, deps: ApiDeps): void {
  const admin = {
    tags: ['API keys'],
    middleware: adminAuth(deps.adminToken),
    security: [{ [SecuritySchemes.admin]: [] }],
  };

  const createKey = createRoute({
    ...admin,
    method: 'post',
    path: '/v1/api-keys',
    summary: 'Create a lab API key (the key is shown once)',
    description:
      'Scopes default to `datasets:read`; add `raw:read` for raw bodies. Every limit is off unless given: ' +
      '`datasetIds` (the only datasets it reads), `expiresAt`, `recordsPerDay` and `bytesPerDay` (per UTC day), ' +
      '`requestsPerMinute`. Limits hold over every coordinator; a key over one gets 429 with `Retry-After`.',
    request: jsonBody(CreateApiKeyBodySchema, 'A name, scopes and limits'),
    responses: { 201: jsonContent(CreatedApiKeySchema, 'The key, shown once'), ...errorResponses(400, 401) },
  });
  app.openapi(createKey, async (c) => {
    const { name, scopes, expiresAt, ...limits } = c.req.valid('json');
    const { key, row } = await deps.accounts.createApiKey(name, [...new Set(scopes)], {
      ...limits,
      ...(expiresAt ? { expiresAt: new Date(expiresAt) } : {}),
    });
    deps.logger.info({ apiKeyId: row.id }, 'api key created');
    const { revokedAt: _revokedAt, lastUsedAt: _lastUsedAt, ...shown } = toApiKey(row);
    return c.json({ ...shown, key }, 201);
  });

  const listKeys = createRoute({
    ...admin,
    method: 'get',
    path: '/v1/api-keys',
    summary: 'List API keys, newest first (never the keys themselves)',
    responses: {
      200: jsonContent(ApiKeyListSchema, 'Every key, revoked ones included'),
      ...errorResponses(401),
    },
  });
  app.openapi(listKeys, async (c) =>
    c.json({ apiKeys: (await deps.accounts.listApiKeys()).map(toApiKey) }, 200),
  );

  const revokeKey = createRoute({
    ...admin,
    method: 'delete',
    path: '/v1/api-keys/{id}',
    summary: 'Revoke an API key',
    request: { params: IdParamSchema },
    responses: {
      204: { description: 'Revoked (revoking twice is a no-op)' },
      ...errorResponses(400, 401, 404),
    },
  });
  app.openapi(revokeKey, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await deps.accounts.revokeApiKey(id))) throw new NotFoundError(`API key ${id} does not exist`);
    deps.logger.info({ apiKeyId: id }, 'api key revoked');
    return c.body(null, 204);
  });

  const usage = createRoute({
    ...admin,
    method: 'get',
    path: '/v1/api-keys/{id}/usage',
    summary: "A key's requests, feed records and bytes per UTC day, today first",
    description: 'Bytes are uncompressed feed lines plus raw bodies. Usage is kept for 90 days.',
    request: { params: IdParamSchema, query: ApiKeyUsageQuerySchema },
    responses: {
      200: jsonContent(ApiKeyUsageSchema, 'One entry per day, zeros for days without use'),
      ...errorResponses(400, 401, 404),
    },
  });
  app.openapi(usage, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await deps.accounts.getApiKey(id))) throw new NotFoundError(`API key ${id} does not exist`);
    const days = await deps.limiter.usage(id, c.req.valid('query').days);
    return c.json({ apiKeyId: id, days }, 200);
  });
}
