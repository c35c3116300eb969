import { z } from 'zod';
import { TimestampSchema } from './common.js';

const NameSchema = z.string().trim().min(1).max(200);

/** Body of `POST /v1/owners`. */
export const CreateOwnerBodySchema = z.object({ name: NameSchema }).meta({ id: 'CreateOwnerBody' });

/** A new contributor account with its owner token (shown only in this response). */
export const CreatedOwnerSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    token: z.string().meta({ description: 'Shown once; store it now' }),
  })
  .meta({ id: 'CreatedOwner' });

/** A new contributor account with its owner token. */
export type CreatedOwner = z.infer<typeof CreatedOwnerSchema>;

/** Scopes a lab API key may carry. */
export const ApiKeyScopeSchema = z.enum(['datasets:read']).meta({ id: 'ApiKeyScope' });

/** A scope a lab API key may carry. */
export type ApiKeyScope = z.infer<typeof ApiKeyScopeSchema>;

/** Body of `POST /v1/api-keys`; `scopes` default to `['datasets:read']`. */
export const CreateApiKeyBodySchema = z
  .object({ name: NameSchema, scopes: z.array(ApiKeyScopeSchema).min(1).max(16).default(['datasets:read']) })
  .meta({ id: 'CreateApiKeyBody' });

/** Body of `POST /v1/api-keys` as sent. */
export type CreateApiKeyBody = z.input<typeof CreateApiKeyBodySchema>;

/** A lab API key as lists show it: never the key or its hash. */
export const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: 'First characters of the key, to recognise it' }),
    scopes: z.array(z.string()),
    createdAt: TimestampSchema,
    revokedAt: TimestampSchema.nullable(),
    lastUsedAt: TimestampSchema.nullable(),
  })
  .meta({ id: 'ApiKey' });

/** A lab API key as lists show it. */
export type ApiKey = z.infer<typeof ApiKeySchema>;

/** A new lab API key with the key itself (shown only in this response). */
export const CreatedApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    key: z.string().meta({ description: 'Shown once; store it now' }),
    scopes: z.array(z.string()),
    createdAt: TimestampSchema,
  })
  .meta({ id: 'CreatedApiKey' });

/** A new lab API key with the key itself. */
export type CreatedApiKey = z.infer<typeof CreatedApiKeySchema>;

/** Body of `GET /v1/api-keys`, newest first. */
export const ApiKeyListSchema = z.object({ apiKeys: z.array(ApiKeySchema) }).meta({ id: 'ApiKeyList' });

/** Body of `GET /v1/api-keys`. */
export type ApiKeyList = z.infer<typeof ApiKeyListSchema>;

/** Body of `POST /v1/nodes`: the node's Ed25519 public key (SPKI PEM) and an optional name. */
export const RegisterNodeBodySchema = z
  .object({
    publicKey: z.string().min(1).max(4096).meta({ description: 'Ed25519 public key, SPKI PEM' }),
    name: z.string().trim().min(1).max(100).optional(),
  })
  .meta({ id: 'RegisterNodeBody' });

/** Body of `POST /v1/nodes` as sent. */
export type RegisterNodeBody = z.input<typeof RegisterNodeBodySchema>;

/** A registered node's id and owner. */
export const RegisteredNodeSchema = z
  .object({ nodeId: z.string(), ownerId: z.string() })
  .meta({ id: 'RegisteredNode' });

/** A registered node's id and owner. */
export type RegisteredNode = z.infer<typeof RegisteredNodeSchema>;

/** Body of `GET /v1/me`: the calling contributor and the points their nodes earned. */
export const MeSchema = z
  .object({ id: z.string(), name: z.string(), points: z.number().int() })
  .meta({ id: 'Me' });

/** Body of `GET /v1/me`. */
export type Me = z.infer<typeof MeSchema>;

/** One of the caller's nodes, with its points. */
export const ContributorNodeSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    publicKey: z.string(),
    points: z.number().int(),
    createdAt: TimestampSchema,
    lastSeenAt: TimestampSchema.nullable(),
  })
  .meta({ id: 'ContributorNode' });

/** One of the caller's nodes. */
export type ContributorNode = z.infer<typeof ContributorNodeSchema>;

/** Body of `GET /v1/me/nodes`, oldest first. */
export const ContributorNodeListSchema = z
  .object({ nodes: z.array(ContributorNodeSchema) })
  .meta({ id: 'ContributorNodeList' });

/** Body of `GET /v1/me/nodes`. */
export type ContributorNodeList = z.infer<typeof ContributorNodeListSchema>;
