import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { NotFoundError } from '@gleaner/core';
import {
  AdminNodeListSchema,
  AdminNodesQuerySchema,
  BanBodySchema,
  IdParamSchema,
  NodeBanResultSchema,
  OwnerBanResultSchema,
  OwnerTokenSchema,
  type AdminNode,
} from '@gleaner/contracts';
import { ownerBanReason, TrustStore, type ListedNode } from '@gleaner/db';
import { trustLowerBound, trustMean } from '@gleaner/trust';
import type { ApiDeps } from './api-deps.js';
import { adminAuth, SecuritySchemes } from './auth.js';
import { errorResponses, jsonBody, jsonContent } from './route-helpers.js';

/** A node as the admin routes show it. */
function toAdminNode(node: ListedNode): AdminNode {
  return {
    id: node.nodeId,
    name: node.name,
    ownerId: node.ownerId,
    ownerName: node.ownerName,
    trust: {
      mean: trustMean(node.trust.score),
      lowerBound: trustLowerBound(node.trust.score),
      alpha: node.trust.score.alpha,
      beta: node.trust.score.beta,
    },
    checksPassed: node.trust.checksPassed,
    pagesDone: node.trust.pagesDone,
    standing: node.standing,
    banned: node.banned,
    banReason: node.banReason,
    addressPrefix: node.addressPrefix,
    lastSeenAt: node.lastSeenAt?.toISOString() ?? null,
  };
}

/**
 * Registers the admins' node and owner control: the node list with trust and standing, node and owner bans (the
 * worker carries out each node ban: voids its pending points, withdraws its unverified records), unbans, and
 * issuing an owner a new token (the way back for an owner who revoked theirs).
 */
export function registerNodeAdminRoutes(app: OpenAPIHono, deps: ApiDeps): void {
  const trust = new TrustStore(deps.db);
  const admin = {
    tags: ['Trust'],
    middleware: adminAuth(deps.adminToken),
    security: [{ [SecuritySchemes.admin]: [] }],
  };
  const listedNode = async (nodeId: string): Promise<AdminNode> => {
    const node = await trust.listedNode(nodeId);
    if (!node) throw new NotFoundError(`node ${nodeId} does not exist`);
    return toAdminNode(node);
  };

  const list = createRoute({
    ...admin,
    method: 'get',
    path: '/v1/admin/nodes',
    summary: 'Nodes with their owner, trust, standing, network and ban, newest first',
    request: { query: AdminNodesQuerySchema },
    responses: { 200: jsonContent(AdminNodeListSchema, 'A page of nodes'), ...errorResponses(400, 401) },
  });
  app.openapi(list, async (c) => {
    const { offset, limit } = c.req.valid('query');
    const rows = await trust.listNodes(limit + 1, offset);
    const page = rows.slice(0, limit);
    return c.json({ nodes: page.map(toAdminNode), next: rows.length > limit ? offset + limit : null }, 200);
  });

  const banNode = createRoute({
    ...admin,
    method: 'post',
    path: '/v1/admin/nodes/{id}/ban',
    summary:
      'Ban a node: it may not connect, its pending points are voided and its unverified records withdrawn',
    request: { params: IdParamSchema, ...jsonBody(BanBodySchema, 'Why') },
    responses: {
      200: jsonContent(NodeBanResultSchema, 'The node, banned (a node banned before keeps its first reason)'),
      ...errorResponses(400, 401, 404),
    },
  });
  app.openapi(banNode, async (c) => {
    const { id } = c.req.valid('param');
    const { reason } = c.req.valid('json');
    if (!(await trust.view(id))) throw new NotFoundError(`node ${id} does not exist`);
    await trust.ban(id, reason);
    await deps.queues.enqueueBan(id, reason);
    deps.logger.warn({ nodeId: id, reason }, 'node banned by an admin');
    return c.json({ node: await listedNode(id) }, 200);
  });

  const unbanNode = createRoute({
    ...admin,
    method: 'post',
    path: '/v1/admin/nodes/{id}/unban',
    summary: 'Lift a node ban: it starts over on probation (voided points and withdrawn records stay so)',
    request: { params: IdParamSchema },
    responses: { 200: jsonContent(NodeBanResultSchema, 'The node'), ...errorResponses(400, 401, 404) },
  });
  app.openapi(unbanNode, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await trust.unban(id))) throw new NotFoundError(`node ${id} does not exist`);
    deps.logger.info({ nodeId: id }, 'node unbanned by an admin');
    return c.json({ node: await listedNode(id) }, 200);
  });

  const banOwner = createRoute({
    ...admin,
    method: 'post',
    path: '/v1/admin/owners/{id}/ban',
    summary: "Ban an owner: none of its nodes may connect, and each node's ban is carried out",
    request: { params: IdParamSchema, ...jsonBody(BanBodySchema, 'Why') },
    responses: {
      200: jsonContent(OwnerBanResultSchema, 'The owner and its nodes'),
      ...errorResponses(400, 401, 404),
    },
  });
  app.openapi(banOwner, async (c) => {
    const { id } = c.req.valid('param');
    const { reason } = c.req.valid('json');
    const nodeIds = await trust.nodeIdsOfOwner(id);
    if (!nodeIds || !(await trust.setOwnerBan(id, reason)))
      throw new NotFoundError(`owner ${id} does not exist`);
    for (const nodeId of nodeIds) {
      await trust.ban(nodeId, ownerBanReason(reason));
      await deps.queues.enqueueBan(nodeId, ownerBanReason(reason));
    }
    deps.logger.warn({ ownerId: id, reason, nodes: nodeIds.length }, 'owner banned by an admin');
    return c.json({ ownerId: id, banned: true, nodeIds }, 200);
  });

  const unbanOwner = createRoute({
    ...admin,
    method: 'post',
    path: '/v1/admin/owners/{id}/unban',
    summary: "Lift an owner ban and its nodes' bans that came with it (other node bans stay)",
    request: { params: IdParamSchema },
    responses: {
      200: jsonContent(OwnerBanResultSchema, 'The owner and the nodes unbanned'),
      ...errorResponses(400, 401, 404),
    },
  });
  app.openapi(unbanOwner, async (c) => {
    const { id } = c.req.valid('param');
    const nodeIds = await trust.unbanOwner(id);
    if (!nodeIds) throw new NotFoundError(`owner ${id} does not exist`);
    deps.logger.info({ ownerId: id, nodes: nodeIds.length }, 'owner unbanned by an admin');
    return c.json({ ownerId: id, banned: false, nodeIds }, 200);
  });

  const issueToken = createRoute({
    ...admin,
    method: 'post',
    path: '/v1/admin/owners/{id}/token',
    summary: "Issue an owner a new token (shown once); the owner's previous token stops working",
    request: { params: IdParamSchema },
    responses: { 201: jsonContent(OwnerTokenSchema, 'The new token'), ...errorResponses(400, 401, 404) },
  });
  app.openapi(issueToken, async (c) => {
    const { id } = c.req.valid('param');
    const token = await trust.rotateOwnerToken(id);
    if (!token) throw new NotFoundError(`owner ${id} does not exist`);
    deps.logger.info({ ownerId: id }, 'owner token issued by an admin');
    return c.json({ ownerId: id, token }, 201);
  });
}
