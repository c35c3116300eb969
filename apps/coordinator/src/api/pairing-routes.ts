import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { HttpBindings } from '@hono/node-server';
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  isEd25519PublicKey,
  NotFoundError,
  sha256Hex,
} from '@gleaner/core';
import {
  AccountPolicyBodySchema,
  ApprovedPairingSchema,
  ApprovePairingBodySchema,
  CreatedInviteSchema,
  CreateInviteBodySchema,
  OwnerInviteListSchema,
  PairingPollSchema,
  PairingSignupBodySchema,
  PairingSignupSchema,
  PairingTokenBodySchema,
  RegisterNodeBodySchema,
  StartedPairingSchema,
} from '@gleaner/contracts';
import { DEFAULT_MAX_NODES_PER_OWNER, PairingStore, type OwnerInviteRow } from '@gleaner/db';
import type { Context } from 'hono';
import { clientAddress } from '../gateway/client-address.js';
import type { ApiDeps } from './api-deps.js';
import { adminAuth, ownerAuth, SecuritySchemes } from './auth.js';
import { PairingGuard } from './pairing-guard.js';
import { errorResponses, jsonBody, jsonContent } from './route-helpers.js';

/** Path of the pairing page. */
export const PAIR_PAGE_PATH = '/pair';

const toInvite = (row: OwnerInviteRow) => ({
  id: row.id,
  note: row.note,
  expiresAt: row.expiresAt.toISOString(),
  usedAt: row.usedAt?.toISOString() ?? null,
  usedByOwnerId: row.usedByOwnerId,
  createdAt: row.createdAt.toISOString(),
});

/**
 * Registers pairing by code (RFC 8628's device authorization grant): a node starts a pairing with its public key and
 * polls with its device code; its owner approves the user code with their owner token (or, as the account policy
 * allows, makes an account on the spot); plus the admin's invite codes and the public account policy.
 */
