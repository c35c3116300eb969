import { randomUUID } from 'node:crypto';
import {
  AccountStore,
  openDatabase,
  PointsStore,
  RecordStore,
  startEmbeddedPostgres,
  TrustStore,
  WebhookStore,
  webhookEvents,
  type Database,
  type EmbeddedPostgres,
} from '@gleaner/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PointsSettler } from './points-settler.js';

describe('points settler: a ban announces its withdrawals', () => {
  let postgres: EmbeddedPostgres;
  let database: Database;
  let urlId = 1;

  beforeAll(async () => {
    postgres = await startEmbeddedPostgres({ dataDir: 'memory://' });
    database = openDatabase({ url: postgres.url, maxConnections: 4 });
  });
  afterAll(async () => {
    await database.close();
    await postgres.stop();
  });

  it('writes one records.withdrawn event per dataset, and none when the ban is carried out again', async () => {
    const { db } = database;
    const records = new RecordStore(db);
    const webhooks = new WebhookStore(db);
    const accounts = new AccountStore(db);
    const settler = new PointsSettler({
      trust: new TrustStore(db),
      points: new PointsStore(db),
      records,
      webhooks,
      settle: { holdMs: 0 },
      epochMs: 60_000,
      voteExpiryMs: 3_600_000,
    });
    const { endpoint } = await webhooks.createEndpoint({
      url: 'https://lab.example/',
      events: ['records.withdrawn'],
    });
    const { owner } = await accounts.createOwner('mallory');
    const nodeId = (await accounts.createNode(owner.id, 'pem', 'm1')).id;
    const accept = async (datasetId: string) => {
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
        nodeId,
        ownerId: owner.id,
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
    };
    const inA = [await accept('ds_a'), await accept('ds_a')];
    const inB = [await accept('ds_b')];

    expect(await settler.ban(nodeId, 'fabrication')).toMatchObject({ withdrawn: 3 });
    const events = async () =>
      (
        await db
          .select({ data: webhookEvents.data })
          .from(webhookEvents)
          .where(eq(webhookEvents.type, 'records.withdrawn'))
      ).map((row) => row.data as { datasetId: string; recordIds: string[]; reason: string });
    const written = await events();
    expect(written.map((e) => e.datasetId).sort()).toEqual(['ds_a', 'ds_b']);
    expect(written.find((e) => e.datasetId === 'ds_a')).toEqual({
      datasetId: 'ds_a',
      recordIds: expect.arrayContaining(inA) as string[],
      reason: 'node banned: fabrication',
    });
    expect(written.find((e) => e.datasetId === 'ds_b')?.recordIds).toEqual(inB);
    expect((await webhooks.deliveries(endpoint.id)).deliveries).toHaveLength(2);

    await settler.ban(nodeId, 'fabrication');
    expect(await events()).toHaveLength(2);
  });
});
