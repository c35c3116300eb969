import { and, desc, eq, inArray, isNull, like, sql } from 'drizzle-orm';
import { newSecret, sha256Hex } from '@gleaner/core';
import type { Db } from './database.js';
import { nodes, owners, records, verifications, type NodeStandingValue } from './schema.js';
import type { VerificationBallot, VerificationState } from './schema.js';

/** A node's trust as stored: the same shape as @gleaner/trust's `NodeTrust`. */
export interface StoredTrust {
  score: { alpha: number; beta: number };
  checksPassed: number;
  pagesDone: number;
  outvotes: number;
  lastOutvotedUrl?: string;
  checksAtOutvote?: number;
  provenAt?: number;
  provenReason?: string;
}

/** A node's trust with what decides its work and pay. */
export interface NodeTrustView {
  nodeId: string;
  ownerId: string;
  trust: StoredTrust;
  standing: NodeStandingValue;
  addressPrefix: string | null;
  /** Whether the node or its owner is banned. */
  banned: boolean;
}

/** A node as the admins' list shows it. */
export type ListedNode = NodeTrustView & {
  name: string;
  ownerName: string;
  lastSeenAt: Date | null;
  banReason: string | null;
};

/** How the ban reason of a node banned with its owner starts; an owner's unban lifts exactly these node bans. */
export const OWNER_BAN_PREFIX = 'owner banned: ';

/** The ban reason given to each node of an owner banned for `reason`. */
export function ownerBanReason(reason: string): string {
  return `${OWNER_BAN_PREFIX}${reason}`;
}

/** A verification vote as stored. */
export type VerificationRow = typeof verifications.$inferSelect;

/**
 * The one writer of nodes' trust, standings and bans, and of verification votes. Every change to a node's trust is a
 * read-modify-write under the row's lock, so two workers judging the same node never lose an update; what the
 * change is, is the caller's (@gleaner/trust's functions).
 */
export class TrustStore {
  constructor(private readonly db: Db) {}

  /** A node's trust, standing and ban state, or undefined for an unknown node. */
  async view(nodeId: string): Promise<NodeTrustView | undefined> {
    const [row] = await this.db
      .select({ node: nodes, ownerBannedAt: owners.bannedAt })
      .from(nodes)
      .innerJoin(owners, eq(owners.id, nodes.ownerId))
      .where(eq(nodes.id, nodeId));
    return row ? toView(row.node, row.ownerBannedAt) : undefined;
  }

