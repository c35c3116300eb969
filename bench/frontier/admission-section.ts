/**
 * Part 1 and 2: one million URLs across 10,000 hosts through `Admission.admit`, the Redis memory they leave queued,
 * and a measured mock of a bounded layout (per-host lists of URL ids) for comparison.
 */
import { CampaignScope, normalizeUrl } from '@gleaner/frontier';
import type { Redis } from '@gleaner/queue';
import { drive, type DriveResult } from './admission-driver.js';
import { createCampaign, wireFrontier, type BenchServices } from './bench-services.js';
import { hostName, hostNames, linkBatches, rawUrl, type LinkPlan } from './link-batches.js';
import { keyCensus, usedMemory, type KindUsage } from './redis-memory.js';
import { StepTimer } from './step-timer.js';
import { mib, ms, num, printTable, quantile } from './table.js';

const PREFIX = 'fb';

/** What parts 1 and 2 measured. */
export interface AdmissionReport {
  plan: LinkPlan;
  callers: number;
  fresh: DriveResult;
  reoffer: DriveResult;
  memoryBefore: number;
  memoryAfter: number;
  census: KindUsage[];
  postgresBytes: number;
}

/** Runs the million-URL admission, prints its tables and returns the figures. */
export async function admissionSection(
  services: BenchServices,
  plan: LinkPlan,
  options: { callers: number; reofferBatches: number; shouldStop: () => boolean },
): Promise<AdmissionReport> {
  const { redis } = services;
  const hosts = hostNames(plan.hosts);
  const campaign = await createCampaign(services, 'bench-million', hosts);
  cpuCosts(campaign.spec);

  const timer = new StepTimer();
  const frontier = wireFrontier(services, PREFIX, timer);
  const memoryBefore = await usedMemory(redis);
  const total = plan.hosts * plan.urlsPerHost;
  process.stderr.write(
    `admission: offering ${num(total)} URLs over ${num(plan.hosts)} hosts, ${options.callers} callers\n`,
  );
  const fresh = await drive(frontier.admission, campaign, linkBatches(plan), {
    callers: options.callers,
    shouldStop: options.shouldStop,
    onProgress: (offered, elapsed) =>
      process.stderr.write(
        `  ${num(offered)} / ${num(total)} offered, ${num(offered / (elapsed / 1000))} URLs/s, ${num(elapsed / 1000)} s\n`,
      ),
  });
  const freshSteps = new Map(timer.steps);
  timer.reset();

  const reofferSource = function* () {
    let n = 0;
    for (const batch of linkBatches(plan)) {
      if (n++ >= options.reofferBatches) return;
      yield batch;
    }
  };
  const reoffer = await drive(frontier.admission, campaign, reofferSource(), { callers: options.callers });

  const memoryAfter = await usedMemory(redis);
  const census = await keyCensus(redis, `${PREFIX}:`, [
    { label: 'BullMQ job hashes (fetch:u-<id>)', pattern: /^fb:fetch:u-\d+$/ },
    { label: 'BullMQ delayed zset (fetch:delayed)', pattern: /^fb:fetch:delayed$/ },
    { label: 'BullMQ wait list (fetch:wait)', pattern: /^fb:fetch:wait$/ },
    { label: 'BullMQ events stream (fetch:events)', pattern: /^fb:fetch:events$/ },
    { label: 'BullMQ other fetch keys', pattern: /^fb:fetch:/ },
    { label: 'seen-set exact set (seen:{campaign})', pattern: /^fb:seen:\{[^}]+\}$/ },
    { label: 'seen-set state / Bloom', pattern: /^fb:seen:/ },
    { label: 'politeness plan (plan:{host})', pattern: /^fb:plan:/ },
    { label: 'politeness slots (host:{host})', pattern: /^fb:host:/ },
    { label: 'capped counters (host, query, calendar)', pattern: /^fb:count:/ },
  ]);
  const pg = await services.database.pool.query<{ bytes: string }>(
    `SELECT pg_total_relation_size('urls') AS bytes`,
  );
  const report: AdmissionReport = {
    plan,
    callers: options.callers,
    fresh,
    reoffer,
    memoryBefore,
    memoryAfter,
    census,
    postgresBytes: Number(pg.rows[0]?.bytes ?? 0),
  };
  printAdmission(report, freshSteps);
  printMemory(report);
  await proposedLayout(redis, plan, fresh.queued);
  return report;
}

/** CPU-only costs inside `admit` that scale with the campaign, not the batch. */
function cpuCosts(spec: ConstructorParameters<typeof CampaignScope>[0]): void {
  const rounds = 200;
  let start = performance.now();
  for (let i = 0; i < rounds; i++) new CampaignScope(spec);
  const scopeMs = (performance.now() - start) / rounds;
  const urls = Array.from({ length: 50_000 }, (_, i) => rawUrl(i % 10_000, i));
  start = performance.now();
  for (const url of urls) normalizeUrl(url);
  const normalizeUs = ((performance.now() - start) * 1000) / urls.length;
  printTable(
    'CPU inside admit (one core, no I/O)',
    ['step', 'cost', 'per 50-link call'],
    [
      [
        `new CampaignScope(spec), scope of ${num(spec.scope.hosts.length)} hosts (built on every admit call)`,
        ms(scopeMs, 3),
        ms(scopeMs, 3),
      ],
      ['normalizeUrl, per link', `${num(normalizeUs, 2)} µs`, ms((normalizeUs * 50) / 1000, 3)],
    ],
  );
}

