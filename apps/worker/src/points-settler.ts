import { silentLogger, type Logger } from '@gleaner/core';
import type { PointsStore, RecordStore, TrustStore } from '@gleaner/db';
import { settleDecision, type SettlePolicy } from '@gleaner/trust';

/** Collaborators and settings of the {@link PointsSettler}. */
export interface PointsSettlerOptions {
  trust: TrustStore;
  points: PointsStore;
  records: RecordStore;
  settle: SettlePolicy;
  /** Length of a reward epoch, ms; epoch n spans [n·epochMs, (n+1)·epochMs) since the Unix epoch. */
  epochMs: number;
  /** How long a vote may wait for its redundant fetch before it expires, ms. */
  voteExpiryMs: number;
  logger?: Logger;
}

/** The epoch a moment falls in. */
export function epochOf(atMs: number, epochMs: number): number {
  return Math.floor(atMs / epochMs);
}

/**
 * The `settle` queue's work. The sweep settles the pending points of trusted nodes once they have waited the hold,
 * voids those of banned nodes, and expires votes whose redundant fetch never came. A ban voids the node's pending
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
      if (decision === 'settle') settled += await points.settle(nodeId, new Date(cut), epochOf(now, epochMs));
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
    const tombstones = await records.withdrawRecords(withdrawnIds, `node banned: ${reason}`);
    let reversed = 0;
    for (const recordId of withdrawnIds) {
      if (await points.reverse(recordId, `record withdrawn: node banned: ${reason}`, epochOf(now, epochMs)))
        reversed++;
    }
    this.logger.warn({ nodeId, reason, voided, withdrawn: tombstones.length, reversed }, 'ban carried out');
    return { voided, withdrawn: tombstones.length, reversed };
  }
}
