import { fileURLToPath } from 'node:url';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema.js';

/** A drizzle handle over node-postgres with Gleaner's schema. */
export type Db = NodePgDatabase<typeof schema>;

/** An open database: the drizzle handle, its pool and a way to close both. */
export interface Database {
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
}

/** Where drizzle-kit's SQL migrations live (shipped with the package). */
export const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

/** Options for {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** A `postgres://` URL (real PostgreSQL, or PGlite behind its socket server). */
  url: string;
  /** Pool size. Default 10. */
  maxConnections?: number;
}

/** Opens a connection pool and a drizzle handle; errors on idle clients are swallowed so a restart never crashes us. */
export function openDatabase(options: OpenDatabaseOptions): Database {
  const pool = new pg.Pool({ connectionString: options.url, max: options.maxConnections ?? 10 });
  pool.on('error', () => {
    // An idle client lost its server; the pool replaces it on next use.
  });
  const db = drizzle(pool, { schema });
  return { db, pool, close: () => pool.end() };
}

const MIGRATION_LOCK_KEY = 4_242_001;

/**
 * Applies pending migrations under a Postgres advisory lock, so many processes may start at once.
 * (Embedded PGlite runs them itself before it accepts connections; there the lock is a no-op.)
 */
export async function migrateDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migrate(drizzle(client, { schema }), { migrationsFolder });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}
