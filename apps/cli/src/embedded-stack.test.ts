import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@gleaner/db';
import { openRedis } from '@gleaner/queue';
import { startStack, type Stack } from './embedded-stack.js';

/** `url` with its password replaced (removed when `password` is empty). */
function withPassword(url: string, password: string): string {
  const parsed = new URL(url);
  parsed.password = password;
  return parsed.toString();
}

describe('the embedded stack on one machine', () => {
  let dataDir: string;
  let stack: Stack;
  const said: string[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'gleaner-stack-'));
    await chmod(dataDir, 0o755);
    const env: Record<string, string> = { GLEANER_LOG_LEVEL: 'warn' };
    stack = await startStack({ dataDir, port: 0, env, say: (line) => said.push(line) });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('hands the coordinator and worker URLs that carry the services’ passwords, and prints none of them', async () => {
    const dbPassword = new URL(stack.databaseUrl).password;
    const redisPassword = new URL(stack.redisUrl).password;
    expect(dbPassword.length).toBeGreaterThanOrEqual(32);
    expect(redisPassword.length).toBeGreaterThanOrEqual(32);
    for (const line of said) {
      expect(line).not.toContain(dbPassword);
      expect(line).not.toContain(redisPassword);
    }
    // An admin call reads the database through the coordinator, which connected with the password.
    const res = await fetch(`${stack.url}/v1/campaigns`, {
      headers: { authorization: `Bearer ${stack.adminToken}` },
    });
    expect(res.status).toBe(200);
  });

  it('refuses a database client with a wrong password or none', async () => {
    for (const password of ['postgres', '']) {
      const database = openDatabase({ url: withPassword(stack.databaseUrl, password), maxConnections: 1 });
      try {
        const error = await database.pool.query('select 1').then(
          () => undefined,
          (e: unknown) => e as { code?: string; message: string },
        );
        expect(error).toBeDefined();
        if (password) expect(error!.code).toBe('28P01');
      } finally {
        await database.close();
      }
    }
    const right = openDatabase({ url: stack.databaseUrl, maxConnections: 1 });
    try {
      expect((await right.pool.query<{ n: number }>('select 1 as n')).rows).toEqual([{ n: 1 }]);
    } finally {
      await right.close();
    }
  });

  it('refuses a Redis client without the password', async () => {
    const anonymous = openRedis(withPassword(stack.redisUrl, ''));
    try {
      await expect(anonymous.set('k', 'v')).rejects.toThrow(/NOAUTH/);
    } finally {
      anonymous.disconnect();
    }
  });

  it('keeps the data folder and the password files to this user', async () => {
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    for (const file of ['pglite/wire-password', 'redis/password', 'admin-token']) {
      expect((await stat(path.join(dataDir, file))).mode & 0o777).toBe(0o600);
    }
  });
});
