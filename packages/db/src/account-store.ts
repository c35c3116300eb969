import { and, asc, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { newId, newSecret, sha256Hex } from '@gleaner/core';
import type { Db } from './database.js';
import { apiKeys, nodes, owners, ownerTokens, pointsLedger } from './schema.js';

/** A contributor account as the API shows it. */
export type Owner = typeof owners.$inferSelect;
/** A registered node. */
export type NodeRow = typeof nodes.$inferSelect;
/** A lab API key as stored (never the key itself). */
export type ApiKeyRow = typeof apiKeys.$inferSelect;

/** What a new API key may be limited to; every limit left out (or null) does not apply. */
export interface ApiKeyLimits {
  /** The only datasets the key may read. */
  datasetIds?: string[] | null;
  /** When the key stops working. */
  expiresAt?: Date | null;
  /** Most feed records per UTC day. */
  recordsPerDay?: number | null;
  /** Most bytes served per UTC day. */
  bytesPerDay?: number | null;
  /** Most requests per minute. */
  requestsPerMinute?: number | null;
}

/** A node's id with its Ed25519 public key (SPKI PEM): what labs check record signatures with. */
export interface NodeKey {
  nodeId: string;
  publicKey: string;
  createdAt: Date;
}

/** Default of the most nodes one owner may register (the coordinator's `GLEANER_MAX_NODES_PER_OWNER`). */
export const DEFAULT_MAX_NODES_PER_OWNER = 20;

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * Inside `tx`, registers a node's public key for an owner unless the owner already has `maxNodes` nodes (every node
 * it ever registered counts, banned ones too). The owner's row is locked while counting, so registrations side by
 * side never pass the cap together. Returns undefined when the owner is at the cap.
 */
export async function insertNodeWithinCap(
  tx: Tx,
  ownerId: string,
  publicKeyPem: string,
  name: string,
  maxNodes: number,
): Promise<NodeRow | undefined> {
  await tx.select({ id: owners.id }).from(owners).where(eq(owners.id, ownerId)).for('update');
  const [row] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(nodes)
    .where(eq(nodes.ownerId, ownerId));
  if ((row?.count ?? 0) >= maxNodes) return undefined;
  const [node] = await tx
    .insert(nodes)
    .values({ id: newId('nod'), ownerId, publicKey: publicKeyPem, name })
    .returning();
  return node!;
}

/** Contributors, their nodes and lab API keys. Secrets are returned once and stored as SHA-256. */
export class AccountStore {
  constructor(private readonly db: Db) {}

  /** Creates a contributor account; returns it with its owner token (shown once). */
  async createOwner(name: string): Promise<{ owner: Owner; token: string }> {
    const token = newSecret('gow');
    const [owner] = await this.db
      .insert(owners)
      .values({ id: newId('own'), name, tokenHash: sha256Hex(token) })
      .returning();
    return { owner: owner!, token };
  }

  /** The owner a token belongs to (the account's own token, or one issued to a paired node), or undefined. */
  async ownerByToken(token: string): Promise<Owner | undefined> {
    return (await this.ownerCredential(token))?.owner;
  }

  /**
   * The owner a token belongs to, and which token it is: the account's own (`issuedTokenId` null) or an unrevoked one
   * issued to a node paired by code (`owner_tokens`, by id). Undefined for any other token.
   */
  async ownerCredential(token: string): Promise<{ owner: Owner; issuedTokenId: string | null } | undefined> {
    const hash = sha256Hex(token);
    const [owner] = await this.db.select().from(owners).where(eq(owners.tokenHash, hash));
    if (owner) return { owner, issuedTokenId: null };
    const [issued] = await this.db
      .select({ owner: owners, id: ownerTokens.id })
      .from(ownerTokens)
      .innerJoin(owners, eq(owners.id, ownerTokens.ownerId))
      .where(and(eq(ownerTokens.tokenHash, hash), isNull(ownerTokens.revokedAt)));
    return issued ? { owner: issued.owner, issuedTokenId: issued.id } : undefined;
  }

  /** Revokes an owner token issued to a paired node (by its id); it stops working at once. */
  async revokeIssuedToken(id: string): Promise<void> {
    await this.db
      .update(ownerTokens)
      .set({ revokedAt: sql`coalesce(${ownerTokens.revokedAt}, now())` })
      .where(eq(ownerTokens.id, id));
  }

  /** Registers a node's public key for an owner. */
  async createNode(ownerId: string, publicKeyPem: string, name: string): Promise<NodeRow> {
    const [node] = await this.db
      .insert(nodes)
      .values({ id: newId('nod'), ownerId, publicKey: publicKeyPem, name })
      .returning();
    return node!;
  }

