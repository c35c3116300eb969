/**
 * Pushes link batches through `Admission.admit` with several concurrent callers (as the worker's frontier queue
 * does with its concurrency), and records what came out and how long each call took.
 */
import type { AdmissionResult, CampaignForAdmission, Admission } from '@gleaner/frontier';
import type { LinkToAdmit } from '@gleaner/queue';

/** Totals of one drive. */
export interface DriveResult {
  offered: number;
  queued: number;
  skipped: Record<string, number>;
  wallMs: number;
  /** Wall time of every `admit` call, ms. */
  callMs: number[];
}

/** Options of {@link drive}. */
export interface DriveOptions {
  callers: number;
  /** Called about every `progressEveryMs` with the links offered so far. */
  onProgress?: (offered: number, elapsedMs: number) => void;
  progressEveryMs?: number;
  /** Stop taking new batches once this returns true (the global timeout). */
  shouldStop?: () => boolean;
}

/** Offers every batch once, `callers` calls in flight, until the batches run out. */
export async function drive(
  admission: Admission,
  campaign: CampaignForAdmission,
  batches: Iterable<LinkToAdmit[]>,
  options: DriveOptions,
): Promise<DriveResult> {
  const source = batches[Symbol.iterator]();
  const result: DriveResult = { offered: 0, queued: 0, skipped: {}, wallMs: 0, callMs: [] };
  const start = performance.now();
  let lastReport = start;
  const add = (outcome: AdmissionResult) => {
    result.queued += outcome.queued;
    for (const [reason, count] of Object.entries(outcome.skipped)) {
      result.skipped[reason] = (result.skipped[reason] ?? 0) + count;
    }
  };
  const caller = async () => {
    for (;;) {
      if (options.shouldStop?.()) return;
      const next = source.next();
      if (next.done) return;
      const callStart = performance.now();
      add(await admission.admit(campaign, next.value));
      const now = performance.now();
      result.callMs.push(now - callStart);
      result.offered += next.value.length;
      if (options.onProgress && now - lastReport >= (options.progressEveryMs ?? 10_000)) {
        lastReport = now;
        options.onProgress(result.offered, now - start);
      }
    }
  };
  await Promise.all(Array.from({ length: options.callers }, caller));
  result.wallMs = performance.now() - start;
  return result;
}
