import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';

describe('embedded PGlite over the wire protocol', () => {
  let server: EmbeddedPostgres;
  beforeAll(async () => {
    server = await startEmbeddedPostgres({ dataDir: 'memory://' });
  });
  afterAll(async () => {
    await server.stop();
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