function printAdmission(
  report: AdmissionReport,
  steps: Map<string, { calls: number; totalMs: number }>,
): void {
  const { fresh, reoffer } = report;
  const rate = (r: DriveResult, n: number) => num(n / (r.wallMs / 1000));
  printTable(
    `Part 1 — admission throughput (${num(report.plan.hosts)} hosts × ${num(report.plan.urlsPerHost)} URLs, ` +
      `${report.plan.batchSize} links per admit call, ${report.callers} concurrent callers, real PostgreSQL + redis-server)`,
    [
      'run',
      'links offered',
      'queued',
      'skipped',
      'wall',
      'offered URLs/s',
      'queued URLs/s',
      'admit p50',
      'admit p99',
    ],
    [
      ['fresh URLs (every link new)', fresh, fresh.queued],
      ['re-offered (every link already seen)', reoffer, reoffer.queued],
    ].map(([label, r, queued]) => {
      const d = r as DriveResult;
      const skipped = Object.entries(d.skipped)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${k} ${num(n)}`)
        .join(', ');
      return [
        label as string,
        num(d.offered),
        num(queued as number),
        skipped || '0',
        `${num(d.wallMs / 1000, 1)} s`,
        rate(d, d.offered),
        rate(d, queued as number),
        ms(quantile(d.callMs, 0.5), 1),
        ms(quantile(d.callMs, 0.99), 1),
      ];
    }),
  );
  const calls = fresh.callMs.length;
  const callTotal = fresh.callMs.reduce((a, b) => a + b, 0);
  printTable(
    'Where a fresh admit call spends its time (wall time of each awaited step, summed over all calls)',
    ['step', 'calls', 'calls per admit', 'mean per call', 'share of admit wall time'],
    [
      ...[...steps].map(([label, s]) => [
        label,
        num(s.calls),
        num(s.calls / calls, 2),
        ms(s.totalMs / s.calls, 2),
        `${num((100 * s.totalMs) / callTotal, 1)} %`,
      ]),
      ['admit call, end to end', num(calls), '1.00', ms(callTotal / calls, 2), '100.0 %'],
    ],
  );
}

function printMemory(report: AdmissionReport): void {
  const queued = report.fresh.queued;
  const delta = report.memoryAfter - report.memoryBefore;
  const attributed = report.census.reduce((sum, k) => sum + k.bytes, 0);
  printTable(
    `Part 2 — Redis memory at ${num(queued)} queued URLs (used_memory ${mib(report.memoryBefore)} → ${mib(report.memoryAfter)})`,
    ['keys', 'count', 'sized', 'bytes (MEMORY USAGE)', 'bytes per queued URL', 'share'],
    [
      ...report.census
        .sort((a, b) => b.bytes - a.bytes)
        .map((k) => [
          k.label,
          num(k.keys),
          k.sampled === k.keys ? 'all' : `${num(k.sampled)} sampled`,
          mib(k.bytes),
          num(k.bytes / queued, 1),
          `${num((100 * k.bytes) / attributed, 1)} %`,
        ]),
      ['sum of the keys above', '', '', mib(attributed), num(attributed / queued, 1), '100.0 %'],
      ['used_memory after − before (INFO memory)', '', '', mib(delta), num(delta / queued, 1), ''],
      [
        '(PostgreSQL urls table + indexes, for scale)',
        '',
        '',
        mib(report.postgresBytes),
        num(report.postgresBytes / queued, 1),
        '',
      ],
    ],
  );
}

/**
 * A measured mock of a bounded layout, not product code: each host's queued URLs as a Redis list of URL ids (or of
 * "id url" strings), plus one ready-time zset over hosts, which would feed a small number of BullMQ jobs.
 */
async function proposedLayout(redis: Redis, plan: LinkPlan, queued: number): Promise<void> {
  const rows: string[][] = [];
  for (const withUrl of [false, true]) {
    const before = await usedMemory(redis);
    let id = 1;
    for (let h = 0; h < plan.hosts; h += 100) {
      const pipeline = redis.pipeline();
      for (let host = h; host < Math.min(plan.hosts, h + 100); host++) {
        const items: string[] = [];
        for (let i = 0; i < plan.urlsPerHost; i++, id++) {
          items.push(withUrl ? `${id} ${normalizeUrl(rawUrl(host, i))}` : String(id));
        }
        pipeline.rpush(`mock:hostq:{${hostName(host)}}`, ...items);
        pipeline.zadd('mock:ready', Date.now(), hostName(host));
      }
      await pipeline.exec();
    }
    const bytes = (await usedMemory(redis)) - before;
    rows.push([
      withUrl
        ? 'per-host list of "id url" + ready zset of hosts'
        : 'per-host list of URL ids + ready zset of hosts',
      num(id - 1),
      mib(bytes),
      num(bytes / (id - 1), 1),
    ]);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', 'mock:*', 'COUNT', 10_000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  }
  printTable(
    `Proposed bounded layout, measured as a mock (not product code) for the same ${num(queued)} URLs`,
    ['layout', 'URLs', 'used_memory delta', 'bytes per queued URL'],
    rows,
  );
}
