import { z } from 'zod';
import { TimestampSchema } from './common.js';

/** Path parameter `{id}` of the epoch routes: an epoch number. */
export const EpochParamSchema = z.object({
  id: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .meta({ param: { name: 'id', in: 'path' }, example: 20412 }),
});

/** Query of `GET /v1/epochs`: `before` (an epoch id, exclusive; omit to start) and `limit` (default 100). */
export const EpochsQuerySchema = z.object({
  before: z.coerce.number().int().min(0).optional().meta({ description: 'The `next` of the previous page' }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const HexSchema = z.string().regex(/^0x[0-9a-f]*$/);

/** An epoch in the public list. */
export const EpochSummarySchema = z
  .object({
    id: z.number().int(),
    startsAt: TimestampSchema,
    endsAt: TimestampSchema,
    closedAt: TimestampSchema.nullable(),
    root: HexSchema.nullable().meta({ description: 'Merkle root of the balances; null while open' }),
    total: z.number().int().nullable().meta({ description: 'Sum of the balances; null while open' }),
  })
  .meta({ id: 'EpochSummary' });

/** Body of `GET /v1/epochs`: newest first. */
export const EpochListSchema = z
  .object({
    epochs: z.array(EpochSummarySchema),
    next: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'Pass as `before` for the next page; null on the last' }),
  })
  .meta({ id: 'EpochList' });

/** Body of `GET /v1/epochs`. */
export type EpochList = z.infer<typeof EpochListSchema>;

/** An Ed25519 signature with the key that made it. */
export const EpochSignatureSchema = z.object({
  algorithm: z.literal('ed25519'),
  keyId: z.string().meta({ description: 'First 16 hex digits of the SHA-256 of the SPKI DER' }),
  publicKey: z.string().meta({ description: 'SPKI PEM' }),
  value: z.string().meta({ description: 'Base64' }),
});

/**
 * Body of `GET /v1/epochs/{id}`: a closed epoch's published file. The signature is over the UTF-8 lines
 * `gleaner-epoch-v1`, `epochId`, `startsAt`, `endsAt`, `root`, `total` joined by `\n` (no final line break).
 */
export const EpochFileSchema = z
  .object({
    format: z.literal('gleaner-epoch-v1'),
    epochId: z.number().int(),
    startsAt: TimestampSchema,
    endsAt: TimestampSchema,
    closedAt: TimestampSchema,
    leafEncoding: z.tuple([z.literal('string'), z.literal('uint256')]),
    root: HexSchema.meta({ description: '32 zero bytes when no balance was positive' }),
    total: z.number().int(),
    balances: z.array(z.object({ ownerId: z.string(), amount: z.number().int() })),
    tree: z.unknown().meta({
      description:
        '@openzeppelin/merkle-tree StandardMerkleTree dump (load it with StandardMerkleTree.load); null when empty',
    }),
    signature: EpochSignatureSchema,
  })
  .meta({ id: 'EpochFile' });

/** Body of `GET /v1/epochs/{id}`. */
export type EpochFile = z.infer<typeof EpochFileSchema>;

/** Body of `GET /v1/epochs/{id}/proof`: the caller's leaf and its proof, for `StandardMerkleTree.verify`. */
export const EpochProofSchema = z
  .object({
    epochId: z.number().int(),
    root: HexSchema,
    ownerId: z.string(),
    amount: z.number().int(),
    leafEncoding: z.tuple([z.literal('string'), z.literal('uint256')]),
    leaf: z.tuple([z.string(), z.string()]).meta({ description: '[ownerId, amount as a decimal string]' }),
    proof: z.array(HexSchema),
  })
  .meta({ id: 'EpochProof' });

/** Body of `GET /v1/epochs/{id}/proof`. */
export type EpochProof = z.infer<typeof EpochProofSchema>;

/** Body of `GET /v1/signing-key`: the coordinator's public signing key (epochs, snapshot manifests). */
export const SigningKeySchema = z
  .object({
    algorithm: z.literal('ed25519'),
    keyId: z.string().meta({ description: 'First 16 hex digits of the SHA-256 of the SPKI DER' }),
    publicKey: z.string().meta({ description: 'SPKI PEM' }),
  })
  .meta({ id: 'SigningKey' });

/** Body of `GET /v1/signing-key`. */
export type SigningKeyInfo = z.infer<typeof SigningKeySchema>;
