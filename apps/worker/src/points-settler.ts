import { silentLogger, type Logger } from '@gleaner/core';
import type { PointsStore, RecordStore, TrustStore, WebhookStore } from '@gleaner/db';
import { settleDecision, type SettlePolicy } from '@gleaner/trust';

/** Collaborators and settings of the {@link PointsSettler}. */
export interface PointsSettlerOptions {
  trust: TrustStore;
  points: PointsStore;
  records: RecordStore;
  /** Announces the records a ban withdraws (`records.withdrawn`, in the withdrawal's transaction). Default none. */
  webhooks?: WebhookStore;
  settle: SettlePolicy;
  /** Length of a reward epoch, ms; epoch n spans [n·epochMs, (n+1)·epochMs) since the Unix epoch. */
  epochMs: number;
  /** How long a vote may wait for its redundant fetch before it expires, ms. */
  voteExpiryMs: number;
  /**
   * Most points settled per owner (all its nodes) per epoch; what is over stays pending for a later epoch.
   * Default {@link DEFAULT_MAX_POINTS_PER_OWNER_PER_EPOCH}.
   */
  maxPointsPerOwnerPerEpoch?: number;
  logger?: Logger;
}

/** Default cap of points settled per owner per epoch: 100,000 (20 nodes with a record every 17 s for a day). */
export const DEFAULT_MAX_POINTS_PER_OWNER_PER_EPOCH = 100_000;

/** The epoch a moment falls in. */
export function epochOf(atMs: number, epochMs: number): number {
  return Math.floor(atMs / epochMs);
}

/**
 * The `settle` queue's work. The sweep settles the pending points of trusted nodes once they have waited the hold
 * (at most the cap per owner per epoch; the rest wait for the next epoch), voids those of banned nodes, and expires votes whose redundant fetch never came. A ban voids the node's pending
 * points, withdraws every record of it that no vote upheld (the feed carries their tombstones), and reverses the
 * settled points of those records with new ledger entries. Both are safe to run again.
 */
export class PointsSettler {
  private readonly logger: Logger;

  constructor(private readonly options: PointsSettlerOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  /** One sweep over the nodes with pending points. */
  async sweep(now = Date.now()): Promise<{ settled: number; voided: number; expired: number }> {
    const { trust, points, settle, epochMs } = this.options;
    let settled = 0;
    let voided = 0;
    for (const nodeId of await points.nodesWithPending()) {
      const view = await trust.view(nodeId);
      if (!view) continue;
      // Every credit made before the cut has waited the hold; settleDecision says what the node's standing allows.
      const cut = now - settle.holdMs;
      const decision = settleDecision(view.standing, cut, now, settle);
      if (decision === 'void') voided += await points.voidPending(nodeId);
      if (decision === 'settle') {
        const cap = this.options.maxPointsPerOwnerPerEpoch ?? DEFAULT_MAX_POINTS_PER_OWNER_PER_EPOCH;
        settled += await points.settle(nodeId, new Date(cut), epochOf(now, epochMs), cap);
      }
    }
    const expired = await trust.expireVerifications(new Date(now - this.options.voteExpiryMs));
    if (settled + voided + expired > 0) this.logger.info({ settled, voided, expired }, 'points settled');
    return { settled, voided, expired };
  }

  /** Carries out a node's ban. */
  async ban(
    nodeId: string,
    reason: string,
    now = Date.now(),
  ): Promise<{ voided: number; withdrawn: number; reversed: number }> {
    const { trust, points, records, epochMs } = this.options;
    await trust.ban(nodeId, reason);
    const voided = await points.voidPending(nodeId);
    const upheld = await trust.upheldRecordIds(nodeId);
    const withdrawnIds = (await trust.recordIdsOf(nodeId)).filter((id) => !upheld.has(id));
    const { webhooks } = this.options;
    const tombstones = await records.withdrawRecords(
      withdrawnIds,
      `node banned: ${reason}`,
      webhooks && ((fresh, tx) => webhooks.publishWithdrawals(fresh, tx)),
    );
    let reversed = 0;
    for (const recordId of withdrawnIds) {
      if (await points.reverse(recordId, `record withdrawn: node banned: ${reason}`, epochOf(now, epochMs)))
        reversed++;
    }
    this.logger.warn({ nodeId, reason, voided, withdrawn: tombstones.length, reversed }, 'ban carried out');
    return { voided, withdrawn: tombstones.length, reversed };
  }
}
