import { z } from 'zod';
import { TimestampSchema } from './common.js';

/** Most nodes one page of `GET /v1/admin/nodes` returns. */
export const MAX_ADMIN_NODES_LIMIT = 500;

/** Query of `GET /v1/admin/nodes`: `offset` (the previous page's `next`; default 0) and `limit` (default 100). */
export const AdminNodesQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).default(0).meta({ description: "The previous page's `next`" }),
  limit: z.coerce.number().int().min(1).max(MAX_ADMIN_NODES_LIMIT).default(100),
});

/** Where a node stands: what work it gets and whether its points settle. */
export const NodeStandingSchema = z.enum(['probation', 'trusted', 'quarantined', 'banned']);

/** A node as admins see it: its owner, trust, standing and ban. */
export const AdminNodeSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    ownerId: z.string(),
    ownerName: z.string(),
    trust: z.object({
      mean: z.number().meta({ description: 'Posterior mean of the Beta trust score, 0 to 1' }),
      lowerBound: z.number().meta({ description: 'About its 5 % quantile, 0 to 1: what pay decisions use' }),
      alpha: z.number(),
      beta: z.number(),
    }),
    checksPassed: z.number().int(),
    pagesDone: z.number().int(),
    standing: NodeStandingSchema.meta({ description: "`banned` also when the node's owner is banned" }),
    banned: z.boolean(),
    banReason: z.string().nullable(),
    addressPrefix: z
      .string()
      .nullable()
      .meta({ description: 'Network of its last session (a /24 or /48 prefix), never the address' }),
    lastSeenAt: TimestampSchema.nullable(),
  })
  .meta({ id: 'AdminNode' });

/** A node as admins see it. */
export type AdminNode = z.infer<typeof AdminNodeSchema>;

/** Body of `GET /v1/admin/nodes`: nodes newest first, and where the next page starts. */
export const AdminNodeListSchema = z
  .object({
    nodes: z.array(AdminNodeSchema),
    next: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'Pass as `offset` for the next page; null on the last' }),
  })
  .meta({ id: 'AdminNodeList' });

/** Body of `GET /v1/admin/nodes`. */
export type AdminNodeList = z.infer<typeof AdminNodeListSchema>;

/** Body of the ban routes: why (kept with the ban, shown to admins). */
export const BanBodySchema = z.object({ reason: z.string().trim().min(1).max(500) }).meta({ id: 'BanBody' });

/** Body of the ban routes as sent. */
export type BanBody = z.input<typeof BanBodySchema>;

/** What a node ban or unban did. */
export const NodeBanResultSchema = z.object({ node: AdminNodeSchema }).meta({ id: 'NodeBanResult' });

/** What a node ban or unban did. */
export type NodeBanResult = z.infer<typeof NodeBanResultSchema>;

/** What an owner ban or unban did: the owner and the nodes whose state changed with it. */
export const OwnerBanResultSchema = z
  .object({
    ownerId: z.string(),
    banned: z.boolean(),
    nodeIds: z.array(z.string()).meta({ description: 'Nodes banned (or unbanned) with the owner' }),
  })
  .meta({ id: 'OwnerBanResult' });

/** What an owner ban or unban did. */
export type OwnerBanResult = z.infer<typeof OwnerBanResultSchema>;

/** Body of `POST /v1/admin/owners/{id}/token` and `POST /v1/me/token`: a new owner token, shown once. */
export const OwnerTokenSchema = z
  .object({
    ownerId: z.string(),
    token: z.string().meta({ description: 'Shown once; the previous token no longer works' }),
  })
  .meta({ id: 'OwnerToken' });

/** A new owner token. */
export type OwnerToken = z.infer<typeof OwnerTokenSchema>;
