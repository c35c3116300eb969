/**
 * The frontier benchmark (see README.md): admission throughput and Redis bytes per queued URL at one million URLs
 * over 10,000 hosts, lease-time decisions per second, and fairness between a large and a small host, in one run
 * against a real PostgreSQL and a dedicated embedded redis-server. Every process and folder it starts is removed
 * at the end, on Ctrl-C, and at the global timeout.
 */
import { parseArgs } from 'node:util';
import { admissionSection } from './admission-section.js';
import { startServices, type BenchServices } from './bench-services.js';
import { fairnessSection } from './fairness-section.js';
import { leaseSection } from './lease-section.js';
import { num } from './table.js';

const { values: flags } = parseArgs({
  options: {
    hosts: { type: 'string', default: '10000' },
    'urls-per-host': { type: 'string', default: '100' },
    batch: { type: 'string', default: '50' },
    'external-share': { type: 'string', default: '0.2' },
    callers: { type: 'string', default: '8' },
    reoffer: { type: 'string', default: '100000' },
    'lease-jobs': { type: 'string', default: '50000' },
    'lease-loops': { type: 'string', default: '1,4' },
    'large-host': { type: 'string', default: '100000' },
    'small-host': { type: 'string', default: '10' },
    'fair-interval-ms': { type: 'string', default: '100' },
    'fair-timeout-s': { type: 'string', default: '60' },
    'no-bypass': { type: 'boolean', default: false },
    aof: { type: 'boolean', default: false },
    'timeout-min': { type: 'string', default: '55' },
    only: { type: 'string', default: 'admission,lease,fairness' },
  },
});

const int = (name: keyof typeof flags) => {
  const value = Number(flags[name]);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`--${name} must be a number, got ${String(flags[name])}`);
  return value;
};
const only = new Set(String(flags.only).split(','));
const callers = int('callers');
const timeoutMs = int('timeout-min') * 60_000;
const startedAt = Date.now();
const shouldStop = () => Date.now() - startedAt > timeoutMs - 5 * 60_000;

let services: BenchServices | undefined;
let closing = false;
async function shutdown(code: number, why?: string): Promise<never> {
  if (!closing) {
    closing = true;
    if (why) process.stderr.write(`${why}\n`);
    await services?.close();
  }
  process.exit(code);
}
process.once('SIGINT', () => void shutdown(130, 'interrupted; cleaning up'));
process.once('SIGTERM', () => void shutdown(143, 'terminated; cleaning up'));
setTimeout(
  () => void shutdown(1, `global timeout of ${flags['timeout-min']} min reached; cleaning up`),
  timeoutMs,
).unref();

try {
  services = await startServices({ aof: flags.aof, poolSize: callers + 2 });
  console.log(
    `# Frontier benchmark — ${new Date().toISOString()}, node ${process.version}, ` +
      `redis ${(await services.redis.info('server')).match(/redis_version:(\S+)/)?.[1] ?? '?'}, ` +
      `PostgreSQL (${services.postgres.url.replace(/\/\/.*@/, '//')}), AOF ${flags.aof ? 'on' : 'off'}`,
  );
  let campaignId = 'cmp_lease_sample';
  if (only.has('admission')) {
    const report = await admissionSection(
      services,
      {
        hosts: int('hosts'),
        urlsPerHost: int('urls-per-host'),
        batchSize: int('batch'),
        externalShare: Number(flags['external-share']),
      },
      { callers, reofferBatches: Math.ceil(int('reoffer') / int('batch')), shouldStop },
    );
    if (report.fresh.offered < int('hosts') * int('urls-per-host')) {
      console.log(
        `\n(stopped early by the time budget after ${num(report.fresh.offered)} links; figures are for those)`,
      );
    }
    process.stderr.write('flushing the million-URL keys before the next parts\n');
    await services.redis.flushall('SYNC');
  }
  if (only.has('lease')) {
    const [row] = await services.campaigns.list();
    campaignId = row?.id ?? campaignId;
    await leaseSection(services, {
      jobs: int('lease-jobs'),
      hosts: int('hosts'),
      loopCounts: String(flags['lease-loops']).split(',').map(Number),
      campaignId,
      timeoutMs: 300_000,
    });
  }
  if (only.has('fairness')) {
    await fairnessSection(services, {
      largeUrls: int('large-host'),
      smallUrls: int('small-host'),
      pace: { minIntervalMs: int('fair-interval-ms'), maxInFlight: 2 },
      callers,
      timeoutMs: int('fair-timeout-s') * 1000,
      bypass: !flags['no-bypass'],
    });
  }
  console.log(`\nTotal run time ${num((Date.now() - startedAt) / 60_000, 1)} min.`);
  await shutdown(0);
} catch (error) {
  console.error(error);
  await shutdown(1);
}
