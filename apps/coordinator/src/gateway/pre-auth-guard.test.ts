import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { PROTOCOL_VERSION } from '@gleaner/core';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@gleaner/db';
import { freePort, startEmbeddedRedis, type EmbeddedRedis } from '@gleaner/queue';
import { startServiceProcess, type ServiceProcess } from '@gleaner/supervisor';

const coordinatorEntry = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const MAX_FAILED_LOGINS = 5;

/** The coordinator's resident memory, bytes. */
async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)![1]) * 1024;
}

/** What became of one connection to the gateway from `localAddress`. */
type Outcome = { closed: number; reason: string } | { refused: number; retryAfter: string | undefined };

/** Connects from `localAddress`, waits for `hello`, sends `send(nonce)`, and reports how the connection ended. */
function connect(
  url: string,
  localAddress: string,
  send: (nonce: string) => Buffer | string,
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { localAddress });
    ws.on('unexpected-response', (_req, res) => {
      resolve({ refused: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] });
      res.resume();
    });
    ws.once('message', (data) => {
      const hello = JSON.parse(String(data)) as { nonce: string };
      ws.send(send(hello.nonce));
    });
    ws.on('close', (code, reason) => resolve({ closed: code, reason: reason.toString() }));
    ws.on('error', (error) => {
      if (!/429/.test(error.message)) reject(error);
    });
  });
}

const badAuth = () =>
  JSON.stringify({
    type: 'auth',
    protocol: PROTOCOL_VERSION,
    nodeId: 'nod_does_not_exist',
    signature: Buffer.alloc(64).toString('base64'),
    version: 'test',
    capabilities: { render: false, concurrency: 1 },
  });

describe('the node gateway before authentication, in a real coordinator', () => {
  let dir: string;
  let redis: EmbeddedRedis;
  let postgres: EmbeddedPostgres;
  let coordinator: ServiceProcess;
  let url: string;
  let base: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'pre-auth-'));
    redis = await startEmbeddedRedis({ dataDir: path.join(dir, 'redis') });
    postgres = await startEmbeddedPostgres({ dataDir: 'memory://' });
    const port = await freePort();
    coordinator = await startServiceProcess(
      'coordinator',
      coordinatorEntry,
      [],
      {
        ...process.env,
        DATABASE_URL: postgres.url,
        REDIS_URL: redis.url,
        GLEANER_ADMIN_TOKEN: 'pre-auth-test-admin-token',
        GLEANER_BLOB_DIR: path.join(dir, 'blobs'),
        GLEANER_PORT: String(port),
        GLEANER_QUEUE_PREFIX: `test-${port}`,
        GLEANER_GATEWAY_MAX_FAILED_LOGINS: String(MAX_FAILED_LOGINS),
        GLEANER_LOG_LEVEL: 'info',
      },
      path.join(dir, 'logs'),
    );
    base = String((await coordinator.waitForEvent('listening', 60_000)).url);
    url = `${base.replace('http', 'ws')}/v1/nodes/connect`;
  }, 90_000);
  afterAll(async () => {
    await coordinator?.stop();
    await postgres?.stop();
    await redis?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('closes a connection whose first frame is 1 MB, and its memory does not stay behind', async () => {
    const outcome = await connect(url, '127.0.0.2', () => Buffer.alloc(1024 * 1024, 1));
    expect(outcome).toEqual({ closed: 1009, reason: 'too much data before authentication' });

    const pid = coordinator.child.pid!;
    const before = await rssOf(pid);
    const frame = Buffer.alloc(50 * 1024 * 1024, 1);
    const outcomes = await Promise.all(
      ['127.0.0.10', '127.0.0.11', '127.0.0.12', '127.0.0.13', '127.0.0.14'].map((address) =>
        connect(url, address, () => frame),
      ),
    );
    for (const o of outcomes) expect(o).toMatchObject({ closed: 1009 });
    const after = await rssOf(pid);
    // Five 50 MB frames: 250 MB had they been buffered; well under one of them when cut off after 8 KiB.
    expect(after - before).toBeLessThan(32 * 1024 * 1024);
    const started = Date.now();
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(500);
    process.stdout.write(
      `coordinator RSS ${(before / 2 ** 20).toFixed(1)} MiB before five 50 MB pre-auth frames, ` +
        `${(after / 2 ** 20).toFixed(1)} MiB after\n`,
    );
  }, 60_000);

  it('lets one address hold only 8 connections that have not authenticated, and frees a slot when one closes', async () => {
    const open = await Promise.all(
      Array.from(
        { length: 8 },
        () =>
          new Promise<WebSocket>((resolve, reject) => {
            const ws = new WebSocket(url, { localAddress: '127.0.0.5' });
            ws.once('message', () => resolve(ws));
            ws.once('error', reject);
          }),
      ),
    );
    expect(await connect(url, '127.0.0.5', badAuth)).toMatchObject({ refused: 429 });
    // Another address is not held back.
    expect(await connect(url, '127.0.0.6', badAuth)).toMatchObject({ closed: 4001 });
    const closed = new Promise((resolve) => open[0]!.once('close', resolve));
    open[0]!.close();
    await closed;
    await expect
      .poll(async () => ((await connect(url, '127.0.0.5', badAuth)) as { closed?: number }).closed, {
        timeout: 5000,
      })
      .toBe(4001);
    for (const ws of open) ws.terminate();
  }, 30_000);

  it('refuses an address after its failed logins, lets others in, and logs one summary, not a line each', async () => {
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) {
      expect(await connect(url, '127.0.0.3', badAuth)).toEqual({
        closed: 4001,
        reason: 'unknown node or bad signature',
      });
    }
    for (let i = 0; i < 20; i++) {
      const outcome = await connect(url, '127.0.0.3', badAuth);
      expect(outcome).toMatchObject({ refused: 429 });
      expect(Number((outcome as { retryAfter: string }).retryAfter)).toBeGreaterThan(0);
    }
    // Another address is not held back by that one.
    expect(await connect(url, '127.0.0.4', badAuth)).toMatchObject({ closed: 4001 });

    await coordinator.stop();
    const lines = (await readFile(coordinator.logFile, 'utf8'))
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    // A summary a minute (the run may straddle one), never a line per attempt: 32 attempts, at most 2 lines.
    const summaries = lines.filter((l) => l.msg === 'node logins failed or refused since the last summary');
    expect(summaries.length).toBeGreaterThanOrEqual(1);
    expect(summaries.length).toBeLessThanOrEqual(2);
    expect(lines.filter((l) => /refused|bad signature/.test(String(l.msg)))).toEqual(summaries);
    const total = (field: string) => {
      const sum: Record<string, number> = {};
      for (const l of summaries) {
        for (const [k, v] of Object.entries(l[field] as Record<string, number>)) sum[k] = (sum[k] ?? 0) + v;
      }
      return sum;
    };
    expect(total('failedLogins')).toEqual({ 'too-much-data': 6, 'bad-signature': MAX_FAILED_LOGINS + 3 });
    const refused = total('refusedConnections');
    expect(Object.keys(refused).sort()).toEqual(['too-many-failures', 'too-many-pending']);
    expect(refused['too-many-failures']).toBe(20);
    // One, or two if the freed slot was tried a moment before the server saw the close.
    expect(refused['too-many-pending']).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(lines)).not.toContain('127.0.0.3');
  }, 60_000);
});
