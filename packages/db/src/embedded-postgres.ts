import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { migrationsFolder } from './database.js';
import { PgliteWireServer } from './pglite-wire-server.js';
import * as schema from './schema.js';

/** Options for {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** Folder holding the PGlite data; created if missing. Use `memory://` for a throwaway database. */
  dataDir: string;
  /** Loopback address to listen on. Default 127.0.0.1. */
  host?: string;
  /** TCP port; 0 picks a free one. Default 0. */
  port?: number;
}

/** A running embedded database. */
export interface EmbeddedPostgres {
  /** `postgres://` URL every process uses, exactly as for a real server. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts PGlite in this process, applies migrations, and serves it over the Postgres wire protocol on loopback,
 * so other processes reach it as they would reach PostgreSQL.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  if (!options.dataDir.startsWith('memory://')) await mkdir(options.dataDir, { recursive: true });
  const pglite = await PGlite.create(options.dataDir);
  await migrate(drizzle(pglite, { schema }), { migrationsFolder });
  const host = options.host ?? '127.0.0.1';
  const server = new PgliteWireServer(pglite);
  const port = await server.listen(host, options.port ?? 0);
  return {
    url: `postgres://postgres:postgres@${host}:${port}/postgres`,
    async stop() {
      await server.close();
      await pglite.close();
    },
  };
}
