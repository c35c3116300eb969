/**
 * Part 3: fairness. A campaign queues a large host, then a small host; one gateway lease loop (with an instant
 * node) runs throughout at a short pace. Reported: the time from the small host's admission until all its URLs were
 * granted, against the same small host admitted alone. A third run bypasses the politeness plan (every delay 0) to
 * show what the plan buys.
 */
import type { HostPace } from '@gleaner/queue';
import { drive } from './admission-driver.js';
import { createCampaign, wireFrontier, type BenchServices } from './bench-services.js';
import { hostBatches, hostName } from './link-batches.js';
import { LeaseLoop } from './lease-loop.js';
import { num, printTable } from './table.js';

const LARGE_HOST = 2_000_000;
const SMALL_HOST = 2_000_001;

/** One fairness scenario's outcome. */
export interface FairnessRun {
  label: string;
  largeQueued: number;
  admitLargeMs: number;
  /** ms from the small host's admit call to its last grant; undefined when the timeout came first. */
  smallDoneMs: number | undefined;
  smallGranted: number;
  smallFirstMs: number | undefined;
  largeGrantsMeanwhile: number;
  decisionsMeanwhile: number;
}

/** Options of {@link fairnessSection}. */
export interface FairnessOptions {
  largeUrls: number;
  smallUrls: number;
  pace: HostPace;
  callers: number;
  timeoutMs: number;
  /** Also run the large host with the politeness plan bypassed. */
  bypass: boolean;
}

/** Runs the scenarios, prints the table and returns them. */
export async function fairnessSection(
  services: BenchServices,
  options: FairnessOptions,
): Promise<FairnessRun[]> {
  const scenarios: { label: string; large: number; bypass: boolean }[] = [
    { label: `small host alone`, large: 0, bypass: false },
    {
      label: `after a large host of ${num(options.largeUrls)} URLs`,
      large: options.largeUrls,
      bypass: false,
    },
  ];
  if (options.bypass) {
    scenarios.push({
      label: `after ${num(options.largeUrls)} URLs, politeness plan bypassed (all delays 0)`,
      large: options.largeUrls,
      bypass: true,
    });
  }
  const runs: FairnessRun[] = [];
  for (const [i, scenario] of scenarios.entries()) {
    process.stderr.write(`fairness: ${scenario.label}\n`);
    runs.push(
      await runScenario(services, `fair${i}`, scenario.label, scenario.large, scenario.bypass, options),
    );
  }
  const alone = runs[0]?.smallDoneMs;
  printTable(
    `Part 3 — fairness: time until the small host's ${options.smallUrls} URLs are all leased ` +
      `(pace ${options.pace.minIntervalMs} ms / ${options.pace.maxInFlight} in flight, one lease loop, real clock)`,
    [
      'scenario',
      'large host queued',
      'first small URL',
      'all small URLs',
      'ratio to alone',
      'large-host grants meanwhile',
      'decisions meanwhile',
    ],
    runs.map((r) => [
      r.label,
      num(r.largeQueued),
      r.smallFirstMs === undefined ? '—' : `${num(r.smallFirstMs)} ms`,
      r.smallDoneMs === undefined
        ? `> ${num(options.timeoutMs / 1000)} s (${r.smallGranted}/${options.smallUrls} leased)`
        : `${num(r.smallDoneMs)} ms`,
      r.smallDoneMs !== undefined && alone
        ? num(r.smallDoneMs / alone, 2)
        : r.smallDoneMs === undefined
          ? '> ' + num(options.timeoutMs / (alone ?? 1), 0)
          : '—',
      num(r.largeGrantsMeanwhile),
      num(r.decisionsMeanwhile),
    ]),
  );
  return runs;
}

async function runScenario(
  services: BenchServices,
  prefix: string,
  label: string,
  largeUrls: number,
  bypass: boolean,
  options: FairnessOptions,
): Promise<FairnessRun> {
  const frontier = wireFrontier(services, prefix);
  if (bypass) {
    Object.defineProperty(frontier.politeness, 'schedule', {
      value: async (_host: string, count: number) => Array.from({ length: count }, () => 0),
    });
  }
  const campaign = await createCampaign(
    services,
    `bench-${prefix}`,
    [hostName(LARGE_HOST), hostName(SMALL_HOST)],
    options.pace,
  );
  const smallHost = hostName(SMALL_HOST);
  const smallGrants: number[] = [];
  let largeGrants = 0;
  const loop = new LeaseLoop({
    connection: services.redis,
    prefix,
    politeness: frontier.politeness,
    pace: options.pace,
    onGrant: (host, at) => (host === smallHost ? smallGrants.push(at) : largeGrants++),
  });
  loop.start();
  try {
    const admitStart = performance.now();
    const large = largeUrls
      ? await drive(frontier.admission, campaign, hostBatches(LARGE_HOST, 0, largeUrls, 50), {
          callers: options.callers,
        })
      : undefined;
    const admitLargeMs = performance.now() - admitStart;
    const largeBefore = largeGrants;
    const decisionsBefore = loop.decisions;
    const t0 = Date.now();
    const small = [...hostBatches(SMALL_HOST, 0, options.smallUrls, options.smallUrls)][0] ?? [];
    await frontier.admission.admit(campaign, small);
    while (smallGrants.length < options.smallUrls && Date.now() - t0 < options.timeoutMs) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const done = smallGrants.length >= options.smallUrls;
    return {
      label,
      largeQueued: large?.queued ?? 0,
      admitLargeMs,
      smallDoneMs: done ? smallGrants[options.smallUrls - 1]! - t0 : undefined,
      smallGranted: smallGrants.length,
      smallFirstMs: smallGrants[0] === undefined ? undefined : smallGrants[0] - t0,
      largeGrantsMeanwhile: largeGrants - largeBefore,
      decisionsMeanwhile: loop.decisions - decisionsBefore,
    };
  } finally {
    await loop.stop();
    await frontier.queues.close();
  }
}
