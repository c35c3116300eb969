import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import type { SigningKey } from '@gleaner/config';
import { signMessage, silentLogger, type Logger } from '@gleaner/core';
import type { EpochBalance, EpochPublication, EpochRow, EpochStore, PointsStore } from '@gleaner/db';
import { epochOf } from './points-settler.js';

/** How an epoch's Merkle leaves `[ownerId, amount]` are ABI-encoded (what a claims contract hashes). */
export const EPOCH_LEAF_ENCODING: ['string', 'uint256'] = ['string', 'uint256'];

/** The root published for an epoch with no positive balance: 32 zero bytes, which no leaf and proof can reach. */
export const EMPTY_EPOCH_ROOT = `0x${'00'.repeat(32)}`;

/** Most epochs one sweep closes (a worker that was down for long catches up over a few sweeps). */
const MAX_CLOSED_PER_SWEEP = 50;

/** What the coordinator signs for a closed epoch (see {@link epochSigningMessage}). */
export interface EpochSignedFields {
  epochId: number;
  startsAt: string;
  endsAt: string;
  root: string;
  total: number;
}

/**
 * The exact text the coordinator's key signs (Ed25519, UTF-8) for a closed epoch, one field per line:
 * `gleaner-epoch-v1`, the epoch id, its start and end (ISO 8601, UTC), the Merkle root (0x-hex) and the total.
 * The root commits to every balance, so the signature covers them all.
 */
export function epochSigningMessage(fields: EpochSignedFields): string {
  return [
    'gleaner-epoch-v1',
    String(fields.epochId),
    fields.startsAt,
    fields.endsAt,
    fields.root,
    String(fields.total),
  ].join('\n');
}

/**
 * An epoch's published file: the balances, a StandardMerkleTree over `[ownerId, amount]` leaves (amounts as decimal
 * strings, encoded `['string', 'uint256']`, in code-unit order of owner ids; no tree and {@link EMPTY_EPOCH_ROOT} when no balance is positive), its
 * root, the total, and the signature of {@link epochSigningMessage} by `key`.
 */
export function epochPublication(
  epoch: Pick<EpochRow, 'id' | 'startsAt' | 'endsAt'>,
  balances: EpochBalance[],
  closedAt: Date,
  key: SigningKey,
): EpochPublication {
  // In code-unit order of owner ids, whatever the database's collation: the same balances always publish the same file.
  const positive = balances
    .filter((b) => b.amount > 0)
    .sort((a, b) => (a.ownerId < b.ownerId ? -1 : a.ownerId > b.ownerId ? 1 : 0));
  const tree =
    positive.length > 0
      ? StandardMerkleTree.of(
          positive.map((b) => [b.ownerId, String(b.amount)]),
          EPOCH_LEAF_ENCODING,
        )
      : undefined;
  const signed: EpochSignedFields = {
    epochId: epoch.id,
    startsAt: epoch.startsAt.toISOString(),
    endsAt: epoch.endsAt.toISOString(),
    root: tree?.root ?? EMPTY_EPOCH_ROOT,
    total: positive.reduce((sum, b) => sum + b.amount, 0),
  };
  return {
    format: 'gleaner-epoch-v1',
    ...signed,
    closedAt: closedAt.toISOString(),
    leafEncoding: EPOCH_LEAF_ENCODING,
    balances: positive,
    tree: tree?.dump() ?? null,
    signature: {
      algorithm: 'ed25519',
      keyId: key.keyId,
      publicKey: key.publicKeyPem,
      value: signMessage(key.privateKeyPem, epochSigningMessage(signed)),
    },
  };
}

/** Collaborators and settings of the {@link EpochCloser}. */
export interface EpochCloserOptions {
  epochs: EpochStore;
  points: PointsStore;
  signingKey: SigningKey;
  /** Length of an epoch, ms (the settle sweep's; epoch n spans [n·epochMs, (n+1)·epochMs)). */
  epochMs: number;
  /** How long after its end an epoch is closed, ms: time for sweeps that began before the end to finish. */
  graceMs: number;
  logger?: Logger;
}

/**
 * Closes reward epochs, called by the settle sweep. Epochs close in order, each once its end and the grace have
 * passed, starting after the last closed one (or, at first, at the earliest epoch anything settled in); an epoch with
 * nothing settled closes too, empty. The current epoch is recorded open, so lists show it.
 */
export class EpochCloser {
  private readonly logger: Logger;

  constructor(private readonly options: EpochCloserOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  /** Closes every epoch due at `now`; returns the ids it closed. Safe to run again, and from several workers. */
  async closeDue(now = Date.now()): Promise<number[]> {
    const { epochs, points, epochMs, graceMs, signingKey } = this.options;
    const current = epochOf(now, epochMs);
    await epochs.open(current, ...this.bounds(current));
    const lastClosed = await epochs.lastClosedId();
    const first =
      lastClosed !== undefined
        ? lastClosed + 1
        : Math.min(current, (await points.firstSettledEpoch()) ?? current);
    const closed: number[] = [];
    for (let id = first; id < current && closed.length < MAX_CLOSED_PER_SWEEP; id++) {
      const [startsAt, endsAt] = this.bounds(id);
      await epochs.open(id, startsAt, endsAt);
      if (now < endsAt.getTime() + graceMs) break;
      const outcome = await epochs.close(id, (balances, closedAt, epoch) =>
        epochPublication(epoch, balances, closedAt, signingKey),
      );
      if (!outcome.closed) continue;
      closed.push(id);
      this.logger.info(
        { epochId: id, root: outcome.epoch.merkleRoot, total: outcome.epoch.totalPoints },
        'epoch closed',
      );
    }
    return closed;
  }

  private bounds(id: number): [Date, Date] {
    return [new Date(id * this.options.epochMs), new Date((id + 1) * this.options.epochMs)];
  }
}
