import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalBlobStore } from '@gleaner/blob-store';
import { openDatabase, startEmbeddedPostgres, type Database } from '@gleaner/db';
import { GleanerQueues, openRedis, startEmbeddedRedis, type Redis } from '@gleaner/queue';

/** The real services the pipeline's tests run against; not exported from the package index. */
export interface PipelineTestServices {
  database: Database;
  redis: Redis;
  queues: GleanerQueues;
  blobs: LocalBlobStore;
  /** Closes the connections, stops the servers and removes the folder. */
  stop(): Promise<void>;
}

/** Starts redis-server and an in-memory PGlite, and opens a blob folder in a new temporary folder named `name`. */
export async function startPipelineTestServices(name: string): Promise<PipelineTestServices> {
  const dir = await mkdtemp(path.join(tmpdir(), `${name}-`));
  const redisServer = await startEmbeddedRedis({ dataDir: path.join(dir, 'redis') });
  const pg = await startEmbeddedPostgres({ dataDir: 'memory://' });
  const database = openDatabase({ url: pg.url });
  const redis = openRedis(redisServer.url);
  const queues = new GleanerQueues({ connection: redis, prefix: `test-${randomUUID()}` });
  return {
    database,
    redis,
    queues,
    blobs: new LocalBlobStore(path.join(dir, 'blobs')),
    async stop() {
      await queues.close();
      redis.disconnect();
      await database.close();
      await pg.stop();
      await redisServer.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
