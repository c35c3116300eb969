import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { migrationsFolder } from './database.js';
import { PgliteWireServer } from './pglite-wire-server.js';
import * as schema from './schema.js';

/** Options for {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** Folder holding the PGlite data; created if missing (mode 0700). Use `memory://` for a throwaway database. */
  dataDir: string;
  /** Loopback address to listen on. Default 127.0.0.1. */
  host?: string;
  /** TCP port; 0 picks a free one. Default 0. */
  port?: number;
  /**
   * File holding the password clients must give, made on first start (random, mode 0600) and reused after.
   * Default `wire-password` inside `dataDir`; with `memory://` the password lives only as long as the server.
   */
  passwordFile?: string;
}

/** A running embedded database. */
export interface EmbeddedPostgres {
  /** `postgres://` URL every process uses, exactly as for a real server; it carries the password. */
  url: string;
  stop(): Promise<void>;
}

/** The user name in {@link EmbeddedPostgres.url} (PGlite has one user; the password is what is checked). */
const USER = 'postgres';

/** Reads the password in `file`, or makes one there (mode 0600) when there is none yet. */
export async function ensurePasswordFile(file: string): Promise<string> {
  try {
    const kept = (await readFile(file, 'utf8')).trim();
    if (kept) return kept;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const password = randomBytes(32).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  // An existing empty file keeps its mode through writeFile: make sure.
  await chmod(file, 0o600);
  return password;
}

/**
 * Starts PGlite in this process, applies migrations, and serves it over the Postgres wire protocol on loopback,
 * so other processes reach it as they would reach PostgreSQL. Only clients that prove the generated password
 * (SCRAM-SHA-256) get in; the data folder is readable by this user alone.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const inMemory = options.dataDir.startsWith('memory://');
  if (!inMemory) {
    await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
    await chmod(options.dataDir, 0o700);
  }
  const pglite = await PGlite.create(options.dataDir);
  await migrate(drizzle(pglite, { schema }), { migrationsFolder });
  // Made after PGlite has set the folder up: a new database is created only in an empty folder.
  const passwordFile =
    options.passwordFile ?? (inMemory ? undefined : path.join(options.dataDir, 'wire-password'));
  const password = passwordFile
    ? await ensurePasswordFile(passwordFile)
    : randomBytes(32).toString('base64url');
  const host = options.host ?? '127.0.0.1';
  const server = new PgliteWireServer(pglite, { password });
  const port = await server.listen(host, options.port ?? 0);
  return {
    url: `postgres://${USER}:${encodeURIComponent(password)}@${host}:${port}/postgres`,
    async stop() {
      await server.close();
      await pglite.close();
    },
  };
}
