/**
 * Part 1b: lease-time throughput. A sample of fetch jobs is queued with no delay (straight through
 * `GleanerQueues.enqueueFetches`, bypassing the politeness plan, so every job is due at once and the loop never
 * waits for the clock), one job per host in turn, and one or more gateway lease loops decide on all of them.
 */
import { DEFAULT_POLITENESS } from '@gleaner/core';
import type { FetchJobData } from '@gleaner/queue';
import { wireFrontier, type BenchServices } from './bench-services.js';
import { hostName } from './link-batches.js';
import { LeaseLoop } from './lease-loop.js';
import { ms, num, printTable } from './table.js';

/** One lease run's figures. */
export interface LeaseRun {
  loops: number;
  jobs: number;
  enqueueMs: number;
  wallMs: number;
  decisions: number;
  grants: number;
  denials: number;
  steps: Map<string, { calls: number; totalMs: number }>;
}

/** Runs the lease sample once per entry of `loopCounts`, prints the table and returns the runs. */
export async function leaseSection(
  services: BenchServices,
  options: { jobs: number; hosts: number; loopCounts: number[]; campaignId: string; timeoutMs: number },
): Promise<LeaseRun[]> {
  const runs: LeaseRun[] = [];
  for (const loops of options.loopCounts) {
    const prefix = `lease${loops}`;
    const frontier = wireFrontier(services, prefix);
    const enqueueStart = performance.now();
    for (let from = 0; from < options.jobs; from += 1000) {
      const chunk: FetchJobData[] = [];
      for (let i = from; i < Math.min(options.jobs, from + 1000); i++) {
        const host = hostName(i % options.hosts);
        chunk.push({
          kind: 'page',
          campaignId: options.campaignId,
          urlId: i + 1,
          url: `https://${host}/lease/${i}`,
          depth: 1,
          render: false,
        });
      }
      await frontier.queues.enqueueFetches(chunk);
    }
    const enqueueMs = performance.now() - enqueueStart;
    const workers = Array.from(
      { length: loops },
      () =>
        new LeaseLoop({
          connection: services.redis,
          prefix,
          politeness: frontier.politeness,
          pace: DEFAULT_POLITENESS,
        }),
    );
    const start = performance.now();
    workers.forEach((w) => w.start());
    const deadline = start + options.timeoutMs;
    while (workers.reduce((n, w) => n + w.grants, 0) < options.jobs && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const wallMs = performance.now() - start;
    await Promise.all(workers.map((w) => w.stop()));
    const steps = new Map<string, { calls: number; totalMs: number }>();
    for (const w of workers) {
      for (const [label, s] of w.timer.steps) {
        const into = steps.get(label) ?? { calls: 0, totalMs: 0 };
        into.calls += s.calls;
        into.totalMs += s.totalMs;
        steps.set(label, into);
      }
    }
    const sum = (pick: (w: LeaseLoop) => number) => workers.reduce((n, w) => n + pick(w), 0);
    runs.push({
      loops,
      jobs: options.jobs,
      enqueueMs,
      wallMs,
      decisions: sum((w) => w.decisions),
      grants: sum((w) => w.grants),
      denials: sum((w) => w.denials),
      steps,
    });
    await frontier.queues.close();
  }
  printLease(runs, options.hosts);
  return runs;
}

function printLease(runs: LeaseRun[], hosts: number): void {
  const jobs = runs[0]?.jobs ?? 0;
  printTable(
    `Part 1b — lease-time decisions (${num(jobs)} jobs over ${num(hosts)} hosts queued with delay 0, one host after ` +
      `another; pace 1 s / 2 in flight; an instant node completes every grant)`,
    [
      'lease loops',
      'enqueue (addBulk) jobs/s',
      'wall',
      'decisions',
      'granted',
      'handed back',
      'decisions/s',
      'grants/s',
    ],
    runs.map((r) => [
      `${r.loops} (${r.loops === 1 ? 'one coordinator, as LeaseDispatcher runs' : `${r.loops} coordinators`})`,
      num(r.jobs / (r.enqueueMs / 1000)),
      `${num(r.wallMs / 1000, 1)} s`,
      num(r.decisions),
      num(r.grants),
      num(r.denials),
      num(r.decisions / (r.wallMs / 1000)),
      num(r.grants / (r.wallMs / 1000)),
    ]),
  );
  printTable(
    'Lease loop: mean wall time per step (all loops together)',
    ['lease loops', ...[...(runs[0]?.steps.keys() ?? [])]],
    runs.map((r) => [
      String(r.loops),
      ...[...r.steps.values()].map((s) => `${ms(s.totalMs / s.calls, 2)} ×${num(s.calls)}`),
    ]),
  );
}
