/**
 * The benchmark's infrastructure: a real PostgreSQL (testkit) and a dedicated embedded redis-server, both in fresh
 * temporary folders, plus the frontier wired the way apps/worker wires it, under a key prefix of its own.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_POLITENESS, type CampaignSpec } from '@gleaner/core';
import { CampaignStore, migrateDatabase, openDatabase, UrlStore, type Database } from '@gleaner/db';
import { Admission } from '@gleaner/frontier';
import {
  CappedCounter,
  freePort,
  GleanerQueues,
  openRedis,
  PolitenessSlots,
  SeenSet,
  startEmbeddedRedis,
  type EmbeddedRedis,
  type Redis,
} from '@gleaner/queue';
import { startPostgresServer, type PostgresServer } from '@gleaner/testkit';
import type { StepTimer } from './step-timer.js';

/** Running services and the handles on them. */
export interface BenchServices {
  redis: Redis;
  database: Database;
  campaigns: CampaignStore;
  postgres: PostgresServer;
  redisServer: EmbeddedRedis;
  /** Stops everything and removes the temporary folders; safe to call twice. */
  close(): Promise<void>;
}

/** Starts PostgreSQL and redis-server. AOF stays on only when `aof` is set (a million jobs write gigabytes). */
export async function startServices(options: { aof: boolean; poolSize: number }): Promise<BenchServices> {
  const dir = await mkdtemp(path.join(tmpdir(), 'gleaner-frontier-bench-'));
  const cleanups: (() => Promise<void>)[] = [() => rm(dir, { recursive: true, force: true })];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  };
  try {
    const redisServer = await startEmbeddedRedis({ dataDir: path.join(dir, 'redis') });
    cleanups.push(() => redisServer.stop());
    const redis = openRedis(redisServer.url);
    cleanups.push(async () => void redis.disconnect());
    if (!options.aof) await redis.config('SET', 'appendonly', 'no');
    const postgres = await startPostgresServer(await freePort());
    cleanups.push(() => postgres.stop());
    await migrateDatabase(postgres.url);
    const database = openDatabase({ url: postgres.url, maxConnections: options.poolSize });
    cleanups.push(() => database.close());
    return { redis, database, campaigns: new CampaignStore(database.db), postgres, redisServer, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The frontier's collaborators under one key prefix. */
export interface Frontier {
  admission: Admission;
  queues: GleanerQueues;
  politeness: PolitenessSlots;
  prefix: string;
}

/**
 * Wires an {@link Admission} as apps/worker does (seen-set, host quota and trap counters, politeness plan; no
 * robots gate, so every URL goes straight to the queue). With `timer`, every Redis and Postgres call is timed.
 */
export function wireFrontier(services: BenchServices, prefix: string, timer?: StepTimer): Frontier {
  const { redis } = services;
  const urls = new UrlStore(services.database.db);
  const seen = new SeenSet(redis, prefix);
  const queues = new GleanerQueues({ connection: redis, prefix });
  const hostQuota = new CappedCounter(redis, 'host', prefix);
  const queryVariants = new CappedCounter(redis, 'query-variants', prefix);
  const calendarRuns = new CappedCounter(redis, 'calendar', prefix);
  const politeness = new PolitenessSlots(redis, { prefix });
  if (timer) {
    timer.wrap(seen, 'admit', 'redis: SeenSet.admit');
    timer.wrap(hostQuota, 'take', 'redis: host quota take');
    timer.wrap(queryVariants, 'take', 'redis: query-variant cap take');
    timer.wrap(calendarRuns, 'take', 'redis: calendar cap take');
    timer.wrap(urls, 'admit', 'postgres: UrlStore.admit');
    timer.wrap(politeness, 'schedule', 'redis: PolitenessSlots.schedule');
    timer.wrap(queues, 'enqueueFetches', 'redis: enqueueFetches (addBulk)');
  }
  const admission = new Admission({
    urls,
    seen,
    queues,
    hostQuota,
    trapCounters: { queryVariants, calendarRuns },
    politeness,
  });
  return { admission, queues, politeness, prefix };
}

/** A running campaign over `hosts` with the given per-host pace. */
export async function createCampaign(
  services: BenchServices,
  name: string,
  hosts: string[],
  pace: CampaignSpec['politeness'] = DEFAULT_POLITENESS,
): Promise<{ id: string; spec: CampaignSpec }> {
  const spec: CampaignSpec = {
    seeds: [`https://${hosts[0]}/`],
    scope: { mode: 'hosts', hosts },
    include: [],
    exclude: [],
    maxPages: 10_000_000,
    maxDepth: 3,
    render: false,
    maxPagesPerHost: 1_000_000,
    politeness: pace ? { ...pace } : undefined,
  };
  const row = await services.campaigns.create(name, spec);
  return { id: row.id, spec: row.spec };
}
