import path from 'node:path';
import { z } from 'zod';
import { parseEnv } from '@gleaner/config';

const CliEnv = z.object({
  GLEANER_DATA_DIR: z.string().min(1).optional(),
  GLEANER_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  DATABASE_URL: z.string().url().optional(),
  REDIS_URL: z.string().url().optional(),
  GLEANER_ADMIN_TOKEN: z.string().min(16).optional(),
  /** A lab API key for `gleaner pull` (kept off the command line, which other users of the machine can read). */
  GLEANER_API_KEY: z.string().min(1).optional(),
});

/** Environment settings of the `gleaner` command (the only place it reads `process.env`). */
export interface CliEnvironment {
  dataDir: string;
  port: number | undefined;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  adminToken: string | undefined;
  apiKey: string | undefined;
}

/** Reads the `gleaner` command's environment. */
export function loadCliEnvironment(env: Record<string, string | undefined> = process.env): CliEnvironment {
  const parsed = parseEnv(CliEnv, env);
  return {
    dataDir: path.resolve(parsed.GLEANER_DATA_DIR ?? '.gleaner'),
    port: parsed.GLEANER_PORT,
    databaseUrl: parsed.DATABASE_URL,
    redisUrl: parsed.REDIS_URL,
    adminToken: parsed.GLEANER_ADMIN_TOKEN,
    apiKey: parsed.GLEANER_API_KEY,
  };
}
