import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ensureSigningKeyFile } from '@gleaner/config';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@gleaner/db';
import { startEmbeddedRedis, type EmbeddedRedis } from '@gleaner/queue';
import { spawnWatched, startServiceProcess, type ServiceProcess } from '@gleaner/supervisor';
import { appEntry } from './app-entry.js';

/** Options for {@link startStack}. */
export interface StackOptions {
  /** Where embedded services keep their data, logs and blobs. */
  dataDir: string;
  /** PostgreSQL URL; without it PGlite runs embedded in `dataDir/pglite`. */
  databaseUrl?: string;
  /** Redis URL; without it a local redis-server runs with its data in `dataDir/redis`. */
  redisUrl?: string;
  /** Admin token; without it one is made and kept in `dataDir/admin-token`. */
  adminToken?: string;
  /** Coordinator port. Default 7300; 0 picks a free one. */
  port?: number;
  /** Extra environment for the coordinator and worker. */
  env?: Record<string, string>;
  /** Called with progress lines for people. */
  say?: (line: string) => void;
}

/** A running Gleaner: embedded services, a coordinator and a worker. */
export interface Stack {
  url: string;
  adminToken: string;
  databaseUrl: string;
  redisUrl: string;
  logDir: string;
  /** The coordinator's signing key file (`dataDir/signing-key.pem`), unless the environment names a key. */
  signingKeyFile: string | undefined;
  coordinator: ServiceProcess;
  worker: ServiceProcess;
  stop(): Promise<void>;
}

/** A service URL fit to print: its password masked. */
function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

async function adminTokenIn(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'admin-token');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const token = `gad_${randomBytes(32).toString('base64url')}`;
    await writeFile(file, `${token}\n`, { mode: 0o600 });
    return token;
  }
}

/**
 * Brings Gleaner up on one machine: PGlite and redis-server unless URLs are given, then the coordinator and the
 * worker as child processes. The embedded services are private to this user: each asks for a password generated
 * into its data folder (0600, in a 0700 folder), and the URLs handed to the children carry them. `stop` shuts everything down in reverse order. Every process started here ends when
 * this one dies, however it dies: PGlite runs inside it, and the children watch a pipe from it.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const say = options.say ?? (() => {});
  // The folder holds the admin token, the signing key and both services' passwords: this user's alone.
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  await chmod(options.dataDir, 0o700);
  const logDir = path.join(options.dataDir, 'logs');
  let redis: EmbeddedRedis | undefined;
  let postgres: EmbeddedPostgres | undefined;
  const started: ServiceProcess[] = [];
  const stopAll = async () => {
    for (const service of started.reverse()) await service.stop();
    await postgres?.stop();
    await redis?.stop();
  };
  try {
    let redisUrl = options.redisUrl;
    if (!redisUrl) {
      redis = await startEmbeddedRedis({
        dataDir: path.join(options.dataDir, 'redis'),
        // redis-server cannot notice that we died: a watchdog ends it then, so that no orphan keeps appending to
        // the AOF (and holding the folder's lock) after a `kill -9` of `gleaner start`.
        launch: spawnWatched,
      });
      redisUrl = redis.url;
      say(
        `redis-server    ${withoutPassword(redisUrl)} (AOF and password in ${path.join(options.dataDir, 'redis')})`,
      );
    }
    let databaseUrl = options.databaseUrl;
    if (!databaseUrl) {
      postgres = await startEmbeddedPostgres({ dataDir: path.join(options.dataDir, 'pglite') });
      databaseUrl = postgres.url;
      say(
        `PGlite          ${withoutPassword(databaseUrl)} (data and password in ${path.join(options.dataDir, 'pglite')})`,
      );
    }
    const adminToken = options.adminToken ?? (await adminTokenIn(options.dataDir));
    const given = { ...process.env, ...options.env };
    // Epoch publications (worker) and GET /v1/signing-key (coordinator) need the same key: one file for both.
    const signingKeyFile =
      given.GLEANER_SIGNING_KEY === undefined && given.GLEANER_SIGNING_KEY_FILE === undefined
        ? path.join(options.dataDir, 'signing-key.pem')
        : undefined;
    if (signingKeyFile) ensureSigningKeyFile(signingKeyFile);
    const env = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      GLEANER_ADMIN_TOKEN: adminToken,
      GLEANER_BLOB_DIR: path.join(options.dataDir, 'blobs'),
      GLEANER_PORT: String(options.port ?? 7300),
      ...(signingKeyFile ? { GLEANER_SIGNING_KEY_FILE: signingKeyFile } : {}),
      ...options.env,
    };
    const worker = await startServiceProcess('worker', appEntry('@gleaner/worker'), [], env, logDir);
    started.push(worker);
    const coordinator = await startServiceProcess(
      'coordinator',
      appEntry('@gleaner/coordinator'),
      [],
      env,
      logDir,
    );
    started.push(coordinator);
    const listening = await coordinator.waitForEvent('listening');
    const url = String(listening.url);
    say(`coordinator     ${url} (API docs: ${url}/docs, console: ${url}/console)`);
    return {
      url,
      adminToken,
      databaseUrl,
      redisUrl,
      logDir,
      signingKeyFile,
      coordinator,
      worker,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
