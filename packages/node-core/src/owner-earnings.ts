import { EarningsSchema, EpochListSchema, type Earnings } from '@gleaner/contracts';
import { requestJson } from './json-request.js';

/** Options of {@link OwnerEarnings}. */
export interface OwnerEarningsOptions {
  coordinatorUrl: string;
  ownerToken: string;
  /** How long an answer is reused, ms. Default 60,000. */
  ttlMs?: number;
  /** How many days back the earnings are read to find what settled in the open epoch. Default 30. */
  days?: number;
  /** Clock. Default `Date.now`. */
  now?: () => number;
}

/** The owner's earnings as the status page shows them (all the owner's nodes). */
export interface EarningsSummary {
  /** Credits written today (UTC): all of them, and those still pending. */
  today: { credited: number; pending: number };
  /**
   * The epoch points settle into now (the one after the last closed epoch), and what settled into it so far
   * (reversals taken off); null when the coordinator has no epoch yet and nothing settled.
   */
  epoch: { id: number; settled: number } | null;
  /** All time: pending, and settled with reversals taken off. */
  pending: number;
  balance: number;
}

/** Reads an owner's earnings from `GET /v1/me/earnings` and the open epoch from `GET /v1/epochs`. */
export function summarizeEarnings(
  earnings: Earnings,
  openEpoch: number | null,
  nowMs: number,
): EarningsSummary {
  const today = new Date(nowMs).toISOString().slice(0, 10);
  const rows = earnings.rows;
  const sum = (pick: (row: Earnings['rows'][number]) => number, rowsIn = rows) =>
    rowsIn.reduce((total, row) => total + pick(row), 0);
  const todays = rows.filter((row) => row.day === today);
  // Without a closed epoch, points settle into the latest epoch any of them settled in.
  const epochId =
    openEpoch ?? rows.reduce<number | null>((max, r) => Math.max(max ?? -1, r.epochId ?? -1), null);
  const inEpoch = rows.filter((row) => row.epochId !== null && row.epochId === epochId);
  return {
    today: { credited: sum((r) => r.credited, todays), pending: sum((r) => r.pending, todays) },
    epoch:
      epochId === null || epochId < 0
        ? null
        : { id: epochId, settled: sum((r) => r.settled + r.reversed, inEpoch) },
    pending: earnings.totals.pending,
    balance: earnings.totals.balance,
  };
}

/** The owner's earnings for the status page, cached for a while. */
export class OwnerEarnings {
  #value: EarningsSummary | undefined;
  #fetchedAt = 0;
  #pending: Promise<EarningsSummary | undefined> | undefined;

  constructor(private readonly options: OwnerEarningsOptions) {}

  get #now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** The summary, or `undefined` when the coordinator cannot be asked right now. Never throws. */
  get(): Promise<EarningsSummary | undefined> {
    if (this.#now - this.#fetchedAt < (this.options.ttlMs ?? 60_000)) return Promise.resolve(this.#value);
    this.#pending ??= this.#load().finally(() => (this.#pending = undefined));
    return this.#pending;
  }

  async #load(): Promise<EarningsSummary | undefined> {
    try {
      const base = this.options.coordinatorUrl;
      const [earnings, epochs] = await Promise.all([
        requestJson(new URL(`/v1/me/earnings?days=${this.options.days ?? 30}`, base), {
          headers: { authorization: `Bearer ${this.options.ownerToken}` },
          timeoutMs: 5000,
        }),
        requestJson(new URL('/v1/epochs?limit=1', base), { timeoutMs: 5000 }),
      ]);
      if (!earnings.ok || !epochs.ok) return this.#value;
      const parsedEarnings = EarningsSchema.safeParse(earnings.body);
      const parsedEpochs = EpochListSchema.safeParse(epochs.body);
      if (!parsedEarnings.success || !parsedEpochs.success) return this.#value;
      const newest = parsedEpochs.data.epochs[0];
      const open = newest === undefined ? null : newest.closedAt === null ? newest.id : newest.id + 1;
      this.#value = summarizeEarnings(parsedEarnings.data, open, this.#now);
      this.#fetchedAt = this.#now;
    } catch {
      // Shown as unknown; asked again on the next call.
    }
    return this.#value;
  }
}
