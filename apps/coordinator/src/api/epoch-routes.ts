import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { ConflictError, NotFoundError } from '@gleaner/core';
import {
  EpochFileSchema,
  EpochListSchema,
  EpochParamSchema,
  EpochProofSchema,
  EpochsQuerySchema,
  SigningKeySchema,
  type EpochFile,
} from '@gleaner/contracts';
import { EpochStore, type EpochPublication, type EpochRow } from '@gleaner/db';
import type { ApiDeps } from './api-deps.js';
import { ownerAuth, SecuritySchemes } from './auth.js';
import { errorResponses, jsonContent } from './route-helpers.js';

type TreeDump = Parameters<typeof StandardMerkleTree.load<[string, string]>>[0];

/** A closed epoch's publication, or the error that says why there is none. */
function publicationOf(epoch: EpochRow | undefined, id: number): EpochPublication {
  if (!epoch) throw new NotFoundError(`epoch ${id} does not exist`);
  if (!epoch.publication)
    throw new ConflictError(`epoch ${id} is not closed yet (it ends ${epoch.endsAt.toISOString()})`);
  return epoch.publication;
}

/**
 * Registers the reward epochs (public list and published files; the caller's Merkle proof with an owner token) and
 * the coordinator's public signing key, which epoch files and dataset snapshot manifests are signed with.
 */
export function registerEpochRoutes(app: OpenAPIHono, deps: ApiDeps): void {
  const epochs = new EpochStore(deps.db);
  // A closed epoch never changes: its file and every proof from it may be cached for long.
  const immutable = 'public, max-age=86400, immutable';

  const list = createRoute({
    tags: ['Epochs'],
    method: 'get',
    path: '/v1/epochs',
    summary: 'Reward epochs, newest first, with their Merkle root and total once closed (no auth)',
    request: { query: EpochsQuerySchema },
    responses: { 200: jsonContent(EpochListSchema, 'A page of epochs'), ...errorResponses(400) },
  });
  app.openapi(list, async (c) => {
    const { before, limit } = c.req.valid('query');
    const rows = await epochs.list(limit + 1, before);
    const page = rows.slice(0, limit);
    return c.json(
      {
        epochs: page.map((e) => ({
          id: e.id,
          startsAt: e.startsAt.toISOString(),
          endsAt: e.endsAt.toISOString(),
          closedAt: e.closedAt?.toISOString() ?? null,
          root: e.merkleRoot,
          total: e.totalPoints,
        })),
        next: rows.length > limit ? page.at(-1)!.id : null,
      },
      200,
    );
  });

  const file = createRoute({
    tags: ['Epochs'],
    method: 'get',
    path: '/v1/epochs/{id}',
    summary: "A closed epoch's published file: balances, Merkle tree, root and signature (no auth)",
    request: { params: EpochParamSchema },
    responses: {
      200: jsonContent(EpochFileSchema, 'The file, never changed after the close'),
      ...errorResponses(400, 404, 409),
    },
  });
  app.openapi(file, async (c) => {
    const { id } = c.req.valid('param');
    const publication = publicationOf(await epochs.get(id), id);
    c.header('cache-control', immutable);
    return c.json(publication as EpochFile, 200);
  });

  const proof = createRoute({
    tags: ['Epochs'],
    method: 'get',
    path: '/v1/epochs/{id}/proof',
    summary: "The caller's balance in a closed epoch and its Merkle proof (for StandardMerkleTree.verify)",
    middleware: ownerAuth(deps.accounts),
    security: [{ [SecuritySchemes.owner]: [] }],
    request: { params: EpochParamSchema },
    responses: {
      200: jsonContent(EpochProofSchema, 'The leaf and its proof'),
      ...errorResponses(400, 401, 404, 409),
    },
  });
  app.openapi(proof, async (c) => {
    const { id } = c.req.valid('param');
    const ownerId = c.get('owner').id;
    const publication = publicationOf(await epochs.get(id), id);
    const tree = publication.tree ? StandardMerkleTree.load(publication.tree as TreeDump) : undefined;
    const entry = tree && [...tree.entries()].find(([, leaf]) => leaf[0] === ownerId);
    if (!tree || !entry) throw new NotFoundError(`you have no balance in epoch ${id}`);
    const [index, leaf] = entry;
    return c.json(
      {
        epochId: id,
        root: publication.root,
        ownerId,
        amount: Number(leaf[1]),
        leafEncoding: publication.leafEncoding,
        leaf,
        proof: tree.getProof(index),
      },
      200,
    );
  });

  const signingKey = createRoute({
    tags: ['Epochs'],
    method: 'get',
    path: '/v1/signing-key',
    summary:
      "The coordinator's Ed25519 public key and key id: what epoch files and snapshot manifests are signed with",
    responses: {
      200: jsonContent(SigningKeySchema, 'The public key'),
      ...errorResponses(404),
    },
  });
  app.openapi(signingKey, (c) => {
    const key = deps.signingKey;
    if (!key)
      throw new NotFoundError('this coordinator has no signing key configured (GLEANER_SIGNING_KEY_FILE)');
    c.header('cache-control', 'public, max-age=300');
    return c.json({ algorithm: 'ed25519' as const, keyId: key.keyId, publicKey: key.publicKeyPem }, 200);
  });
}
