import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { NodeKeyListSchema, NodeKeysQuerySchema } from '@gleaner/contracts';
import type { ApiDeps } from './api-deps.js';
import { errorResponses, jsonContent } from './route-helpers.js';
import { toNodeKey } from './serializers.js';

/** How long clients and shared caches may keep a page of node keys, seconds (keys never change; nodes join). */
export const NODE_KEYS_MAX_AGE_SECONDS = 300;

/** Registers `GET /v1/nodes/keys`: every node's public key, public and cacheable. */
export function registerNodeKeyRoutes(app: OpenAPIHono, deps: ApiDeps): void {
  const keys = createRoute({
    tags: ['Provenance'],
    method: 'get',
    path: '/v1/nodes/keys',
    summary: "Every node's Ed25519 public key, to check the signatures in records' provenance (no auth)",
    description:
      'Ordered by node id, `limit` at a time: pass `next` as `after` for the next page. A node signs every ' +
      'result it returns; a record keeps that signature in `provenance.signature`. Public keys only, so anyone ' +
      `may read and cache them (\`Cache-Control: public, max-age=${NODE_KEYS_MAX_AGE_SECONDS}\`).`,
    request: { query: NodeKeysQuerySchema },
    responses: {
      200: jsonContent(NodeKeyListSchema, 'One page of node keys'),
      ...errorResponses(400),
    },
  });
  app.openapi(keys, async (c) => {
    const { after, limit } = c.req.valid('query');
    // One more than asked says whether another page follows without a second query.
    const rows = await deps.accounts.listNodeKeys(limit + 1, after);
    const page = rows.slice(0, limit);
    const next = rows.length > limit ? page.at(-1)!.nodeId : null;
    c.header('Cache-Control', `public, max-age=${NODE_KEYS_MAX_AGE_SECONDS}`);
    return c.json({ keys: page.map(toNodeKey), next }, 200);
  });
}
