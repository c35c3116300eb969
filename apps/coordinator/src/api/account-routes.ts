import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { BadRequestError, ConflictError, isEd25519PublicKey, sha256Hex } from '@gleaner/core';
import {
  ContributorNodeListSchema,
  CreatedOwnerSchema,
  CreateOwnerBodySchema,
  MeSchema,
  RegisteredNodeSchema,
  RegisterNodeBodySchema,
} from '@gleaner/contracts';
import { DEFAULT_MAX_NODES_PER_OWNER } from '@gleaner/db';
import type { ApiDeps } from './api-deps.js';
import { adminAuth, ownerAuth, SecuritySchemes } from './auth.js';
import { errorResponses, jsonBody, jsonContent } from './route-helpers.js';
import { toContributorNode } from './serializers.js';

/** Registers the admin's owner accounts and the contributor routes (nodes, me); API keys are in api-key-routes.ts. */
export function registerAccountRoutes(app: OpenAPIHono, deps: ApiDeps): void {
  const admin = { middleware: adminAuth(deps.adminToken), security: [{ [SecuritySchemes.admin]: [] }] };
  const owner = {
    tags: ['Contributors'],
    middleware: ownerAuth(deps.accounts),
    security: [{ [SecuritySchemes.owner]: [] }],
  };

  const createOwner = createRoute({
    ...admin,
    tags: ['Contributors'],
    method: 'post',
    path: '/v1/owners',
    summary: 'Create a contributor account (its owner token is shown once)',
    request: jsonBody(CreateOwnerBodySchema, 'The contributor name'),
    responses: {
      201: jsonContent(CreatedOwnerSchema, 'The account and its token'),
      ...errorResponses(400, 401),
    },
  });
  app.openapi(createOwner, async (c) => {
    const { owner: row, token } = await deps.accounts.createOwner(c.req.valid('json').name);
    deps.logger.info({ ownerId: row.id }, 'owner created');
    return c.json({ id: row.id, name: row.name, token }, 201);
  });

  const registerNode = createRoute({
    ...owner,
    method: 'post',
    path: '/v1/nodes',
    summary: "Register a node's Ed25519 public key (409 once the owner has the most nodes allowed)",
    request: jsonBody(RegisterNodeBodySchema, 'The public key (SPKI PEM) and an optional name'),
    responses: { 201: jsonContent(RegisteredNodeSchema, 'The node id'), ...errorResponses(400, 401, 409) },
  });
  app.openapi(registerNode, async (c) => {
    const { publicKey, name } = c.req.valid('json');
    if (!isEd25519PublicKey(publicKey))
      throw new BadRequestError('publicKey must be an Ed25519 public key in SPKI PEM');
    const ownerRow = c.get('owner');
    const maxNodes = deps.maxNodesPerOwner ?? DEFAULT_MAX_NODES_PER_OWNER;
    const node = await deps.accounts.createNodeWithinCap(
      ownerRow.id,
      publicKey,
      name ?? `node-${sha256Hex(publicKey).slice(0, 8)}`,
      maxNodes,
    );
    if (!node) {
      deps.logger.warn(
        { ownerId: ownerRow.id, maxNodes },
        'node registration refused: owner at the node cap',
      );
      throw new ConflictError(
        `this owner already has ${maxNodes} nodes, the most one owner may register; ` +
          'reuse an existing node (its identity file) or ask the operator to raise the cap',
      );
    }
    deps.logger.info({ ownerId: ownerRow.id, nodeId: node.id }, 'node registered');
    return c.json({ nodeId: node.id, ownerId: ownerRow.id }, 201);
  });

  const me = createRoute({
    ...owner,
    method: 'get',
    path: '/v1/me',
    summary: 'The calling contributor and their points',
    responses: { 200: jsonContent(MeSchema, 'The contributor'), ...errorResponses(401) },
  });
  app.openapi(me, async (c) => {
    const ownerRow = c.get('owner');
    return c.json(
      { id: ownerRow.id, name: ownerRow.name, points: await deps.accounts.ownerPoints(ownerRow.id) },
      200,
    );
  });

  const myNodes = createRoute({
    ...owner,
    method: 'get',
    path: '/v1/me/nodes',
    summary: "The caller's nodes with their points and when each was last seen",
    responses: {
      200: jsonContent(ContributorNodeListSchema, 'The nodes, oldest first'),
      ...errorResponses(401),
    },
  });
  app.openapi(myNodes, async (c) => {
    const rows = await deps.accounts.listNodesWithPoints(c.get('owner').id);
    return c.json({ nodes: rows.map(toContributorNode) }, 200);
  });
}
