import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';

/** The URL with another password in it. */
function withPassword(url: string, password: string | undefined): string {
  const u = new URL(url);
  u.password = password ?? '';
  return u.toString();
}

/** What connecting and running one query with `url` gives: 'ok' or the error's SQLSTATE (or message). */
async function tryConnect(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? (error as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
}

describe('embedded PGlite over the wire protocol', () => {
  let server: EmbeddedPostgres;
  beforeAll(async () => {
    server = await startEmbeddedPostgres({ dataDir: 'memory://' });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('lets in only clients that prove the password, with the PostgreSQL error for a wrong one', async () => {
    expect(new URL(server.url).password.length).toBeGreaterThanOrEqual(32);
    expect(await tryConnect(server.url)).toBe('ok');
    expect(await tryConnect(withPassword(server.url, 'postgres'))).toBe('28P01');
    expect(await tryConnect(withPassword(server.url, `${new URL(server.url).password}x`))).toBe('28P01');
    // Without a password pg cannot even start SCRAM: it refuses on its side, and the server let nothing through.
    expect(await tryConnect(withPassword(server.url, undefined))).not.toBe('ok');
    // The right password still works after the refusals.
    expect(await tryConnect(server.url)).toBe('ok');
  });

  it('closes a connection whose first message is larger than a few KiB, before authentication', async () => {
    const { hostname, port } = new URL(server.url);
    const socket = createConnection({ host: hostname, port: Number(port) });
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => {});
    const big = Buffer.alloc(1024 * 1024);
    big.writeInt32BE(big.length, 0);
    big.writeInt32BE(196608, 4);
    socket.write(big);
    await closed;
    expect(socket.destroyed).toBe(true);
  });

  it('serves parameterized queries from many pooled clients at once without mixing them up', async () => {
    const pools = [
      new pg.Pool({ connectionString: server.url, max: 6 }),
      new pg.Pool({ connectionString: server.url, max: 6 }),
    ];
    const results = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        pools[i % 2]!.query<{ a: number; b: string }>('select $1::int as a, $2::text as b', [i, `v${i}`]),
      ),
    );
    results.forEach((r, i) => expect(r.rows[0]).toEqual({ a: i, b: `v${i}` }));
    await Promise.all(pools.map((p) => p.end()));
  });

  it('keeps a transaction to its own client and lets others wait', async () => {
    const a = new pg.Client({ connectionString: server.url });
    const b = new pg.Client({ connectionString: server.url });
    await a.connect();
    await b.connect();
    await a.query('create table if not exists t (n int)');
    await a.query('begin');
    await a.query('insert into t values (1)');
    const other = b.query<{ n: string }>('select count(*) as n from t');
    await new Promise((r) => setTimeout(r, 50));
    await a.query('rollback');
    expect((await other).rows[0]!.n).toBe('0');
    await a.end();
    await b.end();
  });

  it('rolls back the transaction of a client that vanishes, and serves the others', async () => {
    const a = new pg.Client({ connectionString: server.url });
    a.on('error', () => {});
    await a.connect();
    await a.query('create table if not exists u (n int)');
    await a.query('begin');
    await a.query('insert into u values (1)');
    (a as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const b = new pg.Client({ connectionString: server.url });
    await b.connect();
    const result = await b.query<{ n: string }>('select count(*) as n from u');
    expect(result.rows[0]!.n).toBe('0');
    await b.end();
  });
});

describe('the embedded database on disk', () => {
  it('keeps its generated password in a 0600 file and a 0700 folder, and takes it again on restart', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'embedded-pg-'));
    const dataDir = path.join(dir, 'pglite');
    try {
      const first = await startEmbeddedPostgres({ dataDir });
      const password = new URL(first.url).password;
      await first.stop();
      const file = path.join(dataDir, 'wire-password');
      expect((await readFile(file, 'utf8')).trim()).toBe(password);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
      const second = await startEmbeddedPostgres({ dataDir });
      try {
        expect(new URL(second.url).password).toBe(password);
        expect(await tryConnect(second.url)).toBe('ok');
        expect(await tryConnect(withPassword(second.url, 'wrong'))).toBe('28P01');
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
