import { mkdir, mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import type { CampaignStats } from '@gleaner/contracts';
import { SampleSite } from '@gleaner/sample-site';
import { ApiClient } from './api-client.js';
import { startStack } from './embedded-stack.js';
import { ProgressBar, progressLine, table } from './progress-bar.js';
import { startServiceProcess, type ServiceProcess } from '@gleaner/supervisor';
import { appEntry } from './app-entry.js';
import { cutDemoSnapshot, demoPullLines } from './pull-demo.js';

/** Options for the demo. */
export interface DemoOptions {
  dataRoot: string;
  nodes: number;
  pagesPerHost: number;
  /** Stop everything after the summary instead of waiting for Ctrl-C. */
  exitWhenDone: boolean;
}

/**
 * The demo: Gleaner on embedded defaults, a bundled sample site on loopback, three nodes, one campaign run to
 * the end with a progress bar, a summary, and a ready-to-paste command that pulls the dataset with a fresh key.
 */
export async function runDemo(options: DemoOptions): Promise<void> {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  await mkdir(options.dataRoot, { recursive: true });
  const dataDir = await mkdtemp(path.join(options.dataRoot, 'demo-'));
  say(`Gleaner demo — data in ${dataDir}`);
  const hosts = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'];
  const site = new SampleSite({ hosts, offScopeHost: '127.0.0.9', pagesPerHost: options.pagesPerHost });
  await site.start();
  say(`sample site     ${hosts.map((h) => site.origin(h)).join('  ')}`);
  // The sample site's 500s are retried: at a fifth of the production waits the demo stays short.
  const stack = await startStack({
    dataDir,
    port: 0,
    say,
    env: { GLEANER_RETRY_DELAY_SCALE: process.env.GLEANER_RETRY_DELAY_SCALE ?? '0.2' },
  });
  const nodes: ServiceProcess[] = [];
  try {
    const admin = new ApiClient(stack.url, stack.adminToken);
    const owners: { id: string; name: string; token: string }[] = [];
    for (let i = 1; i <= options.nodes; i++) {
      const owner = await admin.call<{ id: string; name: string; token: string }>('POST', '/v1/owners', {
        name: `contributor-${i}`,
      });
      owners.push(owner);
      const node = await startServiceProcess(
        `node-${i}`,
        appEntry('@gleaner/node'),
        [
          'start',
          '--coordinator',
          stack.url,
          '--data-dir',
          path.join(dataDir, `node-${i}`),
          '--name',
          `demo-node-${i}`,
          '--allow-private',
          '--allow-ports',
          String(site.port),
        ],
        { ...process.env, GLEANER_LOG_LEVEL: 'info', GLEANER_OWNER_TOKEN: owner.token },
        stack.logDir,
      );
      nodes.push(node);
      await node.waitForEvent('started');
    }
    say(`nodes           ${options.nodes} started (logs in ${stack.logDir})`);
    const campaign = await admin.call<{ id: string; datasetId: string }>('POST', '/v1/campaigns', {
      name: 'demo: sample site',
      seeds: [site.seedUrl()],
      scope: { mode: 'hosts', hosts },
      maxPages: 10_000,
      maxDepth: 50,
      // Our own loopback site: a brisk but still polite pace.
      politeness: { minIntervalMs: 200, maxInFlight: 2 },
    });
    say(`campaign        ${campaign.id}\n`);
    const bar = new ProgressBar();
    const started = Date.now();
    let stats: CampaignStats;
    for (;;) {
      stats = await admin.call<CampaignStats>('GET', `/v1/campaigns/${campaign.id}/stats`);
      const u = stats.urls;
      const total = u.queued + u.leased + u.fetched + u.done + u.duplicate + u.failed + u.cancelled;
      const finished = u.done + u.duplicate + u.failed + u.cancelled;
      bar.update(
        progressLine(
          finished,
          total,
          `${stats.records} records · ${((Date.now() - started) / 1000).toFixed(0)} s` +
            (stats.warnings.length > 0 ? ` · ${stats.warnings[0]}` : ''),
        ),
      );
      if (stats.status === 'completed' || stats.status === 'cancelled') break;
      if (Date.now() - started > 10 * 60_000)
        throw new Error('the demo campaign did not finish in 10 minutes');
      await new Promise((r) => setTimeout(r, 500));
    }
    bar.done();
    const seconds = (Date.now() - started) / 1000;
    say(`\nCampaign ${stats.status} in ${seconds.toFixed(1)} s\n`);
    say(
      table(
        ['pages', 'records', 'duplicates', 'failures', 'points'],
        [
          [
            stats.urls.done + stats.urls.duplicate + stats.urls.failed,
            stats.records,
            stats.duplicates,
            stats.urls.failed,
            stats.points,
          ],
        ],
      ),
    );
    const perNode: (string | number)[][] = [];
    for (const owner of owners) {
      const client = new ApiClient(stack.url, owner.token);
      const me = await client.call<{ points: number }>('GET', '/v1/me');
      const myNodes = await client.call<
        { nodes?: { id: string; points: number }[] } | { id: string; points: number }[]
      >('GET', '/v1/me/nodes');
      const list = Array.isArray(myNodes) ? myNodes : (myNodes.nodes ?? []);
      perNode.push([owner.name, list.map((n) => n.id).join(','), me.points]);
    }
    say(`\nPoints per node\n${table(['owner', 'node', 'points'], perNode)}`);
    const pull = await cutDemoSnapshot(admin, stack.url, campaign.datasetId);
    say(
      `\nSnapshot ${pull.snapshotId} ${pull.state}. Pull the dataset (live feed, or the verified snapshot):`,
    );
    say(`${demoPullLines(stack.url, campaign.datasetId, pull).join('\n')}\n`);
    if (!options.exitWhenDone) {
      say('Gleaner keeps running so you can try it; press Ctrl-C to stop.');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      say('stopping…');
    }
  } finally {
    for (const node of nodes) await node.stop();
    await stack.stop();
    await site.stop();
  }
}
