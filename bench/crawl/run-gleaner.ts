import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CampaignStats } from '@gleaner/contracts';
import { startGroup, type GroupProcess } from './process-group.js';
import { RssSampler } from './rss-sampler.js';
import { mb, progressTicker, type SystemRun } from './system-run.js';

/** Options for {@link runGleaner}. */
export interface GleanerRunOptions {
  /** The repository root (where the apps' `dist` folders are). */
  repoRoot: string;
  dataDir: string;
  seedUrl: string;
  hosts: string[];
  port: number;
  nodes: number;
  /** Pages each node fetches at once. */
  nodeConcurrency: number;
  /** Each node's download cap (`--bandwidth`), e.g. `1GiB`; the node's own default is 1MiB per second. */
  nodeBandwidth: string;
  maxPages: number;
  timeoutMs: number;
}

async function api<T>(
  baseUrl: string,
  token: string,
  method: string,
  route: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(new URL(route, baseUrl), {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/**
 * Runs the whole of Gleaner on embedded defaults — `gleaner start` (PGlite in that process, redis-server, the
 * coordinator and the worker as its children) and `nodes` node processes — and times one campaign over the
 * fixture site from its creation until it is `completed`. Memory is summed over all of those processes.
 */
export async function runGleaner(options: GleanerRunOptions): Promise<SystemRun> {
  const deadline = Date.now() + options.timeoutMs;
  const left = () => Math.max(1, deadline - Date.now());
  const logDir = path.join(options.dataDir, 'bench-logs');
  await mkdir(logDir, { recursive: true });
  const stackDir = path.join(options.dataDir, 'stack');
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The embedded defaults are what is measured, whatever this shell has set.
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  delete env.GLEANER_ADMIN_TOKEN;
  const sampler = new RssSampler();
  sampler.start();
  const groups: GroupProcess[] = [];
  let stopTicker = () => {};
  try {
    const stack = startGroup(
      'gleaner',
      process.execPath,
      [path.join(options.repoRoot, 'apps/cli/dist/main.js'), 'start', '--data-dir', stackDir, '--port', '0'],
      env,
      path.join(logDir, 'gleaner-start.log'),
    );
    groups.push(stack);
    sampler.add(stack.pid);
    const ready = stack.waitForLine(/^Ready\./, Math.min(left(), 120_000));
    ready.catch(() => {}); // awaited below; its failure is the same as the coordinator line's
    const [, url] = await stack.waitForLine(/^coordinator\s+(http\S+)/, Math.min(left(), 120_000));
    await ready;
    const baseUrl = url!;
    const adminToken = (await readFile(path.join(stackDir, 'admin-token'), 'utf8')).trim();
    for (let i = 1; i <= options.nodes; i++) {
      const owner = await api<{ token: string }>(baseUrl, adminToken, 'POST', '/v1/owners', {
        name: `bench-${i}`,
      });
      const node = startGroup(
        `node-${i}`,
        process.execPath,
        [
          path.join(options.repoRoot, 'apps/node/dist/main.js'),
          'start',
          '--coordinator',
          baseUrl,
          '--data-dir',
          path.join(options.dataDir, `node-${i}`),
          '--name',
          `bench-node-${i}`,
          '--allow-private',
          '--allow-ports',
          String(options.port),
          '--concurrency',
          String(options.nodeConcurrency),
          '--bandwidth',
          options.nodeBandwidth,
          '--daily-quota',
          '1000GiB',
        ],
        { ...env, GLEANER_OWNER_TOKEN: owner.token },
        path.join(logDir, `node-${i}.log`),
      );
      groups.push(node);
      sampler.add(node.pid);
      await node.waitForLine(/"event":"started"/, Math.min(left(), 60_000));
    }
    const campaign = await api<{ id: string }>(baseUrl, adminToken, 'POST', '/v1/campaigns', {
      name: 'bench: fixture site',
      seeds: [options.seedUrl],
      scope: { mode: 'hosts', hosts: options.hosts },
      maxPages: options.maxPages,
      maxDepth: 100,
      // The briskest pace a campaign may set; the site has forty hosts, so it caps nothing below 400 pages/s.
      politeness: { minIntervalMs: 100, maxInFlight: 4 },
    });
    const started = performance.now();
    let stats: CampaignStats | undefined;
    const finished = (s: CampaignStats) => s.urls.done + s.urls.duplicate + s.urls.failed;
    stopTicker = progressTicker('gleaner', () =>
      stats
        ? `${finished(stats)} pages (${stats.urls.queued} queued, ${stats.urls.leased} leased, ${stats.urls.fetched} fetched) · ` +
          `${stats.records} records · RSS ${mb(sampler.lastKiB)} MB`
        : 'starting',
    );
    for (;;) {
      stats = await api<CampaignStats>(baseUrl, adminToken, 'GET', `/v1/campaigns/${campaign.id}/stats`);
      if (stats.status === 'completed' || stats.status === 'cancelled') break;
      if (Date.now() > deadline) {
        throw new Error(
          `the campaign did not finish in time (${finished(stats)} pages done); logs in ${logDir}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const seconds = (performance.now() - started) / 1000;
    stopTicker();
    sampler.stop();
    if (stats.status !== 'completed') throw new Error(`the campaign ended ${stats.status}`);
    const failed = await api<{
      urls: { url: string; errorCode: string | null; errorMessage: string | null }[];
    }>(baseUrl, adminToken, 'GET', `/v1/campaigns/${campaign.id}/urls?state=failed&limit=1000`);
    const reasons = new Map<string, { count: number; example: string }>();
    for (const u of failed.urls) {
      const reason = `${u.errorCode ?? '?'}: ${(u.errorMessage ?? '').slice(0, 120)}`;
      const seen = reasons.get(reason);
      if (seen) seen.count++;
      else reasons.set(reason, { count: 1, example: u.url });
    }
    const notes = [
      `${stats.records} records, ${stats.duplicates} duplicates, ${stats.urls.failed} failed, ` +
        `${stats.urls.cancelled} cancelled; still queued ${stats.urls.queued}, fetched-not-processed ` +
        `${stats.urls.fetched} when it reported completed`,
      ...[...reasons].map(([reason, { count, example }]) => `failed ×${count}  ${reason}  (e.g. ${example})`),
    ];
    return {
      system: `gleaner (${options.nodes} nodes)`,
      pages: finished(stats),
      failures: stats.urls.failed,
      stored: stats.records,
      seconds,
      peakRssKiB: sampler.peakKiB,
      peakProcesses: sampler.peakProcesses,
      cpuSeconds: sampler.cpuSeconds(),
      peakBreakdown: sampler.peakBreakdown,
      notes,
    };
  } finally {
    stopTicker();
    sampler.stop();
    // Nodes first, then the stack (which stops the coordinator, the worker, PGlite and redis-server).
    for (const group of groups.reverse()) await group.stop();
  }
}
