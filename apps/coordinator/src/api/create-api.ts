import { randomBytes } from 'node:crypto';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { GleanerError } from '@gleaner/core';
import { HealthSchema } from '@gleaner/contracts';
import { bodyLimit } from 'hono/body-limit';
import type { ApiDeps } from './api-deps.js';
import { registerAccountRoutes } from './account-routes.js';
import { registerApiKeyRoutes } from './api-key-routes.js';
import { SecuritySchemes } from './auth.js';
import { registerCampaignLiveRoutes } from './campaign-live-routes.js';
import { registerCampaignRoutes } from './campaign-routes.js';
import { registerDatasetRoutes } from './dataset-routes.js';
import { consoleCsp, renderConsolePage } from './console-page.js';
import { registerDocsPage } from './docs-page.js';
import { createErrorHandler, notFoundHandler, validationHook } from './error-handler.js';
import { registerEarningsRoutes } from './earnings-routes.js';
import { registerEpochRoutes } from './epoch-routes.js';
import { registerOutcomeRoutes } from './outcomes-routes.js';
import { registerRemovalRoutes } from './removal-routes.js';
import { registerPairPage } from './pair-page.js';
import { registerPairingRoutes } from './pairing-routes.js';
import { registerNodeAdminRoutes } from './node-admin-routes.js';
import { registerNodeKeyRoutes } from './node-key-routes.js';
import { registerSnapshotRoutes } from './snapshot-routes.js';
import { jsonContent } from './route-helpers.js';
import { registerWebhookRoutes } from './webhook-routes.js';

export type { ApiDeps } from './api-deps.js';

/** Largest request body the API reads, in bytes (1,000 long seed URLs fit). */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** Shortest admin token the API accepts, in characters. */
export const MIN_ADMIN_TOKEN_CHARS = 16;

const DOCUMENT_CONFIG = {
  openapi: '3.1.0',
  info: {
    title: 'Gleaner coordinator API',
    version: '1',
    description:
      'Admins run crawl campaigns and issue keys; contributors register nodes and follow their points; ' +
      'labs read datasets. Errors are JSON: { error: { code, message, details? } }.',
  },
};

function registerSecuritySchemes(app: OpenAPIHono): void {
  const bearer = (description: string) => ({ type: 'http' as const, scheme: 'bearer', description });
  const registry = app.openAPIRegistry;
  registry.registerComponent('securitySchemes', SecuritySchemes.admin, bearer('The admin token'));
  registry.registerComponent('securitySchemes', SecuritySchemes.owner, bearer("A contributor's owner token"));
  registry.registerComponent('securitySchemes', SecuritySchemes.apiKey, bearer('A lab API key'));
  registry.registerComponent('securitySchemes', SecuritySchemes.apiKeyHeader, {
    type: 'apiKey',
    in: 'header',
    name: 'X-API-Key',
    description: 'A lab API key',
  });
}

/**
 * Builds the coordinator's REST API: campaigns, owners, API keys, invite codes, withdrawals (admin); nodes, points
 * and pairing nodes by code (contributors, with the `/pair` page); datasets, their NDJSON feed and raw bodies (labs);
 * node public keys (anyone); plus `/health`, `/openapi.json`, `/docs` and the admin console at `/console`. Mount it
 * in the HTTP server.
 */
export function createApi(deps: ApiDeps): OpenAPIHono {
  if (deps.adminToken.length < MIN_ADMIN_TOKEN_CHARS) {
    throw new Error(`the admin token must be at least ${MIN_ADMIN_TOKEN_CHARS} characters long`);
  }
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.onError(createErrorHandler(deps.logger));
  app.notFound(notFoundHandler);
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new GleanerError('TOO_LARGE', `request bodies are limited to ${MAX_BODY_BYTES} bytes`);
      },
    }),
  );
  registerSecuritySchemes(app);

  const health = createRoute({
    method: 'get',
    path: '/health',
    tags: ['Meta'],
    summary: 'Liveness check (no auth)',
    responses: { 200: jsonContent(HealthSchema, 'The API is up') },
  });
  app.openapi(health, (c) => c.json({ ok: true as const }, 200));

  registerCampaignRoutes(app, deps);
  registerCampaignLiveRoutes(app, deps);
  registerAccountRoutes(app, deps);
  registerApiKeyRoutes(app, deps);
  registerNodeKeyRoutes(app, deps);
  registerDatasetRoutes(app, deps);
  registerSnapshotRoutes(app, deps);
  registerNodeAdminRoutes(app, deps);
  registerEarningsRoutes(app, deps);
  registerOutcomeRoutes(app, deps);
  registerEpochRoutes(app, deps);
  registerWebhookRoutes(app, deps);
  registerRemovalRoutes(app, deps);
  registerPairingRoutes(app, deps);

  let document: ReturnType<typeof app.getOpenAPI31Document> | undefined;
  app.get('/openapi.json', (c) => c.json((document ??= app.getOpenAPI31Document(DOCUMENT_CONFIG))));
  registerPairPage(app);
  registerDocsPage(app, { openApiPath: '/openapi.json', pageTitle: DOCUMENT_CONFIG.info.title });
  app.get('/console', (c) => {
    const nonce = randomBytes(18).toString('base64');
    c.header('content-security-policy', consoleCsp(nonce));
    c.header('referrer-policy', 'no-referrer');
    c.header('cache-control', 'no-store');
    return c.html(renderConsolePage(nonce));
  });
  return app;
}
