import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.js';

/** Most node keys one page of `GET /v1/nodes/keys` returns. */
export const MAX_NODE_KEYS_LIMIT = 1000;

/** Query of `GET /v1/nodes/keys`: `after` (a node id, exclusive; omit to start) and `limit` (default 1000). */
export const NodeKeysQuerySchema = z.object({
  after: IdSchema.optional().meta({
    description: 'The `next` of the previous page; omit to start',
  }),
  limit: z.coerce.number().int().min(1).max(MAX_NODE_KEYS_LIMIT).default(MAX_NODE_KEYS_LIMIT),
});

/** A node's Ed25519 public key, to check the signatures in records' provenance. */
export const NodeKeySchema = z
  .object({
    nodeId: z.string(),
    publicKey: z.string().meta({ description: 'Ed25519 public key, SPKI PEM' }),
    createdAt: TimestampSchema,
  })
  .meta({ id: 'NodeKey' });

/** A node's public key. */
export type NodeKey = z.infer<typeof NodeKeySchema>;

/** Body of `GET /v1/nodes/keys`: node keys ordered by node id, and where the next page starts. */
export const NodeKeyListSchema = z
  .object({
    keys: z.array(NodeKeySchema),
    next: z
      .string()
      .nullable()
      .meta({ description: 'Pass as `after` for the next page; null on the last page' }),
  })
  .meta({ id: 'NodeKeyList' });

/** Body of `GET /v1/nodes/keys`. */
export type NodeKeyList = z.infer<typeof NodeKeyListSchema>;