  /**
   * Applies `change` to a node's trust under its row lock and stores the result with the standing `standingOf`
   * gives it. A ban (a proof, or an admin's) sticks: only {@link unban} lifts it. Returns the new view.
   */
  async update(
    nodeId: string,
    change: (trust: StoredTrust) => StoredTrust,
    standingOf: (trust: StoredTrust) => NodeStandingValue,
  ): Promise<NodeTrustView | undefined> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.select().from(nodes).where(eq(nodes.id, nodeId)).for('update');
      if (!row) return undefined;
      const next = change(toView(row, null).trust);
      const proven = next.provenAt !== undefined;
      const standing: NodeStandingValue = row.bannedAt || proven ? 'banned' : standingOf(next);
      const [updated] = await tx
        .update(nodes)
        .set({
          trustAlpha: next.score.alpha,
          trustBeta: next.score.beta,
          checksPassed: next.checksPassed,
          pagesDone: next.pagesDone,
          outvotes: next.outvotes,
          lastOutvotedUrl: next.lastOutvotedUrl ?? null,
          checksAtOutvote: next.checksAtOutvote ?? null,
          standing,
          ...(proven && !row.bannedAt
            ? { bannedAt: new Date(next.provenAt!), banReason: next.provenReason ?? 'fabrication proven' }
            : {}),
        })
        .where(eq(nodes.id, nodeId))
        .returning();
      return toView(updated!, null);
    });
  }

  /** The standings of connected nodes, by node id (a banned owner makes its nodes banned). */
  async standings(nodeIds: readonly string[]): Promise<Map<string, NodeStandingValue>> {
    if (nodeIds.length === 0) return new Map();
    const rows = await this.db
      .select({ id: nodes.id, standing: nodes.standing, ownerBannedAt: owners.bannedAt })
      .from(nodes)
      .innerJoin(owners, eq(owners.id, nodes.ownerId))
      .where(inArray(nodes.id, [...nodeIds]));
    return new Map(rows.map((row) => [row.id, row.ownerBannedAt ? 'banned' : row.standing]));
  }

  /** Bans a node (an admin's decision, or proof of fabrication): it may not connect, and its points stop settling. */
  async ban(nodeId: string, reason: string): Promise<boolean> {
    const updated = await this.db
      .update(nodes)
      .set({ standing: 'banned', bannedAt: new Date(), banReason: reason })
      .where(and(eq(nodes.id, nodeId), isNull(nodes.bannedAt)))
      .returning({ id: nodes.id });
    return updated.length > 0;
  }

  /** Lifts a node's ban: it starts over on probation, with the evidence it had but no lost votes counted. */
  async unban(nodeId: string): Promise<boolean> {
    const updated = await this.db
      .update(nodes)
      .set(LIFTED_BAN)
      .where(eq(nodes.id, nodeId))
      .returning({ id: nodes.id });
    return updated.length > 0;
  }

  /** Bans or unbans an owner: a banned owner's nodes may not connect. */
  async setOwnerBan(ownerId: string, reason: string | null): Promise<boolean> {
    const updated = await this.db
      .update(owners)
      .set(
        reason === null ? { bannedAt: null, banReason: null } : { bannedAt: new Date(), banReason: reason },
      )
      .where(eq(owners.id, ownerId))
      .returning({ id: owners.id });
    return updated.length > 0;
  }

  /** Records the network a node's session came from (its address prefix only). */
  async recordNetwork(nodeId: string, addressPrefix: string | undefined): Promise<void> {
    await this.db
      .update(nodes)
      .set({ addressPrefix: addressPrefix ?? null, lastSeenAt: new Date() })
      .where(eq(nodes.id, nodeId));
  }

  /** Nodes with their owner, trust and state, newest first, for admins. */
  async listNodes(limit = 500, offset = 0): Promise<ListedNode[]> {
    return this.listed(undefined, limit, offset);
  }

  /** One node as {@link listNodes} shows it, or undefined for an unknown node. */
  async listedNode(nodeId: string): Promise<ListedNode | undefined> {
    const [node] = await this.listed(nodeId, 1, 0);
    return node;
  }

  private async listed(nodeId: string | undefined, limit: number, offset: number): Promise<ListedNode[]> {
    const rows = await this.db
      .select({ node: nodes, ownerName: owners.name, ownerBannedAt: owners.bannedAt })
      .from(nodes)
      .innerJoin(owners, eq(owners.id, nodes.ownerId))
      .where(nodeId === undefined ? undefined : eq(nodes.id, nodeId))
      .orderBy(desc(nodes.createdAt), desc(nodes.id))
      .limit(limit)
      .offset(offset);
    return rows.map(({ node, ownerName, ownerBannedAt }) => ({
      ...toView(node, ownerBannedAt),
      name: node.name,
      ownerName,
      lastSeenAt: node.lastSeenAt,
      banReason: node.banReason,
    }));
  }

  /** The ids of an owner's nodes, or undefined for an unknown owner. */
  async nodeIdsOfOwner(ownerId: string): Promise<string[] | undefined> {
    const [owner] = await this.db.select({ id: owners.id }).from(owners).where(eq(owners.id, ownerId));
    if (!owner) return undefined;
    const rows = await this.db.select({ id: nodes.id }).from(nodes).where(eq(nodes.ownerId, ownerId));
    return rows.map((row) => row.id);
  }

  /**
   * Lifts an owner's ban and the bans its nodes got with it (reason starting {@link OWNER_BAN_PREFIX}); nodes banned
   * for anything else stay banned. Returns the nodes unbanned, or undefined for an unknown owner.
   */
  async unbanOwner(ownerId: string): Promise<string[] | undefined> {
    return this.db.transaction(async (tx) => {
      const owner = await tx
        .update(owners)
        .set({ bannedAt: null, banReason: null })
        .where(eq(owners.id, ownerId))
        .returning({ id: owners.id });
      if (owner.length === 0) return undefined;
      const unbanned = await tx
        .update(nodes)
        .set(LIFTED_BAN)
        .where(and(eq(nodes.ownerId, ownerId), like(nodes.banReason, `${OWNER_BAN_PREFIX}%`)))
        .returning({ id: nodes.id });
      return unbanned.map((row) => row.id);
    });
  }

  /**
   * Gives an owner a new owner token (shown once: only its SHA-256 is kept); the old one stops working at once.
   * Undefined for an unknown owner.
   */
  async rotateOwnerToken(ownerId: string): Promise<string | undefined> {
    const token = newSecret('gow');
    const updated = await this.db
      .update(owners)
      .set({ tokenHash: sha256Hex(token) })
      .where(eq(owners.id, ownerId))
      .returning({ id: owners.id });
    return updated.length > 0 ? token : undefined;
  }

  /**
   * Revokes an owner's token: the account then has no valid token until {@link rotateOwnerToken} issues one. The
   * stored value is no SHA-256 (not hex), so no presented token can ever match it.
   */
  async revokeOwnerToken(ownerId: string): Promise<boolean> {
    const updated = await this.db
      .update(owners)
      .set({ tokenHash: `revoked:${newSecret('x')}` })
      .where(eq(owners.id, ownerId))
      .returning({ id: owners.id });
    return updated.length > 0;
  }

  /** What a vote needs of a record: its URL, campaign, text and who fetched it; undefined when withdrawn or gone. */
  async recordForVote(
    recordId: string,
  ): Promise<{ url: string; campaignId: string; text: string; nodeId: string; ownerId: string } | undefined> {
    const [row] = await this.db
      .select({
        url: records.url,
        campaignId: records.campaignId,
        text: records.text,
        nodeId: records.nodeId,
        ownerId: records.ownerId,
      })
      .from(records)
      .where(eq(records.id, recordId));
    return row;
  }

  /** The ids of every record a node fetched. */
  async recordIdsOf(nodeId: string): Promise<string[]> {
    const rows = await this.db.select({ id: records.id }).from(records).where(eq(records.nodeId, nodeId));
    return rows.map((row) => row.id);
  }

  /** Opens a verification vote on a record, its original fetch as the first ballot. */
  async openVerification(input: {
    id: string;
    campaignId: string;
    recordId: string;
    url: string;
    original: VerificationBallot;
  }): Promise<void> {
    await this.db
      .insert(verifications)
      .values({
        id: input.id,
        campaignId: input.campaignId,
        recordId: input.recordId,
        url: input.url,
        ballots: [input.original],
      })
      .onConflictDoNothing();
  }

  /** A verification vote, or undefined. */
  async verification(id: string): Promise<VerificationRow | undefined> {
    const [row] = await this.db.select().from(verifications).where(eq(verifications.id, id));
    return row;
  }

  /**
   * Adds a ballot to an open vote and lets `decide` say what the ballots now mean, under the vote's row lock (a
   * ballot from a node already in the vote is ignored). Returns the updated row, or undefined when the vote is not
   * open any more.
   */
  async castBallot(
    id: string,
    ballot: VerificationBallot,
    decide: (ballots: VerificationBallot[]) => {
      state: VerificationState;
      outcome?: unknown;
      askMore?: boolean;
    },
  ): Promise<VerificationRow | undefined> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.select().from(verifications).where(eq(verifications.id, id)).for('update');
      if (!row || row.state !== 'open') return undefined;
      if (row.ballots.some((b) => b.nodeId === ballot.nodeId)) return row;
      const ballots = [...row.ballots, ballot];
      const verdict = decide(ballots);
      const [updated] = await tx
        .update(verifications)
        .set({
          ballots,
          state: verdict.state,
          outcome: verdict.outcome ?? null,
          fetchesAsked: row.fetchesAsked + (verdict.askMore ? 1 : 0),
          ...(verdict.state === 'open' ? {} : { decidedAt: new Date() }),
        })
        .where(eq(verifications.id, id))
        .returning();
      return updated;
    });
  }

  /** Closes open votes older than `olderThan` whose redundant fetch never came (no other owner's node answered). */
  async expireVerifications(olderThan: Date): Promise<number> {
    const expired = await this.db
      .update(verifications)
      .set({ state: 'expired', decidedAt: new Date() })
      .where(and(eq(verifications.state, 'open'), sql`${verifications.createdAt} < ${olderThan}`))
      .returning({ id: verifications.id });
    return expired.length;
  }

  /** How many nodes stand where, a node of a banned owner counted as banned (for metrics). */
  async standingCounts(): Promise<Record<NodeStandingValue, number>> {
    const rows = await this.db
      .select({
        standing: sql<NodeStandingValue>`case when ${owners.bannedAt} is not null then 'banned' else ${nodes.standing} end`,
        count: sql<number>`count(*)::int`,
      })
      .from(nodes)
      .innerJoin(owners, eq(owners.id, nodes.ownerId))
      .groupBy(sql`1`);
    const counts: Record<NodeStandingValue, number> = { probation: 0, trusted: 0, quarantined: 0, banned: 0 };
    for (const row of rows) counts[row.standing] = row.count;
    return counts;
  }

  /** Verification votes by state (open, agreed, decided, undecided, expired), for metrics. */
  async voteCounts(): Promise<Partial<Record<VerificationState, number>>> {
    const rows = await this.db
      .select({ state: verifications.state, count: sql<number>`count(*)::int` })
      .from(verifications)
      .groupBy(verifications.state);
    return Object.fromEntries(rows.map((row) => [row.state, row.count]));
  }

  /** Records of a node that a vote upheld (its fetch agreed with another owner's): kept when it is banned. */
  async upheldRecordIds(nodeId: string): Promise<Set<string>> {
    const rows = await this.db
      .select({ recordId: verifications.recordId })
      .from(verifications)
      .where(
        and(eq(verifications.state, 'agreed'), sql`${verifications.ballots} -> 0 ->> 'nodeId' = ${nodeId}`),
      );
    return new Set(rows.map((row) => row.recordId));
  }
}

/** What lifting a ban writes: probation, and a fresh count of lost votes. */
const LIFTED_BAN = {
  standing: 'probation',
  bannedAt: null,
  banReason: null,
  outvotes: 0,
  lastOutvotedUrl: null,
  checksAtOutvote: null,
} as const;

function toView(row: typeof nodes.$inferSelect, ownerBannedAt: Date | null): NodeTrustView {
  const trust: StoredTrust = {
    score: { alpha: row.trustAlpha, beta: row.trustBeta },
    checksPassed: row.checksPassed,
    pagesDone: row.pagesDone,
    outvotes: row.outvotes,
    ...(row.lastOutvotedUrl !== null ? { lastOutvotedUrl: row.lastOutvotedUrl } : {}),
    ...(row.checksAtOutvote !== null ? { checksAtOutvote: row.checksAtOutvote } : {}),
    ...(row.bannedAt ? { provenAt: row.bannedAt.getTime(), provenReason: row.banReason ?? 'banned' } : {}),
  };
  return {
    nodeId: row.id,
    ownerId: row.ownerId,
    trust,
    standing: ownerBannedAt ? 'banned' : row.standing,
    addressPrefix: row.addressPrefix,
    banned: row.bannedAt !== null || ownerBannedAt !== null,
  };
}
