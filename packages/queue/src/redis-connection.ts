import { Redis } from 'ioredis';

/** Opens an ioredis connection suitable for BullMQ (no per-request retry limit, so blocking calls wait). */
export function openRedis(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false });
  redis.on('error', () => {
    // Reconnection is automatic; callers see failures on their own commands.
  });
  return redis;
}

export type { Redis };
