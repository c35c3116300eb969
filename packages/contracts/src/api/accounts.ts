import { z } from 'zod';
import { TimestampSchema } from './common.js';

/** A person's, a key's or a node's display name. */
export const NameSchema = z.string().trim().min(1).max(200);

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
