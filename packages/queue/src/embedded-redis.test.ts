import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisDataDirInUseError, startEmbeddedRedis, type EmbeddedRedis } from './embedded-redis.js';
import { openRedis } from './redis-connection.js';

describe('startEmbeddedRedis and its data folder', () => {
  let dataDir: string;
  const servers: EmbeddedRedis[] = [];

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'embedded-redis-'));
  });
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function start(): Promise<EmbeddedRedis> {
    const server = await startEmbeddedRedis({ dataDir });
    servers.push(server);
    return server;
  }

  it('refuses a folder that a live server holds, naming the folder and the server’s pid', async () => {
    const first = await start();
    const error = await start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RedisDataDirInUseError);
    expect((error as RedisDataDirInUseError).pid).toBe(first.process.pid);
    expect((error as Error).message).toContain(dataDir);
    expect((error as Error).message).toContain(String(first.process.pid));
    // The refused start left the first server and its lock alone.
    const redis = openRedis(first.url);
    try {
      expect(await redis.ping()).toBe('PONG');
    } finally {
      redis.disconnect();
    }
    await expect(start()).rejects.toBeInstanceOf(RedisDataDirInUseError);
  });

  it('takes the folder once the server stopped, and keeps its data', async () => {
    const first = await start();
    const redis = openRedis(first.url);
    await redis.set('kept', 'yes');
    redis.disconnect();
    await first.stop();
    const second = await start();
    const again = openRedis(second.url);
    try {
      expect(await again.get('kept')).toBe('yes');
    } finally {
      again.disconnect();
    }
  });

  it('takes over the stale lock of a server killed with SIGKILL', async () => {
    const first = await start();
    const exited = new Promise((resolve) => first.process.once('exit', resolve));
    first.process.kill('SIGKILL');
    await exited;
    const second = await start();
    expect(second.process.pid).not.toBe(first.process.pid);
    await second.stop();
    // Stopping the second server released its lock: a third start needs no takeover.
    await start();
  });
});
