import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './database.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';
import { type UrlState } from './schema.js';
import { isUrlTransition, URL_TRANSITIONS, urlStatesBefore, UrlStore } from './url-store.js';

describe('URL_TRANSITIONS', () => {
  it('keeps skipped and cancelled URLs final and finished ones out of the fetch path', () => {
    expect(URL_TRANSITIONS.skipped).toEqual([]);
    expect(URL_TRANSITIONS.cancelled).toEqual([]);
    expect(isUrlTransition('cancelled', 'queued')).toBe(false);
    expect(isUrlTransition('done', 'fetched')).toBe(false);
    expect(isUrlTransition('failed', 'done')).toBe(false);
    expect(isUrlTransition('fetched', 'fetched')).toBe(false);
    expect(isUrlTransition('queued', 'fetched')).toBe(true);
    expect(isUrlTransition('done', 'queued')).toBe(true);
  });

  it('finishes only unfinished URLs and queues only finished ones again in a round', () => {
    expect(urlStatesBefore('failed')).toEqual(['queued', 'leased', 'fetched']);
    expect(urlStatesBefore('done', 'duplicate')).toEqual(['queued', 'leased', 'fetched']);
    expect(urlStatesBefore('queued')).toEqual(['queued', 'leased', 'fetched', 'done', 'duplicate', 'failed']);
  });
});

describe('UrlStore, the one writer of urls.state', () => {
  let postgres: EmbeddedPostgres;
  let database: Database;
  let store: UrlStore;
  let campaign = 0;
  beforeAll(async () => {
    postgres = await startEmbeddedPostgres({ dataDir: 'memory://' });
    database = openDatabase({ url: postgres.url, maxConnections: 2 });
    store = new UrlStore(database.db);
  });
  afterAll(async () => {
    await database.close();
    await postgres.stop();
  });

  /** Admits `n` URLs to a fresh campaign; returns the campaign id and the rows' ids. */
  async function admit(n: number): Promise<{ campaignId: string; ids: number[] }> {
    const campaignId = `cmp_${++campaign}`;
    const rows = await store.admit(
      campaignId,
      Array.from({ length: n }, (_, i) => ({
        url: `https://example.com/${campaignId}/${i}`,
        urlHash: `${campaignId}-${i}`,
        host: 'example.com',
        depth: 0,
      })),
    );
    return { campaignId, ids: rows.map((r) => r.id).sort((a, b) => a - b) };
  }

  async function stateOf(id: number): Promise<UrlState | undefined> {
    return (await store.get(id))?.state;
  }

  it('refuses a move the table does not allow, and leaves the row as it was', async () => {
    const {
      ids: [id],
    } = await admit(1);
    expect(await store.markFetched(id!, 10)).toBe(true);
    expect(await store.markAccepted(id!, 'done')).toBe(true);
    const done = await store.get(id!);
    // done → fetched (a late second result) and done → failed (a late process failure) are not moves.
    expect(await store.markFetched(id!, 10)).toBe(false);
    expect(await store.markFailed(id!, 'TIMEOUT', 'late')).toBe(false);
    expect(await store.requeue(id!)).toBe(false);
    expect(await store.get(id!)).toEqual(done);
  });

  it('keeps a cancelled URL cancelled whatever comes after', async () => {
    const { campaignId, ids } = await admit(2);
    await store.markFetched(ids[1]!);
    expect(await store.cancelPending(campaignId)).toBe(2);
    expect(await store.markFetched(ids[0]!)).toBe(false);
    expect(await store.markAccepted(ids[1]!, 'duplicate')).toBe(false);
    expect(await store.requestRender(ids[1]!)).toBeUndefined();
    expect(await store.queueRound(campaignId, 1)).toBe(0);
    expect([await stateOf(ids[0]!), await stateOf(ids[1]!)]).toEqual(['cancelled', 'cancelled']);
  });

  it('stores the HTTP status of a failed fetch in its own column, and clears it with the next failure', async () => {
    const {
      ids: [id],
    } = await admit(1);
    await store.markFailed(id!, 'HTTP_ERROR', 'HTTP 503', { httpStatus: 503, attempts: 3 });
    expect(await store.get(id!)).toMatchObject({
      state: 'failed',
      errorCode: 'HTTP_ERROR',
      httpStatus: 503,
      attempts: 3,
    });
  });

  it('queues again in a round what the error table and the HTTP status call passing, nothing else', async () => {
    const { campaignId, ids } = await admit(9);
    const [done, duplicate, s503, s429, s404, timeout, blocked, robots, queued] = ids as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    await store.markAccepted(done, 'done');
    await store.markAccepted(duplicate, 'duplicate');
    await store.markFailed(s503, 'HTTP_ERROR', 'server error', { httpStatus: 503 });
    await store.markFailed(s429, 'HTTP_ERROR', 'slow down', { httpStatus: 429 });
    // The message says 503, the column 404: only the column counts.
    await store.markFailed(s404, 'HTTP_ERROR', 'HTTP 503', { httpStatus: 404 });
    await store.markFailed(timeout, 'TIMEOUT', 'took too long');
    await store.markFailed(blocked, 'BLOCKED_ADDRESS', 'private address');
    await store.markSkipped([robots], 'ROBOTS', 'disallowed by robots.txt');

    expect(await store.queueRound(campaignId, 1)).toBe(5);
    const rows = await store.list(campaignId);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const requeued = rows.filter((r) => r.round === 1).map((r) => r.id);
    expect(requeued.sort((a, b) => a - b)).toEqual([done, duplicate, s503, s429, timeout]);
    expect(byId.get(s503)).toMatchObject({ state: 'queued', httpStatus: null, errorCode: null });
    expect(byId.get(s404)).toMatchObject({ state: 'failed', httpStatus: 404 });
    expect(byId.get(blocked)?.state).toBe('failed');
    expect(byId.get(robots)).toMatchObject({ state: 'skipped', errorCode: 'ROBOTS' });
    expect(byId.get(queued)).toMatchObject({ state: 'queued', round: 0 });
  });

  it('moves a URL inside another store’s transaction, committed or rolled back with it', async () => {
    const {
      ids: [id],
    } = await admit(1);
    await store.markFetched(id!);
    await expect(
      database.db.transaction(async (tx) => {
        expect(await new UrlStore(tx).markAccepted(id!, 'done')).toBe(true);
        throw new Error('the record write failed');
      }),
    ).rejects.toThrow('the record write failed');
    expect(await stateOf(id!)).toBe('fetched');
  });
});

describe('the URL lifecycle has one writer', () => {
  it('no source file but url-store.ts updates the urls table', async () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const writers: string[] = [];
    for (const top of ['packages', 'apps']) {
      for (const entry of await readdir(join(root, top), { recursive: true, withFileTypes: true })) {
        const path = join(entry.parentPath, entry.name);
        if (!entry.isFile() || !/\.tsx?$/.test(entry.name) || /\.test\.tsx?$/.test(entry.name)) continue;
        if (/[/\\](node_modules|dist)[/\\]/.test(path)) continue;
        const text = await readFile(path, 'utf8');
        if (/\.update\(urls\)|update\s+"?urls"?\s+set/i.test(text)) writers.push(path.slice(root.length));
      }
    }
    expect(writers).toEqual([join('packages', 'db', 'src', 'url-store.ts')]);
  });
});
