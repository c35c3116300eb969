import { z } from 'zod';
import { loadSigningKey, parseEnv } from '@gleaner/config';
import { DEFAULT_VERIFICATION_POLICY } from '@gleaner/trust';
import { DEFAULT_MAX_POINTS_PER_OWNER_PER_EPOCH } from './points-settler.js';

const WorkerEnv = z.object({
  DATABASE_URL: z.string().url({ message: 'DATABASE_URL must be a postgres:// URL' }),
  REDIS_URL: z.string().url({ message: 'REDIS_URL must be a redis:// URL' }),
  GLEANER_BLOB_DIR: z.string().min(1),
  /** Where dataset snapshots are published; default `snapshots` beside the blob folder (shared by worker and coordinator). */
  GLEANER_SNAPSHOT_DIR: z.string().min(1).optional(),
  GLEANER_QUEUE_PREFIX: z.string().min(1).default('gleaner'),
  GLEANER_PROCESS_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  GLEANER_FRONTIER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** Lock of a pipeline job; a crashed worker's jobs return to the queue after it expires. */
  GLEANER_JOB_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  /** How long a host whose robots.txt failed (5xx, unreachable) stays closed before the next try, ms. */
  GLEANER_ROBOTS_RETRY_MS: z.coerce.number().int().min(1000).default(60_000),
  /** Threads that extract pages (0: extract in the worker's own thread, without a time budget). */
  GLEANER_EXTRACT_THREADS: z.coerce.number().int().min(0).max(64).default(2),
  /** Time one page may take to extract before the plain-text fallback stands in, ms. */
  GLEANER_EXTRACT_BUDGET_MS: z.coerce.number().int().min(100).default(10_000),
  /** How long a trusted node's points wait before they settle, ms. Default a day. */
  GLEANER_SETTLE_HOLD_MS: z.coerce.number().int().min(0).default(86_400_000),
  /** How often the settle sweep runs, ms. */
  GLEANER_SETTLE_EVERY_MS: z.coerce.number().int().min(100).default(60_000),
  /** Length of a reward epoch, ms. Default a day. */
  GLEANER_EPOCH_MS: z.coerce.number().int().min(1000).default(86_400_000),
  /** Most points settled per owner per epoch; the rest stay pending for the next epoch (docs/trust.md). */
  GLEANER_MAX_POINTS_PER_OWNER_PER_EPOCH: z.coerce
    .number()
    .int()
    .min(1)
    .default(DEFAULT_MAX_POINTS_PER_OWNER_PER_EPOCH),
  /** How long a verification vote waits for its redundant fetch before it expires, ms. */
  GLEANER_VOTE_EXPIRY_MS: z.coerce.number().int().min(1000).default(3_600_000),
  /** How long after an epoch's end the settle sweep waits before it closes the epoch, ms (lets late sweeps finish). */
  GLEANER_EPOCH_CLOSE_GRACE_MS: z.coerce.number().int().min(0).default(60_000),
  /** The coordinator's Ed25519 signing key, PKCS#8 PEM text; epochs close only with a key. */
  GLEANER_SIGNING_KEY: z.string().min(1).optional(),
  /** A file holding that key instead (not both). */
  GLEANER_SIGNING_KEY_FILE: z.string().min(1).optional(),
  /** Share of a node's first pages fetched again by another owner's node for a vote (docs/trust.md). */
  GLEANER_REDUNDANCY_PROBATION: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(DEFAULT_VERIFICATION_POLICY.probationRedundancy),
  /** Share of a trusted node's pages fetched again. */
  GLEANER_REDUNDANCY_STEADY: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(DEFAULT_VERIFICATION_POLICY.steadyRedundancy),
  /** Let webhook deliveries reach loopback and private-network addresses (receivers on the operator's own network). */
  GLEANER_WEBHOOK_ALLOW_PRIVATE_NETWORK: z
    .enum(['true', 'false'], { message: 'GLEANER_WEBHOOK_ALLOW_PRIVATE_NETWORK must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  /** Port of the worker's Prometheus /metrics server; 0 (the default) runs none. */
  GLEANER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** Address it listens on; loopback by default, since /metrics asks for no credential. */
  GLEANER_METRICS_HOST: z.string().default('127.0.0.1'),
  GLEANER_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

const WorkerSettings = WorkerEnv.transform((env, ctx) => {
  try {
    return {
      ...env,
      signingKey: loadSigningKey({ pem: env.GLEANER_SIGNING_KEY, file: env.GLEANER_SIGNING_KEY_FILE }),
    };
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message, path: ['GLEANER_SIGNING_KEY'] });
    return z.NEVER;
  }
});

/** The worker's settings, read once from the environment, with the signing key loaded (undefined without one). */
export type WorkerConfig = z.infer<typeof WorkerSettings>;

/** Reads and validates the worker's environment (the only place the worker reads `process.env`). */
export function loadWorkerConfig(env: Record<string, string | undefined> = process.env): WorkerConfig {
  return parseEnv(WorkerSettings, env);
}
