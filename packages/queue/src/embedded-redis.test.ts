import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createConnection } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisDataDirInUseError, startEmbeddedRedis, type EmbeddedRedis } from './embedded-redis.js';
import { openRedis } from './redis-connection.js';

describe('startEmbeddedRedis and its data folder', () => {
  let dataDir: string;
  const servers: EmbeddedRedis[] = [];

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'embedded-redis-'));
  });
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function start(): Promise<EmbeddedRedis> {
    const server = await startEmbeddedRedis({ dataDir });
    servers.push(server);
    return server;
  }

  it('refuses a folder that a live server holds, naming the folder and the server’s pid', async () => {
    const first = await start();
    const error = await start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RedisDataDirInUseError);
    expect((error as RedisDataDirInUseError).pid).toBe(first.process.pid);
    expect((error as Error).message).toContain(dataDir);
    expect((error as Error).message).toContain(String(first.process.pid));
    // The refused start left the first server and its lock alone.
    const redis = openRedis(first.url);
    try {
      expect(await redis.ping()).toBe('PONG');
    } finally {
      redis.disconnect();
    }
    await expect(start()).rejects.toBeInstanceOf(RedisDataDirInUseError);
  });

  it('takes the folder once the server stopped, and keeps its data', async () => {
    const first = await start();
    const redis = openRedis(first.url);
    await redis.set('kept', 'yes');
    redis.disconnect();
    await first.stop();
    const second = await start();
    const again = openRedis(second.url);
    try {
      expect(await again.get('kept')).toBe('yes');
    } finally {
      again.disconnect();
    }
  });

  it('takes over the stale lock of a server killed with SIGKILL', async () => {
    const first = await start();
    const exited = new Promise((resolve) => first.process.once('exit', resolve));
    first.process.kill('SIGKILL');
    await exited;
    const second = await start();
    expect(second.process.pid).not.toBe(first.process.pid);
    await second.stop();
    // Stopping the second server released its lock: a third start needs no takeover.
    await start();
  });

  it('asks for its generated password, kept 0600 in a 0700 folder and reused on restart, never in its argv', async () => {
    const first = await start();
    const password = new URL(first.url).password;
    expect(password).toMatch(/^[0-9a-f]{64}$/);
    const { port } = first;
    /** The server's last reply to `commands` sent on a fresh connection (inline commands, one a line). */
    const attempt = (...commands: string[]) =>
      new Promise<string>((resolve, reject) => {
        const socket = createConnection({ host: '127.0.0.1', port });
        let replies = '';
        socket.on('data', (data) => {
          replies += data.toString();
          const lines = replies.split('\r\n').filter(Boolean);
          if (lines.length >= commands.length) {
            socket.destroy();
            resolve(lines.at(-1)!);
          }
        });
        socket.on('error', reject);
        socket.write(commands.map((c) => `${c}\r\n`).join(''));
      });
    expect(await attempt('SET k v')).toMatch(/^-NOAUTH/);
    expect(await attempt('AUTH guess', 'SET k v')).toMatch(/^-NOAUTH/);
    expect(await attempt('AUTH guess')).toMatch(/^-WRONGPASS/);
    expect(await attempt(`AUTH ${password}`, 'SET k v')).toBe('+OK');
    const cmdline = await readFile(`/proc/${first.process.pid}/cmdline`, 'utf8');
    expect(cmdline).not.toContain(password);
    for (const file of ['password', 'redis-auth.conf']) {
      expect((await stat(path.join(dataDir, file))).mode & 0o777).toBe(0o600);
    }
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    await first.stop();
    const second = await start();
    expect(new URL(second.url).password).toBe(password);
  });
});
