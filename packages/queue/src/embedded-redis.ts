import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** Options for {@link startEmbeddedRedis}. */
export interface EmbeddedRedisOptions {
  /** Folder for the AOF and RDB files; created if missing. */
  dataDir: string;
  /** TCP port on 127.0.0.1; 0 picks a free one. Default 0. */
  port?: number;
  /** The redis-server binary. Default `redis-server` from PATH. */
  binary?: string;
}

/** A running local redis-server. */
export interface EmbeddedRedis {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Starts `redis-server` bound to 127.0.0.1 with its own data folder and AOF on (appendfsync everysec),
 * and waits until it answers PING.
 */
export async function startEmbeddedRedis(options: EmbeddedRedisOptions): Promise<EmbeddedRedis> {
  await mkdir(options.dataDir, { recursive: true });
  const port = options.port || (await freePort());
  const child = spawn(
    options.binary ?? 'redis-server',
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--dir',
      options.dataDir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
      // BullMQ job hashes hold ~150-byte JSON fields: keep them in the compact encoding (about 800 → 500 B a job).
      '--hash-max-listpack-value',
      '256',
      '--protected-mode',
      'yes',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const spawnError = new Promise<never>((_, reject) => {
    child.once('error', (error) =>
      reject(
        new Error(`could not start redis-server (is it installed? apt-get install redis-server)`, {
          cause: error,
        }),
      ),
    );
    child.once('exit', (code) =>
      reject(new Error(`redis-server exited with code ${code}: ${stderr.trim()}`)),
    );
  });
  const url = `redis://127.0.0.1:${port}`;
  await Promise.race([waitForPing(url), spawnError]);
  spawnError.catch(() => {});
  return {
    url,
    port,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function waitForPing(url: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => {});
    try {
      await redis.connect();
      await redis.ping();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`redis at ${url} did not answer`, { cause: error });
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      redis.disconnect();
    }
  }
}
