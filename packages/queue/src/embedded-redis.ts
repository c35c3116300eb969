import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmod, link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';

/** Options for {@link startEmbeddedRedis}. */
export interface EmbeddedRedisOptions {
  /** Folder for the AOF and RDB files; created if missing. */
  dataDir: string;
  /** TCP port on 127.0.0.1; 0 picks a free one. Default 0. */
  port?: number;
  /** The redis-server binary. Default `redis-server` from PATH. */
  binary?: string;
  /**
   * Starts the redis-server process; it gets the binary, its arguments and the standard streams to give it.
   * Default: a plain child process. `gleaner start` passes a launcher that ends redis-server when it dies.
   */
  launch?: (command: string, args: string[], stdio: ['ignore', 'ignore', 'pipe']) => ChildProcess;
}

/**
 * Another redis-server (or a process starting one) holds the data folder: stop it, or use another folder. Two
 * servers on one folder would both append to the same AOF.
 */
export class RedisDataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`the redis data folder ${dataDir} is in use by process ${pid}; stop it or use another data folder`);
    this.name = 'RedisDataDirInUseError';
  }
}

/** A running local redis-server. */
export interface EmbeddedRedis {
  /** `redis://` URL with the server's password in it. */
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
 * and waits until it answers PING. The folder is locked while the server runs: a second start on it fails with
 * {@link RedisDataDirInUseError} as long as the first server lives, and succeeds once it is gone, however it died.
 *
 * The server is private to this user: the folder is 0700, and the server asks for a password (`requirepass`)
 * generated on first start into `password` in the folder (0600) and reused after. The password reaches the server
 * through a config file there (0600), never through its command line, which every local user can read.
 */
export async function startEmbeddedRedis(options: EmbeddedRedisOptions): Promise<EmbeddedRedis> {
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  await chmod(options.dataDir, 0o700);
  const lock = await DataDirLock.acquire(options.dataDir);
  try {
    return await startLocked(options, lock);
  } catch (error) {
    await lock.release();
    throw error;
  }
}

/** Reads the password in `file`, or makes one there (mode 0600) when there is none yet. */
async function ensurePassword(file: string): Promise<string> {
  try {
    const kept = (await readFile(file, 'utf8')).trim();
    if (kept) return kept;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  // Hex: nothing in it needs quoting in a config file or escaping in a URL.
  const password = randomBytes(32).toString('hex');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return password;
}

async function startLocked(options: EmbeddedRedisOptions, lock: DataDirLock): Promise<EmbeddedRedis> {
  const port = options.port || (await freePort());
  const password = await ensurePassword(path.join(options.dataDir, 'password'));
  const configFile = path.join(options.dataDir, 'redis-auth.conf');
  await writeFile(configFile, `requirepass ${password}\n`, { mode: 0o600 });
  await chmod(configFile, 0o600);
  const launch = options.launch ?? ((command, args, stdio) => spawn(command, args, { stdio }));
  const child = launch(
    options.binary ?? 'redis-server',
    [
      configFile,
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
    ['ignore', 'ignore', 'pipe'],
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
      reject(
        new Error(
          code === 127
            ? `could not start redis-server (is it installed? apt-get install redis-server): ${stderr.trim()}`
            : `redis-server exited with code ${code}: ${stderr.trim()}`,
        ),
      ),
    );
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // SIGTERM even when giving up on a server: a launcher passes it on, and would leave its server behind on SIGKILL.
  const stop = async () => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  const url = `redis://:${password}@127.0.0.1:${port}`;
  try {
    const serverPid = await Promise.race([waitForPing(url), spawnError]);
    // From now on the lock names the server itself, which may be a launcher's child and outlive this process.
    await lock.handTo(serverPid);
  } catch (error) {
    await stop();
    throw error;
  }
  spawnError.catch(() => {});
  return {
    url,
    port,
    process: child,
    async stop() {
      await stop();
      await lock.release();
    },
  };
}

/** A process's name where the system tells it (Linux `/proc`), else undefined. */
async function processName(pid: number): Promise<string | undefined> {
  try {
    return (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

/** Whether the lock's holder lives: its pid is alive and, where the system tells, still runs the same program. */
async function holderLives(holder: LockRecord): Promise<boolean> {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: a process of another user, which still holds the folder.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // After a reboot or a long while, the pid of a dead holder may belong to an unrelated process.
  const name = holder.name === undefined ? undefined : await processName(holder.pid);
  return name === undefined || name === holder.name;
}

/** What a lock file holds: who holds the folder, and a token that tells this holding from any later one. */
interface LockRecord {
  pid: number;
  /** The holder's process name when it took the lock (Linux), to tell it from a later process with its pid. */
  name?: string;
  token: string;
}

/**
 * A redis data folder's lock: `redis.lock` in the folder names the process that holds it, first the one starting
 * the server, then the server. A lock whose process is gone is stale and taken over, so a `kill -9` never leaves
 * the folder locked. The file is only ever created whole (written aside, then hard-linked into place, which fails
 * if it exists), so a reader never sees half a lock.
 */
class DataDirLock {
  private constructor(
    private readonly file: string,
    private readonly token: string,
  ) {}

  static async acquire(dataDir: string): Promise<DataDirLock> {
    const file = path.join(dataDir, 'redis.lock');
    const token = randomUUID();
    const mine = JSON.stringify({
      pid: process.pid,
      name: await processName(process.pid),
      token,
    } satisfies LockRecord);
    const aside = `${file}.${token}`;
    await writeFile(aside, mine, { mode: 0o600 });
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          await link(aside, file);
          return new DataDirLock(file, token);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
        const holder = await DataDirLock.read(file);
        if (!holder) continue;
        if (await holderLives(holder)) throw new RedisDataDirInUseError(dataDir, holder.pid);
        await DataDirLock.breakStale(file, holder);
      }
      throw new Error(`could not lock the redis data folder ${dataDir}: other processes keep taking it`);
    } finally {
      await unlink(aside).catch(() => {});
    }
  }

  /** The lock file's holder, or undefined when there is no lock file (any more). */
  private static async read(file: string): Promise<LockRecord | undefined> {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as LockRecord;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /**
   * Removes a stale lock. Another starter may have broken it and taken the folder between our read and now, so the
   * file is moved aside first and checked: if it is no longer the stale one, it goes back.
   */
  private static async breakStale(file: string, stale: LockRecord): Promise<void> {
    const aside = `${file}.stale-${randomUUID()}`;
    try {
      await rename(file, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const moved = await DataDirLock.read(aside);
    if (moved && moved.token !== stale.token) await link(aside, file).catch(() => {});
    await unlink(aside);
  }

  /** Names `pid` as the holder from now on. */
  async handTo(pid: number): Promise<void> {
    const aside = `${this.file}.${this.token}`;
    const record: LockRecord = { pid, name: await processName(pid), token: this.token };
    await writeFile(aside, JSON.stringify(record), { mode: 0o600 });
    // rename replaces the file in one step: the folder is never unlocked in between.
    await rename(aside, this.file);
  }

  /** Removes the lock if it is still this one (a stale one may have been taken over since). */
  async release(): Promise<void> {
    const holder = await DataDirLock.read(this.file).catch(() => undefined);
    if (holder?.token === this.token) await unlink(this.file).catch(() => {});
  }
}

/** Waits until the server answers, and returns its pid. */
async function waitForPing(url: string, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => {});
    try {
      await redis.connect();
      const info = await redis.info('server');
      const pid = /^process_id:(\d+)/m.exec(info)?.[1];
      if (!pid) throw new Error(`redis at ${new URL(url).host} did not tell its process_id`);
      return Number(pid);
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`redis at ${new URL(url).host} did not answer`, { cause: error });
      }
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      redis.disconnect();
    }
  }
}
