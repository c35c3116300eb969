import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ensureSigningKeyFile } from '@gleaner/config';
import { openDatabase, startEmbeddedPostgres, type Database } from '@gleaner/db';
import { freePort, startEmbeddedRedis, type EmbeddedRedis } from '@gleaner/queue';
import { SampleSite, type SampleSiteOptions } from '@gleaner/sample-site';
import { startServiceProcess, type ServiceProcess } from '@gleaner/supervisor';
import { startPostgresServer } from '@gleaner/testkit';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The built entry point of an app. */
export function entry(app: 'coordinator' | 'worker' | 'node'): string {
  return path.join(repoRoot, 'apps', app, 'dist', 'main.js');
}

/**
 * The sample site's robots.txt files: one host disallows a prefix for everyone, one disallows everything for
 * everyone but Gleaner (which it allows but one page), one asks for a Crawl-delay; the fourth has none (404).
 */
export const SITE_ROBOTS: Record<string, string | ((origin: string) => string)> = {
  '127.0.0.2': 'User-agent: *\nCrawl-delay: 0.4\n',
  '127.0.0.3': (origin) => `User-agent: *\nAllow: /\n\nSitemap: ${origin}/sitemap-index.xml\n`,
  '127.0.0.4': '# keep out of section 2\nUser-agent: *\nDisallow: /p/2\n',
  '127.0.0.5': 'User-agent: GleanerBot\nDisallow: /p/3$\n\nUser-agent: *\nDisallow: /\n',
};

/** Pages of 127.0.0.3 its sitemap lists: three that no page links to, and one that pages do link to. */
export const SITEMAP_PATHS = ['/orphan/0', '/orphan/1', '/orphan/2', '/p/5'];

/** 127.0.0.3's sitemaps: an index (named in its robots.txt) pointing to a gzipped URL set. */
const SITEMAP_FILES = {
  '127.0.0.3': {
    '/sitemap-index.xml': {
      contentType: 'application/xml',
      body: (origin: string) =>
        `<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` +
        `<sitemap><loc>${origin}/sitemap-1.xml.gz</loc></sitemap></sitemapindex>`,
    },
    '/sitemap-1.xml.gz': {
      contentType: 'application/gzip',
      body: (origin: string) =>
        gzipSync(
          `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` +
            SITEMAP_PATHS.map((p) => `<url><loc>${origin}${p}</loc></url>`).join('') +
            `</urlset>`,
        ),
    },
  },
};

/** The Crawl-delay of 127.0.0.2, ms. */
export const CRAWL_DELAY_MS = 400;

function mergeFiles(
  ...sets: NonNullable<SampleSiteOptions['files']>[]
): NonNullable<SampleSiteOptions['files']> {
  const merged: NonNullable<SampleSiteOptions['files']> = {};
  for (const set of sets) {
    for (const [host, files] of Object.entries(set)) merged[host] = { ...merged[host], ...files };
  }
  return merged;
}

/** Which database an end-to-end run uses. */
export type DatabaseKind = 'pglite' | 'postgres';

/** Gleaner running as real processes against a sample site, with handles for faults and checks. */
export interface CrawlSystem {
  site: SampleSite;
  url: string;
  adminToken: string;
  db: Database;
  env: Record<string, string | undefined>;
  dir: string;
  logDir: string;
  worker: ServiceProcess;
  coordinator: ServiceProcess;
  nodes: ServiceProcess[];
  owners: { id: string; token: string }[];
  api<T>(method: string, route: string, token: string, body?: unknown): Promise<{ status: number; body: T }>;
  startWorker(): Promise<ServiceProcess>;
  startNode(index: number): Promise<ServiceProcess>;
  /** Creates one more contributor and starts a node for them with extra flags (`--render`, say). */
  addNode(extraArgs: string[]): Promise<ServiceProcess>;
  stop(): Promise<void>;
}

