import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@gleaner/core';
import {
  AccountStore,
  CampaignStore,
  DatasetStore,
  openDatabase,
  startEmbeddedPostgres,
  UrlStore,
  type Database,
} from '@gleaner/db';
import { GleanerQueues, openRedis, startEmbeddedRedis } from '@gleaner/queue';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDeps } from './api-deps.js';
import { createApi } from './create-api.js';

/** The API wired to a throwaway PGlite database and a private redis-server, for in-process tests. */
export interface ApiHarness {
  app: OpenAPIHono;
  deps: ApiDeps;
  database: Database;
  adminToken: string;
  /** The nodes the API believes connected (stats warnings); tests change it. Starts with one idle node. */
  nodes: { render: boolean; paused: boolean }[];
  /** Sends a request in-process; `token` goes in `Authorization: Bearer`, `body` is sent as JSON. */
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
  /** Stops everything this harness started. */
  close(): Promise<void>;
}

/** Starts PGlite (in memory) and redis-server (temp folder), and builds the API over them with a unique queue prefix. */
export async function startApiHarness(): Promise<ApiHarness> {
  const postgres = await startEmbeddedPostgres({ dataDir: 'memory://' });
  const database = openDatabase({ url: postgres.url, maxConnections: 4 });
  const redisDir = await mkdtemp(join(tmpdir(), 'gleaner-api-test-'));
  const redisServer = await startEmbeddedRedis({ dataDir: redisDir });
  const redis = openRedis(redisServer.url);
  const queues = new GleanerQueues({ connection: redis, prefix: `test-${randomUUID()}` });
  const { db } = database;
  const adminToken = `admin-${randomUUID()}`;
  const nodes = [{ render: false, paused: false }];
  const deps: ApiDeps = {
    db,
    accounts: new AccountStore(db),
    campaigns: new CampaignStore(db),
    urls: new UrlStore(db),
    datasets: new DatasetStore(db),
    queues,
    adminToken,
    logger: silentLogger,
    connectedNodes: () => nodes,
  };
  const app = createApi(deps);
  return {
    app,
    deps,
    database,
    adminToken,
    nodes,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
      if (options.body !== undefined) headers['content-type'] ??= 'application/json';
      const body = options.body === undefined ? undefined : JSON.stringify(options.body);
      return app.request(path, { method, headers, ...(body === undefined ? {} : { body }) });
    },
    async close() {
      await queues.close();
      await redis.quit();
      await redisServer.stop();
      await database.close();
      await postgres.stop();
      await rm(redisDir, { recursive: true, force: true });
    },
  };
}