export function registerPairingRoutes(app: OpenAPIHono, deps: ApiDeps): void {
  const settings = deps.pairing ?? {};
  const accountPolicy = settings.accountPolicy ?? 'admin-only';
  const store = new PairingStore(deps.db);
  const guard = new PairingGuard(settings.limits);
  const trustedProxies = new Set(deps.trustedProxies ?? []);
  const maxNodes = deps.maxNodesPerOwner ?? DEFAULT_MAX_NODES_PER_OWNER;
  const addressOf = (c: Context) =>
    clientAddress(
      (c.env as Partial<HttpBindings> | undefined)?.incoming?.socket.remoteAddress,
      c.req.header('x-forwarded-for'),
      trustedProxies,
    );
  const tags = ['Pairing'];

  const policy = createRoute({
    tags,
    method: 'get',
    path: '/v1/account-policy',
    summary: 'Who may create a contributor account here (no auth)',
    responses: { 200: jsonContent(AccountPolicyBodySchema, 'The policy') },
  });
  app.openapi(policy, (c) => c.json({ accountPolicy }, 200));

  const start = createRoute({
    tags,
    method: 'post',
    path: '/v1/pairings',
    summary:
      'Start pairing a node by code: give its public key, get a device code to poll with and a user code to show',
    request: jsonBody(RegisterNodeBodySchema, "The node's public key (SPKI PEM) and an optional name"),
    responses: {
      201: jsonContent(StartedPairingSchema, 'The codes, their lifetime and the polling interval'),
      ...errorResponses(400, 429),
    },
  });
  app.openapi(start, async (c) => {
    const { publicKey, name } = c.req.valid('json');
    if (!isEd25519PublicKey(publicKey))
      throw new BadRequestError('publicKey must be an Ed25519 public key in SPKI PEM');
    await guard.start(addressOf(c));
    const started = await store.start({
      publicKey,
      nodeName: name ?? `node-${sha256Hex(publicKey).slice(0, 8)}`,
      ...(settings.ttlMs === undefined ? {} : { ttlMs: settings.ttlMs }),
      ...(settings.intervalSeconds === undefined ? {} : { intervalSeconds: settings.intervalSeconds }),
    });
    const page = new URL(PAIR_PAGE_PATH, c.req.url);
    const complete = new URL(page);
    complete.searchParams.set('code', started.userCode);
    return c.json(
      {
        deviceCode: started.deviceCode,
        userCode: started.userCode,
        verificationUri: page.toString(),
        verificationUriComplete: complete.toString(),
        expiresIn: Math.round((started.expiresAt.getTime() - Date.now()) / 1000),
        interval: started.intervalSeconds,
      },
      201,
    );
  });

  const token = createRoute({
    tags,
    method: 'post',
    path: '/v1/pairings/token',
    summary:
      "A node's poll: pending, slow_down, expired, or approved with its node id and owner token (once)",
    request: jsonBody(PairingTokenBodySchema, 'The device code'),
    responses: {
      200: jsonContent(PairingPollSchema, 'Where the pairing stands'),
      ...errorResponses(400, 404, 409, 429),
    },
  });
  app.openapi(token, async (c) => {
    const address = addressOf(c);
    await guard.checkCodes(address);
    const result = await store.poll(c.req.valid('json').deviceCode);
    switch (result.kind) {
      case 'unknown':
        await guard.wrongCode(address);
        throw new NotFoundError('no pairing has this device code');
      case 'used':
        throw new ConflictError('this pairing was already used: start a new one');
      case 'expired':
        return c.json({ state: 'expired' as const }, 200);
      case 'pending':
      case 'slow_down':
        return c.json({ state: result.kind, interval: result.intervalSeconds }, 200);
      case 'approved':
        deps.logger.info({ ownerId: result.ownerId, nodeId: result.nodeId }, 'node paired');
        return c.json(
          {
            state: 'approved' as const,
            nodeId: result.nodeId,
            ownerId: result.ownerId,
            ownerToken: result.ownerToken,
          },
          200,
        );
    }
  });

  const approve = createRoute({
    tags,
    method: 'post',
    path: '/v1/pairings/approve',
    summary: "Approve a node's user code as its owner: registers the node for you (409 at the node cap)",
    middleware: ownerAuth(deps.accounts),
    security: [{ [SecuritySchemes.owner]: [] }],
    request: jsonBody(ApprovePairingBodySchema, 'The user code the node shows'),
    responses: {
      200: jsonContent(ApprovedPairingSchema, 'The node registered'),
      ...errorResponses(400, 401, 404, 409, 429),
    },
  });
  app.openapi(approve, async (c) => {
    const address = addressOf(c);
    await guard.checkCodes(address);
    const owner = c.get('owner');
    const result = await store.approve(c.req.valid('json').userCode, owner.id, maxNodes);
    if (result.kind === 'unknown') {
      await guard.wrongCode(address);
      throw new NotFoundError('no pairing is waiting with this code: check it, or start again on the node');
    }
    if (result.kind === 'at-cap') {
      throw new ConflictError(
        `this owner already has ${result.maxNodes} nodes, the most one owner may register; ` +
          'reuse an existing node (its identity file) or ask the operator to raise the cap',
      );
    }
    deps.logger.info({ ownerId: owner.id, nodeId: result.node.id }, 'pairing approved');
    return c.json({ nodeId: result.node.id, nodeName: result.node.name, ownerId: owner.id }, 200);
  });

  const signup = createRoute({
    tags,
    method: 'post',
    path: '/v1/pairings/signup',
    summary:
      'Create a contributor account and approve a node with it, as the account policy allows (invite: with an invite code)',
    request: jsonBody(
      PairingSignupBodySchema,
      'The user code, a name and, under the invite policy, the invite code',
    ),
    responses: {
      201: jsonContent(PairingSignupSchema, 'The account with its owner token (shown once) and the node'),
      ...errorResponses(400, 403, 404, 429),
    },
  });
  app.openapi(signup, async (c) => {
    if (accountPolicy === 'admin-only')
      throw new ForbiddenError(
        'accounts on this coordinator are created by its admin: ask them for an owner token',
      );
    const address = addressOf(c);
    await guard.checkCodes(address);
    const { userCode, name, inviteCode } = c.req.valid('json');
    if (accountPolicy === 'invite' && inviteCode === undefined)
      throw new BadRequestError('accounts on this coordinator need an invite code');
    const result = await store.approveWithNewOwner(
      userCode,
      name,
      accountPolicy === 'invite' ? inviteCode : undefined,
    );
    if (result.kind !== 'approved') {
      await guard.wrongCode(address);
      throw result.kind === 'bad-invite'
        ? new ForbiddenError('this invite code is wrong, used or expired')
        : new NotFoundError('no pairing is waiting with this code: check it, or start again on the node');
    }
    deps.logger.info({ ownerId: result.owner.id, nodeId: result.node.id }, 'owner created on pairing');
    return c.json(
      {
        owner: { id: result.owner.id, name: result.owner.name, token: result.token },
        node: { nodeId: result.node.id, nodeName: result.node.name, ownerId: result.owner.id },
      },
      201,
    );
  });

  const admin = {
    tags,
    middleware: adminAuth(deps.adminToken),
    security: [{ [SecuritySchemes.admin]: [] }],
  };
  const createInvite = createRoute({
    ...admin,
    method: 'post',
    path: '/v1/owner-invites',
    summary: 'Make an invite code for one new contributor (the invite account policy); shown once',
    request: jsonBody(CreateInviteBodySchema, 'A note and how long it stays valid'),
    responses: {
      201: jsonContent(CreatedInviteSchema, 'The invite and its code'),
      ...errorResponses(400, 401),
    },
  });
  app.openapi(createInvite, async (c) => {
    const { note, expiresInHours } = c.req.valid('json');
    const { code, row } = await store.createInvite(
      note ?? null,
      new Date(Date.now() + expiresInHours * 3_600_000),
    );
    deps.logger.info({ inviteId: row.id }, 'invite created');
    return c.json({ ...toInvite(row), code }, 201);
  });

  const listInvites = createRoute({
    ...admin,
    method: 'get',
    path: '/v1/owner-invites',
    summary: 'Every invite code, newest first (never the codes)',
    responses: { 200: jsonContent(OwnerInviteListSchema, 'The invites'), ...errorResponses(401) },
  });
  app.openapi(listInvites, async (c) => c.json({ invites: (await store.listInvites()).map(toInvite) }, 200));
}