  /**
   * Registers a node's public key for an owner unless the owner already has `maxNodes` nodes (every node it ever
   * registered counts, banned ones too). The owner's row is locked while counting, so registrations side by side
   * never pass the cap together. Returns undefined when the owner is at the cap.
   */
  async createNodeWithinCap(
    ownerId: string,
    publicKeyPem: string,
    name: string,
    maxNodes: number,
  ): Promise<NodeRow | undefined> {
    return this.db.transaction((tx) => insertNodeWithinCap(tx, ownerId, publicKeyPem, name, maxNodes));
  }

  /** How many nodes an owner has registered (banned ones included). */
  async countNodes(ownerId: string): Promise<number> {
    const [row] = await this.db
      .select({ count: sql<number>`count(*)::int` })
      .from(nodes)
      .where(eq(nodes.ownerId, ownerId));
    return row?.count ?? 0;
  }

  /** A node by id, or undefined. */
  async getNode(id: string): Promise<NodeRow | undefined> {
    const [node] = await this.db.select().from(nodes).where(eq(nodes.id, id));
    return node;
  }

  /** An owner's nodes with the points each earned. */
  async listNodesWithPoints(ownerId: string): Promise<(NodeRow & { points: number })[]> {
    const totals = this.db
      .select({ nodeId: pointsLedger.nodeId, points: sql<string>`sum(${pointsLedger.points})`.as('points') })
      .from(pointsLedger)
      .where(eq(pointsLedger.ownerId, ownerId))
      .groupBy(pointsLedger.nodeId)
      .as('totals');
    const rows = await this.db
      .select({ node: nodes, points: totals.points })
      .from(nodes)
      .leftJoin(totals, eq(totals.nodeId, nodes.id))
      .where(eq(nodes.ownerId, ownerId))
      .orderBy(nodes.createdAt);
    return rows.map((r) => ({ ...r.node, points: Number(r.points ?? 0) }));
  }

  /** Records that a node was seen now. */
  async touchNode(id: string): Promise<void> {
    await this.db.update(nodes).set({ lastSeenAt: new Date() }).where(eq(nodes.id, id));
  }

  /** Total points an owner earned. */
  async ownerPoints(ownerId: string): Promise<number> {
    const [row] = await this.db
      .select({ total: sql<string>`coalesce(sum(${pointsLedger.points}), 0)` })
      .from(pointsLedger)
      .where(eq(pointsLedger.ownerId, ownerId));
    return Number(row?.total ?? 0);
  }

  /**
   * Every node's public key, ordered by node id, `limit` at a time after the node id `after` (exclusive; omit to
   * start). Public data: the keys labs verify record signatures with.
   */
  listNodeKeys(limit: number, after?: string): Promise<NodeKey[]> {
    return this.db
      .select({ nodeId: nodes.id, publicKey: nodes.publicKey, createdAt: nodes.createdAt })
      .from(nodes)
      .where(after === undefined ? undefined : gt(nodes.id, after))
      .orderBy(asc(nodes.id))
      .limit(limit);
  }

  /** Creates a lab API key; returns the key (shown once) and its stored row. */
  async createApiKey(
    name: string,
    scopes: string[],
    limits: ApiKeyLimits = {},
  ): Promise<{ key: string; row: ApiKeyRow }> {
    const key = newSecret('glk');
    const [row] = await this.db
      .insert(apiKeys)
      .values({
        id: newId('key'),
        name,
        prefix: key.slice(0, 10),
        keyHash: sha256Hex(key),
        scopes,
        datasetIds: limits.datasetIds ?? null,
        expiresAt: limits.expiresAt ?? null,
        recordsPerDay: limits.recordsPerDay ?? null,
        bytesPerDay: limits.bytesPerDay ?? null,
        requestsPerMinute: limits.requestsPerMinute ?? null,
      })
      .returning();
    return { key, row: row! };
  }

  /** An API key by id (revoked ones too), or undefined. */
  async getApiKey(id: string): Promise<ApiKeyRow | undefined> {
    const [row] = await this.db.select().from(apiKeys).where(eq(apiKeys.id, id));
    return row;
  }

  /** Records when a key was last used; callers throttle it (see `ApiKeyLimiter.shouldTouch`). */
  async touchApiKey(id: string, at: Date = new Date()): Promise<void> {
    await this.db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id));
  }

  /** All API keys, newest first. */
  listApiKeys(): Promise<ApiKeyRow[]> {
    return this.db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt));
  }

  /** Revokes a key; returns false when no such key exists. */
  async revokeApiKey(id: string): Promise<boolean> {
    const rows = await this.db
      .update(apiKeys)
      .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
      .where(eq(apiKeys.id, id))
      .returning({ id: apiKeys.id });
    return rows.length > 0;
  }

  /** The unrevoked key matching a presented secret (expired ones too: the caller says why it refuses), or undefined. */
  async activeApiKey(key: string): Promise<ApiKeyRow | undefined> {
    const [row] = await this.db
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.keyHash, sha256Hex(key)), isNull(apiKeys.revokedAt)));
    return row;
  }
}