/** Brings up redis-server, a database, the coordinator, the worker and `nodeCount` nodes as processes. */
export async function startCrawlSystem(
  kind: DatabaseKind,
  nodeCount: number,
  pagesPerHost: number,
  options: {
    files?: SampleSiteOptions['files'];
    dynamic?: boolean;
    /** Settings for the coordinator and the worker, over the defaults below (given the started site). */
    env?: (site: SampleSite) => Record<string, string>;
  } = {},
): Promise<CrawlSystem> {
  const dir = await mkdtemp(path.join(tmpdir(), `gleaner-e2e-${kind}-`));
  const logDir = path.join(dir, 'logs');
  const cleanups: (() => Promise<void>)[] = [];
  const site = new SampleSite({
    hosts: ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'],
    offScopeHost: '127.0.0.9',
    pagesPerHost,
    seed: 7,
    robots: SITE_ROBOTS,
    orphans: { '127.0.0.3': 3 },
    traps: ['127.0.0.4'],
    files: mergeFiles(SITEMAP_FILES, options.files ?? {}),
    ...(options.dynamic ? { dynamic: true } : {}),
    disallowed: (host, path) =>
      (host === '127.0.0.4' && path.startsWith('/p/2')) || (host === '127.0.0.5' && path === '/p/3'),
  });
  await site.start();
  cleanups.push(() => site.stop());
  const redis: EmbeddedRedis = await startEmbeddedRedis({ dataDir: path.join(dir, 'redis') });
  cleanups.push(() => redis.stop());
  let databaseUrl: string;
  if (kind === 'pglite') {
    const pglite = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pglite') });
    cleanups.push(() => pglite.stop());
    databaseUrl = pglite.url;
  } else {
    const postgres = await startPostgresServer(await freePort());
    cleanups.push(() => postgres.stop());
    databaseUrl = postgres.url;
  }
  const adminToken = `adm_${randomUUID()}`;
  const signingKeyFile = path.join(dir, 'signing-key.pem');
  ensureSigningKeyFile(signingKeyFile);
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    GLEANER_ADMIN_TOKEN: adminToken,
    GLEANER_BLOB_DIR: path.join(dir, 'blobs'),
    GLEANER_SNAPSHOT_DIR: path.join(dir, 'snapshots'),
    GLEANER_SIGNING_KEY_FILE: signingKeyFile,
    // Webhook receivers in the tests listen on loopback.
    GLEANER_WEBHOOK_ALLOW_PRIVATE_NETWORK: 'true',
    GLEANER_PORT: '0',
    GLEANER_QUEUE_PREFIX: `test-${randomUUID()}`,
    GLEANER_JOB_LOCK_MS: '4000',
    GLEANER_LEASE_LOCK_MS: '6000',
    // Retries by error class wait seconds to minutes; a tenth of that keeps the suite quick.
    GLEANER_RETRY_DELAY_SCALE: '0.1',
    GLEANER_LOG_LEVEL: 'debug',
    ...options.env?.(site),
  };
  const processes: ServiceProcess[] = [];
  const startWorker = async () => {
    const worker = await startServiceProcess(`worker-${processes.length}`, entry('worker'), [], env, logDir);
    processes.push(worker);
    await worker.waitForEvent('started');
    return worker;
  };
  const worker = await startWorker();
  const coordinator = await startServiceProcess('coordinator', entry('coordinator'), [], env, logDir);
  processes.push(coordinator);
  const url = String((await coordinator.waitForEvent('listening')).url);
  const db = openDatabase({ url: databaseUrl, maxConnections: 2 });

  const api: CrawlSystem['api'] = async (method, route, token, body) => {
    const response = await fetch(new URL(route, url), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // NDJSON or text: left as is
    }
    return { status: response.status, body: parsed as never };
  };

  const owners: { id: string; token: string }[] = [];
  const startNode = async (index: number, extraArgs: string[] = []) => {
    const owner = owners[index]!;
    const node = await startServiceProcess(
      `node-${index}-${processes.length}`,
      entry('node'),
      [
        'start',
        '--coordinator',
        url,
        '--data-dir',
        path.join(dir, `node-${index}`),
        '--name',
        `node-${index}`,
        '--allow-private',
        '--allow-ports',
        String(site.port),
        '--concurrency',
        '4',
        ...extraArgs,
      ],
      // The owner token goes through the environment: a command line is visible to every local user.
      { ...process.env, GLEANER_LOG_LEVEL: 'info', GLEANER_OWNER_TOKEN: owner.token },
      logDir,
    );
    processes.push(node);
    await node.waitForEvent('started');
    return node;
  };
  const nodes: ServiceProcess[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const created = await api<{ id: string; token: string }>('POST', '/v1/owners', adminToken, {
      name: `owner-${i}`,
    });
    owners.push(created.body);
    nodes.push(await startNode(i));
  }
  return {
    site,
    url,
    adminToken,
    db,
    env,
    dir,
    logDir,
    worker,
    coordinator,
    nodes,
    owners,
    api,
    startWorker,
    startNode,
    async addNode(extraArgs) {
      const created = await api<{ id: string; token: string }>('POST', '/v1/owners', adminToken, {
        name: `owner-${owners.length}`,
      });
      owners.push(created.body);
      const node = await startNode(owners.length - 1, extraArgs);
      nodes.push(node);
      return node;
    },
    async stop() {
      for (const p of processes.reverse()) await p.stop(5000);
      await db.close();
      for (const cleanup of cleanups.reverse()) await cleanup();
      if (!process.env.GLEANER_KEEP_TEST_DATA) await rm(dir, { recursive: true, force: true });
    },
  };
}
