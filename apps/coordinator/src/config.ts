import { isIP } from 'node:net';
import { z } from 'zod';
import { loadSigningKey, parseEnv, type SigningKey } from '@gleaner/config';
import { DEFAULT_MAX_NODES_PER_OWNER } from '@gleaner/db';

/** A comma-separated list in one variable (empty by default), its entries trimmed and blanks dropped. */
const commaList = () =>
  z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    );

const CoordinatorEnv = z.object({
  DATABASE_URL: z.string().url({ message: 'DATABASE_URL must be a postgres:// URL' }),
  REDIS_URL: z.string().url({ message: 'REDIS_URL must be a redis:// URL' }),
  GLEANER_ADMIN_TOKEN: z.string().min(16, { message: 'GLEANER_ADMIN_TOKEN must be at least 16 characters' }),
  GLEANER_BLOB_DIR: z.string().min(1),
  /** Where dataset snapshots are published; default `snapshots` beside the blob folder (shared by worker and coordinator). */
  GLEANER_SNAPSHOT_DIR: z.string().min(1).optional(),
  GLEANER_HOST: z.string().default('127.0.0.1'),
  GLEANER_PORT: z.coerce.number().int().min(0).max(65535).default(7300),
  GLEANER_QUEUE_PREFIX: z.string().min(1).default('gleaner'),
  GLEANER_JOB_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000),
  GLEANER_JOB_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(5 * 1024 * 1024),
  GLEANER_JOB_MAX_REDIRECTS: z.coerce.number().int().min(0).max(10).default(5),
  GLEANER_LEASE_LOCK_MS: z.coerce.number().int().min(2000).default(30_000),
  GLEANER_NODE_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000),
  /** Time a node that has not proven itself (3 answered jobs) gets to answer a job, ms; docs/trust.md §6. */
  GLEANER_PROBATION_DEADLINE_MS: z.coerce.number().int().min(1000).default(15_000),
  GLEANER_RETRY_DELAY_SCALE: z.coerce.number().min(0.01).max(100).default(1),
  GLEANER_MAX_SESSIONS_PER_OWNER: z.coerce.number().int().min(1).default(16),
  /** The most nodes one owner may register; registration answers 409 past it (docs/trust.md). */
  GLEANER_MAX_NODES_PER_OWNER: z.coerce.number().int().min(1).default(DEFAULT_MAX_NODES_PER_OWNER),
  /** Who may create contributor accounts: `admin-only`, `invite` (with an admin's invite code) or `open`. */
  GLEANER_ACCOUNT_POLICY: z
    .enum(['admin-only', 'invite', 'open'], {
      message: 'GLEANER_ACCOUNT_POLICY must be admin-only, invite or open',
    })
    .default('admin-only'),
  /** Seconds a pairing code waits for its owner (docs/pairing.md). */
  GLEANER_PAIRING_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  /** Seconds a pairing node waits between polls. */
  GLEANER_PAIRING_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(60).default(5),
  /** Wrong pairing or invite codes one address may send in 10 minutes before it gets 429. */
  GLEANER_PAIRING_MAX_WRONG_CODES: z.coerce.number().int().min(1).default(10),
  GLEANER_MAX_SESSIONS_PER_NETWORK: z.coerce.number().int().min(1).default(16),
  /** Failed node logins one address may make in 10 minutes before its connections get 429 (docs/deploy.md). */
  GLEANER_GATEWAY_MAX_FAILED_LOGINS: z.coerce.number().int().min(1).default(20),
  /** Gateway connections one address may hold open before authenticating. */
  GLEANER_GATEWAY_MAX_PENDING_PER_ADDRESS: z.coerce.number().int().min(1).default(8),
  /** New gateway connections one address may open per minute. */
  GLEANER_GATEWAY_CONNECTS_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  /** Comma-separated addresses of reverse proxies whose X-Forwarded-For the gateway believes. */
  GLEANER_TRUSTED_PROXIES: commaList().refine((list) => list.every((entry) => isIP(entry) !== 0), {
    message: 'GLEANER_TRUSTED_PROXIES must list IP addresses, separated by commas',
  }),
  /** Comma-separated canary page URLs the operator serves (see docs/trust.md); none by default. */
  GLEANER_CANARY_URLS: commaList().refine((list) => list.every((entry) => /^https?:\/\//.test(entry)), {
    message: 'GLEANER_CANARY_URLS must list http(s) URLs, separated by commas',
  }),
  /** The secret behind the canary pages' rotating content. */
  GLEANER_CANARY_SECRET: z.string().default(''),
  /** The coordinator's Ed25519 signing key, PKCS#8 PEM text (served public half: `GET /v1/signing-key`). */
  GLEANER_SIGNING_KEY: z.string().min(1).optional(),
  /** A file holding that key instead (not both). */
  GLEANER_SIGNING_KEY_FILE: z.string().min(1).optional(),
  /** `true` lets webhook pings reach loopback and private networks (receivers on the operator's own network). */
  GLEANER_WEBHOOK_ALLOW_PRIVATE_NETWORK: z
    .enum(['true', 'false'], { message: 'GLEANER_WEBHOOK_ALLOW_PRIVATE_NETWORK must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  /**
   * `true` lets the verification of site owners' removal requests reach loopback and private networks (tests and
   * demos against local sites).
   */
  GLEANER_REMOVAL_ALLOW_PRIVATE_NETWORK: z
    .enum(['true', 'false'], { message: 'GLEANER_REMOVAL_ALLOW_PRIVATE_NETWORK must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  /** A token that may read /metrics besides the admin token (for a Prometheus scraper); none by default. */
  GLEANER_METRICS_TOKEN: z
    .string()
    .min(16, { message: 'GLEANER_METRICS_TOKEN must be at least 16 characters' })
    .optional(),
  GLEANER_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

/** The coordinator's settings, read once from the environment, with the signing key loaded (undefined without one). */
export type CoordinatorConfig = z.infer<typeof CoordinatorEnv> & { signingKey: SigningKey | undefined };

/** Reads and validates the coordinator's environment (the only place it reads `process.env`). */
export function loadCoordinatorConfig(
  env: Record<string, string | undefined> = process.env,
): CoordinatorConfig {
  return parseEnv(
    CoordinatorEnv.refine((c) => c.GLEANER_CANARY_URLS.length === 0 || c.GLEANER_CANARY_SECRET.length >= 16, {
      message: 'GLEANER_CANARY_SECRET (16 characters or more) must be set with GLEANER_CANARY_URLS',
      path: ['GLEANER_CANARY_SECRET'],
    }).transform((c, ctx) => {
      try {
        return {
          ...c,
          signingKey: loadSigningKey({ pem: c.GLEANER_SIGNING_KEY, file: c.GLEANER_SIGNING_KEY_FILE }),
        };
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message, path: ['GLEANER_SIGNING_KEY'] });
        return z.NEVER;
      }
    }),
    env,
  );
}
