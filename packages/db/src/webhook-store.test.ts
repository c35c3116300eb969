import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AccountStore } from './account-store.js';
import { openDatabase, type Database } from './database.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';
import { RecordStore } from './record-store.js';
import { recordWithdrawals, webhookDeliveries, webhookEndpoints, webhookEvents } from './schema.js';
import { WEBHOOK_RETRY_DELAYS_MS, webhookRetryDelayMs, WebhookStore } from './webhook-store.js';

const failure = { ok: false, status: 500, error: 'HTTP 500', responseMs: 12 };
const success = { ok: true, status: 204, error: null, responseMs: 7 };

describe('webhookRetryDelayMs', () => {
  it('waits 5 s, 30 s, 2 min, 10 min and 1 h, then gives up', () => {
    expect([1, 2, 3, 4, 5, 6].map(webhookRetryDelayMs)).toEqual([
      5_000,
      30_000,
      120_000,
      600_000,
      3_600_000,
      undefined,
    ]);
    expect(webhookRetryDelayMs(0)).toBeUndefined();
  });
});

describe('webhook store', () => {
  let postgres: EmbeddedPostgres;
  let database: Database;
  let webhooks: WebhookStore;
  beforeAll(async () => {
    postgres = await startEmbeddedPostgres({ dataDir: 'memory://' });
    database = openDatabase({ url: postgres.url, maxConnections: 4 });
    webhooks = new WebhookStore(database.db);
  });
  afterAll(async () => {
    await database.close();
    await postgres.stop();
  });
  beforeEach(async () => {
    // Each test starts with no endpoints and nothing to deliver.
    await database.db.delete(webhookDeliveries);
    await database.db.delete(webhookEvents);
    await database.db.delete(webhookEndpoints);
  });

  it('creates endpoints with a Standard Webhooks secret shown once, lists them without it, and deletes them', async () => {
    const { endpoint, secret } = await webhooks.createEndpoint({
      url: 'https://lab.example/hooks',
      events: ['snapshot.published', 'snapshot.published', 'records.withdrawn'],
      description: 'lab ingest',
    });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(endpoint).toMatchObject({
      url: 'https://lab.example/hooks',
      events: ['snapshot.published', 'records.withdrawn'],
      description: 'lab ingest',
      disabledAt: null,
    });
    expect(endpoint).not.toHaveProperty('secret');
    const listed = await webhooks.listEndpoints();
    expect(listed).toEqual([endpoint]);
    expect(listed[0]).not.toHaveProperty('secret');
    const other = await webhooks.createEndpoint({ url: 'http://b.example/', events: ['campaign.completed'] });
    expect(other.secret).not.toBe(secret);

    expect(await webhooks.disableEndpoint(endpoint.id)).toBe(true);
    expect(await webhooks.disableEndpoint(endpoint.id)).toBe(false);
    expect(await webhooks.disableEndpoint('whk_unknown')).toBe(false);
    expect((await webhooks.listEndpoints()).map((e) => e.id)).toEqual([other.endpoint.id]);
    expect((await webhooks.getEndpoint(endpoint.id))?.disabledAt).toBeInstanceOf(Date);
  });

  it('fans an event out to every endpoint subscribed to it and not deleted', async () => {
    const a = await webhooks.createEndpoint({ url: 'https://a.example/', events: ['snapshot.published'] });
    const b = await webhooks.createEndpoint({
      url: 'https://b.example/',
      events: ['campaign.completed', 'snapshot.published'],
    });
    await webhooks.createEndpoint({ url: 'https://c.example/', events: ['campaign.completed'] });
    const gone = await webhooks.createEndpoint({ url: 'https://d.example/', events: ['snapshot.published'] });
    await webhooks.disableEndpoint(gone.endpoint.id);

    const data = {
      datasetId: 'ds_1',
      snapshotId: 'snp_1',
      records: 10,
      bytes: 2048,
      merkleRoot: 'ab'.repeat(32),
      manifestSha256: 'cd'.repeat(32),
    };
    const { eventId, endpoints } = await webhooks.publish('snapshot.published', data);
    expect(endpoints).toBe(2);
    expect(eventId).toMatch(/^msg_/);
    const deliveries = await webhooks.deliveriesOfEvent(eventId);
    expect(deliveries.map((d) => d.endpointId).sort()).toEqual([a.endpoint.id, b.endpoint.id].sort());
    expect(deliveries.every((d) => d.state === 'pending')).toBe(true);

    const claimed = await webhooks.claimDue({ now: new Date(Date.now() + 1000) });
    expect(claimed).toHaveLength(2);
    expect(claimed[0]).toMatchObject({ eventId, eventType: 'snapshot.published', data, attempt: 1 });
    expect(claimed.map((c) => c.secret).sort()).toEqual([a.secret, b.secret].sort());

    // No endpoint listens: the event is kept, nothing is delivered.
    expect(
      (await webhooks.publish('records.withdrawn', { datasetId: 'ds_1', recordIds: [], reason: 'x' }))
        .endpoints,
    ).toBe(0);
  });

  it("writes an event in the caller's transaction: it commits or rolls back with what it announces", async () => {
    await webhooks.createEndpoint({ url: 'https://a.example/', events: ['campaign.completed'] });
    const data = { campaignId: 'cmp_1', datasetId: 'ds_1', round: 0, status: 'completed' as const };
    let rolledBack = '';
    await expect(
      database.db.transaction(async (tx) => {
        rolledBack = (await webhooks.publish('campaign.completed', data, tx)).eventId;
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await database.db.select().from(webhookEvents).where(eq(webhookEvents.id, rolledBack))).toEqual(
      [],
    );
    expect(await webhooks.deliveriesOfEvent(rolledBack)).toEqual([]);

    const committed = await database.db.transaction(
      async (tx) => (await webhooks.publish('campaign.completed', data, tx)).eventId,
    );
    expect(await webhooks.deliveriesOfEvent(committed)).toHaveLength(1);
  });

  it('retries with back-off after failures, then fails the delivery for good', async () => {
    const { endpoint } = await webhooks.createEndpoint({
      url: 'https://a.example/',
      events: ['campaign.completed'],
    });
    await webhooks.publish('campaign.completed', {
      campaignId: 'c',
      datasetId: 'd',
      round: 1,
      status: 'running',
    });
    let now = new Date(Date.now() + 1000);
    for (let attempt = 1; attempt <= WEBHOOK_RETRY_DELAYS_MS.length + 1; attempt++) {
      const [claimed, ...more] = await webhooks.claimDue({ now, leaseMs: 60_000 });
      expect(more).toEqual([]);
      expect(claimed?.attempt).toBe(attempt);
      // While the attempt runs, nobody else claims it.
      expect(await webhooks.claimDue({ now })).toEqual([]);
      const state = await webhooks.recordOutcome(claimed!, failure, { now });
      const delay = WEBHOOK_RETRY_DELAYS_MS[attempt - 1];
      if (delay === undefined) {
        expect(state).toBe('failed');
        break;
      }
      expect(state).toBe('pending');
      expect(await webhooks.claimDue({ now: new Date(now.getTime() + delay - 1) })).toEqual([]);
      now = new Date(now.getTime() + delay);
    }
    expect(await webhooks.claimDue({ now: new Date(now.getTime() + 86_400_000) })).toEqual([]);
    const { deliveries } = await webhooks.deliveries(endpoint.id);
    expect(deliveries).toEqual([
      expect.objectContaining({
        state: 'failed',
        attempts: 6,
        lastStatus: 500,
        lastError: 'HTTP 500',
        lastResponseMs: 12,
      }),
    ]);
  });

  it('takes a delivery back when its claim lapses, and ignores the outcome of the lapsed attempt', async () => {
    await webhooks.createEndpoint({ url: 'https://a.example/', events: ['campaign.completed'] });
    const { eventId } = await webhooks.publish('campaign.completed', {
      campaignId: 'c',
      datasetId: 'd',
      round: 0,
      status: 'completed',
    });
    const now = new Date(Date.now() + 1000);
    const [first] = await webhooks.claimDue({ now, leaseMs: 10_000 });
    const [second] = await webhooks.claimDue({ now: new Date(now.getTime() + 10_000), leaseMs: 10_000 });
    expect(second).toMatchObject({ id: first!.id, attempt: 2 });
    expect(await webhooks.recordOutcome(first!, success, { now })).toBeUndefined();
    expect(await webhooks.recordOutcome(second!, success, { now })).toBe('delivered');
    expect(await webhooks.recordOutcome(second!, failure, { now })).toBeUndefined();
    expect(await webhooks.deliveriesOfEvent(eventId)).toEqual([
      expect.objectContaining({ state: 'delivered' }),
    ]);
  });

  it('lets two workers claim at once without handing out a delivery twice', async () => {
    await webhooks.createEndpoint({ url: 'https://a.example/', events: ['campaign.completed'] });
    await webhooks.createEndpoint({ url: 'https://b.example/', events: ['campaign.completed'] });
    for (let round = 0; round < 15; round++)
      await webhooks.publish('campaign.completed', {
        campaignId: 'c',
        datasetId: 'd',
        round,
        status: 'running',
      });
    const other = openDatabase({ url: postgres.url, maxConnections: 2 });
    try {
      const second = new WebhookStore(other.db);
      const now = new Date(Date.now() + 1000);
      const claims = await Promise.all([
        webhooks.claimDue({ now, limit: 10 }),
        second.claimDue({ now, limit: 10 }),
        webhooks.claimDue({ now, limit: 10 }),
        second.claimDue({ now, limit: 10 }),
      ]);
      const ids = claims.flat().map((c) => c.id);
      expect(ids).toHaveLength(30);
      expect(new Set(ids).size).toBe(30);
    } finally {
      await other.close();
    }
  });

  it('deletes an endpoint: its pending deliveries fail and are never claimed, its log stays', async () => {
    const { endpoint } = await webhooks.createEndpoint({
      url: 'https://a.example/',
      events: ['campaign.completed'],
    });
    await webhooks.publish('campaign.completed', {
      campaignId: 'c',
      datasetId: 'd',
      round: 0,
      status: 'completed',
    });
    await webhooks.disableEndpoint(endpoint.id);
    expect(await webhooks.claimDue({ now: new Date(Date.now() + 1000) })).toEqual([]);
    const { deliveries } = await webhooks.deliveries(endpoint.id);
    expect(deliveries).toEqual([expect.objectContaining({ state: 'failed', lastError: 'endpoint deleted' })]);
    expect(await webhooks.createPing(endpoint.id)).toBeUndefined();
  });

  it('pages through the delivery log newest first, pings included', async () => {
    const { endpoint } = await webhooks.createEndpoint({
      url: 'https://a.example/',
      events: ['campaign.completed'],
    });
    const eventIds: string[] = [];
    for (let round = 0; round < 5; round++) {
      const { eventId } = await webhooks.publish('campaign.completed', {
        campaignId: 'c',
        datasetId: 'd',
        round,
        status: 'running',
      });
      eventIds.push(eventId);
    }
    const ping = await webhooks.createPing(endpoint.id);
    expect(ping).toMatchObject({ endpointId: endpoint.id, eventType: 'webhook.ping', attempt: 1 });
    expect(ping!.data).toEqual({ endpointId: endpoint.id });
    // A ping is already claimed: no worker sends it again.
    expect(
      (await webhooks.claimDue({ now: new Date(Date.now() + 1000) })).map((c) => c.eventType),
    ).not.toContain('webhook.ping');
    expect(await webhooks.recordOutcome(ping!, failure, { retry: false })).toBe('failed');

    const first = await webhooks.deliveries(endpoint.id, { limit: 4 });
    expect(first.deliveries.map((d) => d.eventType)).toEqual([
      'webhook.ping',
      'campaign.completed',
      'campaign.completed',
      'campaign.completed',
    ]);
    expect(first.deliveries.slice(1).map((d) => d.eventId)).toEqual(eventIds.slice(2).reverse());
    expect(first.nextBefore).toBe(first.deliveries[3]!.id);
    const second = await webhooks.deliveries(endpoint.id, { limit: 4, before: first.nextBefore! });
    expect(second.deliveries.map((d) => d.eventId)).toEqual(eventIds.slice(0, 2).reverse());
    expect(second.nextBefore).toBeNull();
    expect((await webhooks.deliveries('whk_unknown')).deliveries).toEqual([]);
  });

  it('prunes delivered and failed deliveries and their events once old, and keeps what is pending', async () => {
    const { endpoint } = await webhooks.createEndpoint({
      url: 'https://a.example/',
      events: ['campaign.completed'],
    });
    const publish = async (round: number) =>
      (
        await webhooks.publish('campaign.completed', {
          campaignId: 'c',
          datasetId: 'd',
          round,
          status: 'running',
        })
      ).eventId;
    const [delivered, failed, pending, recent] = [
      await publish(0),
      await publish(1),
      await publish(2),
      await publish(3),
    ];
    const now = new Date(Date.now() + 1000);
    for (const claimed of await webhooks.claimDue({ now })) {
      if (claimed.eventId === delivered || claimed.eventId === recent)
        await webhooks.recordOutcome(claimed, success, { now });
      if (claimed.eventId === failed) await webhooks.recordOutcome(claimed, failure, { now, retry: false });
    }
    const old = new Date(Date.now() - 40 * 86_400_000);
    for (const eventId of [delivered, failed, pending]) {
      await database.db
        .update(webhookDeliveries)
        .set({ createdAt: old })
        .where(eq(webhookDeliveries.eventId, eventId));
      await database.db.update(webhookEvents).set({ createdAt: old }).where(eq(webhookEvents.id, eventId));
    }

    expect(await webhooks.prune(new Date(Date.now() - 30 * 86_400_000))).toBe(2);
    const left = (await webhooks.deliveries(endpoint.id)).deliveries.map((d) => d.eventId);
    expect(left.sort()).toEqual([pending, recent].sort());
    const events = (await database.db.select({ id: webhookEvents.id }).from(webhookEvents)).map((e) => e.id);
    expect(events.sort()).toEqual([pending, recent].sort());
  });

  describe('withdrawals', () => {
    let records: RecordStore;
    let node: { ownerId: string; nodeId: string };
    let urlId = 1;
    beforeAll(async () => {
      records = new RecordStore(database.db);
      const accounts = new AccountStore(database.db);
      const { owner } = await accounts.createOwner('ada');
      node = { ownerId: owner.id, nodeId: (await accounts.createNode(owner.id, 'pem', 'a1')).id };
    });

    async function accept(datasetId: string): Promise<string> {
      const text = `page ${randomUUID()}`;
      const url = `https://example.com/${urlId++}`;
      const outcome = await records.accept({
        datasetId,
        campaignId: 'cmp_a',
        urlId,
        url,
        finalUrl: url,
        host: 'example.com',
        status: 200,
        contentType: 'text/html',
        fetchedAt: new Date(),
        ...node,
        bodySha256: 'a'.repeat(64),
        blobKey: 'raw/a',
        title: null,
        text,
        markdown: text,
        language: 'en',
        textHash: randomUUID(),
        metadata: null,
      });
      if (outcome.kind !== 'accepted') throw new Error(`record not accepted: ${outcome.kind}`);
      return outcome.recordId;
    }

    /** The `records.withdrawn` events written so far, as `data`. */
    async function withdrawnEvents() {
      const rows = await database.db
        .select({ data: webhookEvents.data })
        .from(webhookEvents)
        .where(eq(webhookEvents.type, 'records.withdrawn'))
        .orderBy(webhookEvents.createdAt, sql`data->>'datasetId'`);
      return rows.map((row) => row.data as { datasetId: string; recordIds: string[]; reason: string });
    }

    it('announces first withdrawals once per dataset, in the withdrawal transaction', async () => {
      await webhooks.createEndpoint({ url: 'https://a.example/', events: ['records.withdrawn'] });
      const a = [await accept('ds_wa'), await accept('ds_wa')];
      const b = [await accept('ds_wb')];
      const announce = webhooks.publishWithdrawals.bind(webhooks);

      const tombstones = await records.withdrawRecords(
        [...a, ...b, 'rec_unknown'],
        'node banned: fabrication',
        announce,
      );
      expect(tombstones).toHaveLength(3);
      const events = await withdrawnEvents();
      expect(events).toHaveLength(2);
      expect(events.find((e) => e.datasetId === 'ds_wa')).toEqual({
        datasetId: 'ds_wa',
        recordIds: expect.arrayContaining(a) as string[],
        reason: 'node banned: fabrication',
      });
      expect(events.find((e) => e.datasetId === 'ds_wa')!.recordIds).toHaveLength(2);
      expect(events.find((e) => e.datasetId === 'ds_wb')!.recordIds).toEqual(b);
      expect(await webhooks.claimDue({ now: new Date(Date.now() + 1000) })).toHaveLength(2);

      // Withdrawn before: no second announcement.
      await records.withdrawRecords([a[0]!], 'takedown', announce);
      expect(await withdrawnEvents()).toHaveLength(2);

      // When the announcement cannot be written, the withdrawal does not happen either.
      const c = await accept('ds_wa');
      await expect(
        records.withdrawRecords([c], 'takedown', async () => {
          throw new Error('event store down');
        }),
      ).rejects.toThrow('event store down');
      expect(
        await database.db.select().from(recordWithdrawals).where(eq(recordWithdrawals.recordId, c)),
      ).toEqual([]);
    });

    it('splits a large withdrawal into events of at most 1,000 ids', async () => {
      await webhooks.createEndpoint({ url: 'https://a.example/', events: ['records.withdrawn'] });
      const tombstones = Array.from({ length: 2_001 }, (_, i) => ({
        recordId: `rec_${i}`,
        datasetId: 'ds_big',
        reason: 'node banned: x',
        withdrawnAt: new Date(),
      }));
      expect(await webhooks.publishWithdrawals(tombstones)).toBe(3);
      const sizes = (await withdrawnEvents())
        .filter((e) => e.datasetId === 'ds_big')
        .map((e) => e.recordIds.length);
      expect(sizes.sort((x, y) => y - x)).toEqual([1000, 1000, 1]);
    });
  });
});
