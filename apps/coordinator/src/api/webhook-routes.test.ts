import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  parseCampaignSpec,
  type CreatedWebhookEndpoint,
  type WebhookDeliveryPage,
  type WebhookEndpointList,
  type WebhookPingResult,
} from '@gleaner/contracts';
import { records, webhookEvents } from '@gleaner/db';
import { eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './api-test-harness.js';

/** What the loopback receiver got: the verified payload, or why verification failed. */
interface Received {
  headers: Record<string, string>;
  payload: unknown;
  error?: string;
}

describe('webhook routes', () => {
  let h: ApiHarness;
  let server: Server;
  let base: string;
  /** The secret the receiver verifies with, and the status it answers. */
  const receiver = { secret: '', status: 200, received: [] as Received[] };
  const admin = (method: string, path: string, body?: unknown) =>
    h.call(method, path, { token: h.adminToken, ...(body === undefined ? {} : { body }) });
  const create = async (body: unknown) => {
    const res = await admin('POST', '/v1/webhooks', body);
    expect(res.status).toBe(201);
    return (await res.json()) as CreatedWebhookEndpoint;
  };

  beforeAll(async () => {
    h = await startApiHarness();
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        const body = Buffer.concat(chunks).toString('utf8');
        try {
          receiver.received.push({ headers, payload: new Webhook(receiver.secret).verify(body, headers) });
        } catch (error) {
          receiver.received.push({ headers, payload: undefined, error: (error as Error).message });
        }
        res.writeHead(receiver.status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await h.close();
  });

  it('is for admins only', async () => {
    for (const [method, path] of [
      ['POST', '/v1/webhooks'],
      ['GET', '/v1/webhooks'],
      ['DELETE', '/v1/webhooks/whk_x'],
      ['GET', '/v1/webhooks/whk_x/deliveries'],
      ['POST', '/v1/webhooks/whk_x/ping'],
    ] as const) {
      expect((await h.call(method, path)).status).toBe(401);
      expect((await h.call(method, path, { token: 'not-the-admin-token' })).status).toBe(401);
    }
  });

  it('refuses URLs that are not absolute http(s), and unknown events, with clear 400s', async () => {
    const cases: [unknown, RegExp][] = [
      [{ url: 'ftp://lab.example/hooks', events: ['snapshot.published'] }, /must use http or https/],
      [{ url: 'lab.example/hooks', events: ['snapshot.published'] }, /must be an absolute URL/],
      [{ url: 'https://user:pw@lab.example/', events: ['snapshot.published'] }, /user name or password/],
      [{ url: `https://lab.example/${'a'.repeat(2100)}`, events: ['snapshot.published'] }, /url/],
      [{ url: 'https://lab.example/', events: ['snapshot.deleted'] }, /events/],
      [{ url: 'https://lab.example/', events: [] }, /events/],
      [{ events: ['snapshot.published'] }, /url/],
    ];
    for (const [body, message] of cases) {
      const res = await admin('POST', '/v1/webhooks', body);
      expect(res.status).toBe(400);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.message).toMatch(message);
    }
  });

  it('registers an endpoint, shows its secret once, lists and deletes it', async () => {
    const created = await create({
      url: 'https://lab.example/hooks',
      events: ['snapshot.published', 'records.withdrawn'],
      description: 'ingest',
    });
    expect(created).toMatchObject({
      id: expect.stringMatching(/^whk_/) as string,
      url: 'https://lab.example/hooks',
      events: ['snapshot.published', 'records.withdrawn'],
      description: 'ingest',
      secret: expect.stringMatching(/^whsec_/) as string,
    });
    const listed = (await (await admin('GET', '/v1/webhooks')).json()) as WebhookEndpointList;
    const { secret: _secret, ...shown } = created;
    expect(listed.webhooks).toContainEqual(shown);
    expect(JSON.stringify(listed)).not.toContain(created.secret);

    expect((await admin('DELETE', `/v1/webhooks/${created.id}`)).status).toBe(204);
    expect((await admin('DELETE', `/v1/webhooks/${created.id}`)).status).toBe(404);
    const after = (await (await admin('GET', '/v1/webhooks')).json()) as WebhookEndpointList;
    expect(after.webhooks.map((w) => w.id)).not.toContain(created.id);
    expect((await admin('POST', `/v1/webhooks/${created.id}/ping`)).status).toBe(404);
    // The log outlives the endpoint.
    expect((await admin('GET', `/v1/webhooks/${created.id}/deliveries`)).status).toBe(200);
  });

  it('pings an endpoint at once with a signed webhook.ping and answers with the outcome', async () => {
    const created = await create({ url: `${base}/hooks`, events: ['campaign.completed'] });
    receiver.secret = created.secret;
    receiver.status = 200;
    receiver.received.length = 0;

    const res = await admin('POST', `/v1/webhooks/${created.id}/ping`);
    expect(res.status).toBe(200);
    const result = (await res.json()) as WebhookPingResult;
    expect(result).toMatchObject({ delivered: true, status: 200, error: null });
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.error).toBeUndefined();
    expect(receiver.received[0]!.headers['webhook-id']).toBe(result.eventId);
    expect(receiver.received[0]!.payload).toMatchObject({
      type: 'webhook.ping',
      data: { endpointId: created.id },
    });

    receiver.status = 500;
    const failed = (await (
      await admin('POST', `/v1/webhooks/${created.id}/ping`)
    ).json()) as WebhookPingResult;
    expect(failed).toMatchObject({ delivered: false, status: 500, error: 'HTTP 500' });

    const log = (await (
      await admin('GET', `/v1/webhooks/${created.id}/deliveries`)
    ).json()) as WebhookDeliveryPage;
    expect(log.deliveries).toMatchObject([
      { eventId: failed.eventId, eventType: 'webhook.ping', state: 'failed', attempts: 1, lastStatus: 500 },
      {
        eventId: result.eventId,
        eventType: 'webhook.ping',
        state: 'delivered',
        attempts: 1,
        lastStatus: 200,
      },
    ]);
    // A ping is not retried: nothing of it is left for a worker.
    expect(log.deliveries.every((d) => d.nextAttemptAt === null)).toBe(true);
    expect((await admin('POST', '/v1/webhooks/whk_unknown/ping')).status).toBe(404);
  });

  it('pages the delivery log newest first', async () => {
    const created = await create({ url: 'https://lab.example/log', events: ['campaign.completed'] });
    const eventIds: string[] = [];
    for (let round = 0; round < 5; round++) {
      const data = { campaignId: 'cmp_1', datasetId: 'ds_1', round, status: 'running' as const };
      eventIds.push((await h.deps.webhooks.publish('campaign.completed', data)).eventId);
    }
    const page = async (query: string) => {
      const res = await admin('GET', `/v1/webhooks/${created.id}/deliveries${query}`);
      expect(res.status).toBe(200);
      return (await res.json()) as WebhookDeliveryPage;
    };
    const first = await page('?limit=3');
    expect(first.deliveries.map((d) => d.eventId)).toEqual(eventIds.slice(2).reverse());
    expect(first.deliveries[0]).toMatchObject({
      eventType: 'campaign.completed',
      state: 'pending',
      attempts: 0,
      lastStatus: null,
      nextAttemptAt: expect.any(String) as string,
    });
    const second = await page(`?limit=3&before=${first.next}`);
    expect(second.deliveries.map((d) => d.eventId)).toEqual(eventIds.slice(0, 2).reverse());
    expect(second.next).toBeNull();
    expect((await admin('GET', `/v1/webhooks/${created.id}/deliveries?before=abc`)).status).toBe(400);
    expect((await admin('GET', `/v1/webhooks/${created.id}/deliveries?limit=0`)).status).toBe(400);
    expect((await admin('GET', '/v1/webhooks/whk_unknown/deliveries')).status).toBe(404);
  });

  it("announces an admin's withdrawal as records.withdrawn, once", async () => {
    const created = await create({ url: 'https://lab.example/withdrawn', events: ['records.withdrawn'] });
    const { datasetId } = await h.deps.campaigns.create(
      'webhook withdrawals',
      parseCampaignSpec({ seeds: ['https://example.com/'] }),
    );
    await h.database.db.insert(records).values({
      id: 'rec_webhook_1',
      datasetId,
      campaignId: 'cmp_test',
      urlId: 9_001,
      url: 'https://example.com/1',
      finalUrl: 'https://example.com/1',
      host: 'example.com',
      status: 200,
      contentType: 'text/html',
      fetchedAt: new Date(),
      nodeId: 'nod_1',
      ownerId: 'own_1',
      bodySha256: 'a'.repeat(64),
      blobKey: 'raw/9001',
      title: 'Page',
      text: 'text',
      markdown: '# Page',
      language: 'en',
      textHash: 'hash-webhook-1',
      textBytes: 4,
      metadata: {},
    });
    const withdraw = () =>
      admin('POST', `/v1/datasets/${datasetId}/records/rec_webhook_1/withdraw`, {
        reason: 'takedown request',
      });
    expect((await withdraw()).status).toBe(200);
    expect((await withdraw()).status).toBe(200);

    const events = await h.database.db
      .select({ data: webhookEvents.data })
      .from(webhookEvents)
      .where(eq(webhookEvents.type, 'records.withdrawn'));
    expect(events.map((e) => e.data)).toEqual([
      { datasetId, recordIds: ['rec_webhook_1'], reason: 'takedown request' },
    ]);
    const log = (await (
      await admin('GET', `/v1/webhooks/${created.id}/deliveries`)
    ).json()) as WebhookDeliveryPage;
    expect(log.deliveries).toMatchObject([{ eventType: 'records.withdrawn', state: 'pending' }]);
  });

  it('documents every webhook route in the OpenAPI document', async () => {
    const doc = (await (await h.call('GET', '/openapi.json')).json()) as {
      paths: Record<string, Record<string, { tags?: string[] }>>;
    };
    expect(Object.keys(doc.paths['/v1/webhooks'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/v1/webhooks/{id}'] ?? {})).toEqual(['delete']);
    expect(Object.keys(doc.paths['/v1/webhooks/{id}/deliveries'] ?? {})).toEqual(['get']);
    expect(Object.keys(doc.paths['/v1/webhooks/{id}/ping'] ?? {})).toEqual(['post']);
    expect(doc.paths['/v1/webhooks']!.post!.tags).toEqual(['Webhooks']);
  });
});
