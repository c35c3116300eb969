import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiKeyLimiter, type KeyLimits } from './api-key-limiter.js';
import { startEmbeddedRedis, type EmbeddedRedis } from './embedded-redis.js';
import { openRedis } from './redis-connection.js';

let server: EmbeddedRedis;
let dataDir: string;
let handles: Redis[] = [];
let prefix: string;

function connect(): Redis {
  const redis = openRedis(server.url);
  handles.push(redis);
  return redis;
}

const unlimited = (id: string): KeyLimits => ({
  id,
  requestsPerMinute: null,
  recordsPerDay: null,
  bytesPerDay: null,
});

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'api-key-limiter-'));
  server = await startEmbeddedRedis({ dataDir });
});

afterAll(async () => {
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  prefix = `test-${randomUUID()}`;
});

afterEach(async () => {
  await Promise.all(handles.map((h) => h.quit()));
  handles = [];
});

describe('ApiKeyLimiter', () => {
  it('limits the request rate over limiters on separate connections', async () => {
    const key = { ...unlimited('key_a'), requestsPerMinute: 3 };
    const one = new ApiKeyLimiter(connect(), { prefix });
    const two = new ApiKeyLimiter(connect(), { prefix });
    const answers = [await one.admit(key), await two.admit(key), await one.admit(key), await two.admit(key)];
    expect(answers.slice(0, 3).every((a) => a.allowed)).toBe(true);
    const refused = answers[3]!;
    expect(refused.allowed).toBe(false);
    if (refused.allowed) return;
    expect(refused.limit).toBe('requestsPerMinute');
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('refuses a key whose records or bytes of the day are used up, until the next UTC midnight', async () => {
    const now = Date.UTC(2026, 0, 10, 18, 0, 0);
    const limiter = new ApiKeyLimiter(connect(), { prefix, now: () => now });
    const byRecords = { ...unlimited('key_r'), recordsPerDay: 10 };
    expect(await limiter.admit(byRecords)).toEqual({ allowed: true, recordsLeft: 10 });
    await limiter.record('key_r', { records: 7, bytes: 100 });
    expect(await limiter.admit(byRecords)).toEqual({ allowed: true, recordsLeft: 3 });
    await limiter.record('key_r', { records: 3, bytes: 100 });
    expect(await limiter.admit(byRecords)).toEqual({
      allowed: false,
      limit: 'recordsPerDay',
      retryAfterMs: 6 * 3_600_000,
    });

    const byBytes = { ...unlimited('key_b'), bytesPerDay: 500 };
    await limiter.record('key_b', { records: 1, bytes: 500 });
    const refused = await limiter.admit(byBytes);
    expect(refused).toMatchObject({ allowed: false, limit: 'bytesPerDay' });
  });

  it('meters usage per UTC day, today first', async () => {
    let now = Date.UTC(2026, 0, 10, 23, 59, 0);
    const limiter = new ApiKeyLimiter(connect(), { prefix, now: () => now });
    const key = unlimited('key_u');
    await limiter.admit(key);
    await limiter.record('key_u', { records: 5, bytes: 1234 });
    now += 120_000;
    await limiter.admit(key);
    await limiter.admit(key);
    await limiter.record('key_u', { records: 2, bytes: 10 });
    expect(await limiter.usage('key_u', 3)).toEqual([
      { day: '2026-01-11', requests: 2, records: 2, bytes: 10 },
      { day: '2026-01-10', requests: 1, records: 5, bytes: 1234 },
      { day: '2026-01-09', requests: 0, records: 0, bytes: 0 },
    ]);
  });

  it('says to write lastUsedAt once per interval over every limiter', async () => {
    const one = new ApiKeyLimiter(connect(), { prefix, touchIntervalMs: 200 });
    const two = new ApiKeyLimiter(connect(), { prefix, touchIntervalMs: 200 });
    expect(await one.shouldTouch('key_t')).toBe(true);
    expect(await two.shouldTouch('key_t')).toBe(false);
    expect(await one.shouldTouch('key_other')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await two.shouldTouch('key_t')).toBe(true);
  });
});
