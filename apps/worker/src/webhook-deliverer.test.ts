import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  migrateDatabase,
  openDatabase,
  startEmbeddedPostgres,
  WebhookStore,
  webhookDeliveries,
  webhookEndpoints,
  webhookEvents,
} from '@gleaner/db';
import type { Database, EmbeddedPostgres } from '@gleaner/db';
import { freePort } from '@gleaner/queue';
import { startPostgresServer, type PostgresServer } from '@gleaner/testkit';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebhookDeliverer } from './webhook-deliverer.js';

/** One request the receiver got, with the outcome of checking its signature with the endpoint's secret. */
interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  verified: unknown;
  error: string | undefined;
}

type Answer = (req: IncomingMessage, res: ServerResponse) => void;

/** A webhook receiver on loopback that verifies every request with the `standardwebhooks` Webhook class. */
class Receiver {
  readonly received: Received[] = [];
  secret = '';
  answer: Answer = (_req, res) => res.writeHead(200).end('ok');
  private readonly server: Server;
  private readonly sockets = new Set<import('node:net').Socket>();

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const headers = Object.fromEntries(
          Object.entries(req.headers).map(([name, value]) => [
            name,
            Array.isArray(value) ? value.join(', ') : (value ?? ''),
          ]),
        );
        let verified: unknown;
        let error: string | undefined;
        try {
          verified = new Webhook(this.secret).verify(body, headers);
        } catch (e) {
          error = (e as Error).message;
        }
        this.received.push({ path: req.url ?? '', headers, body, verified, error });
        this.answer(req, res);
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const completed = { campaignId: 'cmp_1', datasetId: 'ds_1', round: 0, status: 'completed' as const };

describe('WebhookDeliverer', () => {
  let postgres: EmbeddedPostgres;
  let database: Database;
  let webhooks: WebhookStore;
  let receiver: Receiver;
  let base: string;
  const deliverers: WebhookDeliverer[] = [];

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
    await database.db.delete(webhookDeliveries);
    await database.db.delete(webhookEvents);
    await database.db.delete(webhookEndpoints);
    receiver = new Receiver();
    base = await receiver.listen();
  });
  afterEach(async () => {
    await Promise.all(deliverers.splice(0).map((d) => d.stop()));
    await receiver.close();
  });

  function deliverer(
    options: Partial<ConstructorParameters<typeof WebhookDeliverer>[0]> = {},
  ): WebhookDeliverer {
    const created = new WebhookDeliverer({
      webhooks,
      allowPrivateNetwork: true,
      timeoutMs: 2_000,
      ...options,
    });
    deliverers.push(created);
    return created;
  }

  async function endpoint(path = '/hooks'): Promise<string> {
    const { endpoint: created, secret } = await webhooks.createEndpoint({
      url: `${base}${path}`,
      events: ['campaign.completed'],
    });
    receiver.secret = secret;
    return created.id;
  }

  /** A moment every delivery published so far is due by. */
  const soon = () => new Date(Date.now() + 1_000);

  it('delivers a signed Standard Webhooks message the receiver verifies, and logs it', async () => {
    const endpointId = await endpoint();
    const { eventId } = await webhooks.publish('campaign.completed', completed);
    expect(await deliverer().deliverDue(soon())).toBe(1);

    expect(receiver.received).toHaveLength(1);
    const [got] = receiver.received;
    expect(got!.error).toBeUndefined();
    expect(got!.path).toBe('/hooks');
    expect(got!.headers['webhook-id']).toBe(eventId);
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+={0,2}$/);
    expect(Math.abs(Number(got!.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(got!.verified).toEqual({
      type: 'campaign.completed',
      timestamp: expect.any(String) as string,
      data: completed,
    });
    // A receiver holding another secret refuses it.
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(got!.body, got!.headers),
    ).toThrow();

    const { deliveries } = await webhooks.deliveries(endpointId);
    expect(deliveries).toEqual([
      expect.objectContaining({ eventId, state: 'delivered', attempts: 1, lastStatus: 200, lastError: null }),
    ]);
    expect(deliveries[0]!.deliveredAt).toBeInstanceOf(Date);
    expect(await deliverer().deliverDue(new Date(Date.now() + 86_400_000))).toBe(0);
  });

  it('retries after a 500 when the back-off has passed, with the same webhook-id', async () => {
    const endpointId = await endpoint();
    const { eventId } = await webhooks.publish('campaign.completed', completed);
    let calls = 0;
    receiver.answer = (_req, res) => res.writeHead(++calls === 1 ? 500 : 204).end();
    const worker = deliverer();
    const t0 = soon();

    expect(await worker.deliverDue(t0)).toBe(1);
    expect((await webhooks.deliveries(endpointId)).deliveries[0]).toMatchObject({
      state: 'pending',
      attempts: 1,
      lastStatus: 500,
      lastError: 'HTTP 500',
      nextAttemptAt: new Date(t0.getTime() + 5_000),
    });
    expect(await worker.deliverDue(new Date(t0.getTime() + 4_999))).toBe(0);
    expect(receiver.received).toHaveLength(1);

    expect(await worker.deliverDue(new Date(t0.getTime() + 5_000))).toBe(1);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual([eventId, eventId]);
    expect(receiver.received.map((r) => r.error)).toEqual([undefined, undefined]);
    expect((await webhooks.deliveries(endpointId)).deliveries[0]).toMatchObject({
      state: 'delivered',
      attempts: 2,
      lastStatus: 204,
      lastError: null,
    });
  });

  it('gives up on a receiver that does not answer within the time limit, and tries again later', async () => {
    const endpointId = await endpoint();
    await webhooks.publish('campaign.completed', completed);
    receiver.answer = () => undefined; // never answers
    const started = Date.now();
    const t0 = soon();
    expect(await deliverer({ timeoutMs: 300 }).deliverDue(t0)).toBe(1);
    expect(Date.now() - started).toBeLessThan(2_000);
    const [entry] = (await webhooks.deliveries(endpointId)).deliveries;
    expect(entry).toMatchObject({
      state: 'pending',
      attempts: 1,
      lastStatus: null,
      lastError: 'timed out after 300 ms',
    });
    expect(entry!.lastResponseMs).toBeGreaterThanOrEqual(290);
    expect(entry!.nextAttemptAt).toEqual(new Date(t0.getTime() + 5_000));
  });

  it('does not follow redirects and reads only a little of a large response', async () => {
    const endpointId = await endpoint();
    await webhooks.publish('campaign.completed', completed);
    receiver.answer = (req, res) => {
      if (req.url === '/hooks') res.writeHead(307, { location: '/elsewhere' }).end();
      else res.writeHead(200).end();
    };
    const worker = deliverer();
    const t0 = soon();
    await worker.deliverDue(t0);
    expect(receiver.received.map((r) => r.path)).toEqual(['/hooks']);
    expect((await webhooks.deliveries(endpointId)).deliveries[0]).toMatchObject({
      state: 'pending',
      lastStatus: 307,
      lastError: 'HTTP 307: redirects are not followed',
    });

    // 50 MB announced and streamed: the attempt ends after a few kilobytes, not after the whole body.
    let written = 0;
    receiver.answer = (_req, res) => {
      res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = () => {
        while (written < 50 * 1024 * 1024 && res.write(chunk)) written += chunk.length;
      };
      res.on('drain', pump);
      pump();
    };
    await worker.deliverDue(new Date(t0.getTime() + 5_000));
    expect((await webhooks.deliveries(endpointId)).deliveries[0]).toMatchObject({
      state: 'delivered',
      lastStatus: 200,
    });
    expect(written).toBeLessThan(10 * 1024 * 1024);
  });

  it('refuses loopback and private addresses unless allowed', async () => {
    const endpointId = await endpoint();
    await webhooks.publish('campaign.completed', completed);
    expect(await deliverer({ allowPrivateNetwork: false }).deliverDue(soon())).toBe(1);
    expect(receiver.received).toEqual([]);
    expect((await webhooks.deliveries(endpointId)).deliveries[0]).toMatchObject({
      state: 'pending',
      lastStatus: null,
      lastError: '127.0.0.1 resolves to a loopback address, which webhooks may not reach',
    });
  });

  it('never delivers an event twice when two deliverers claim at once', async () => {
    await endpoint();
    const eventIds: string[] = [];
    for (let round = 0; round < 12; round++)
      eventIds.push((await webhooks.publish('campaign.completed', { ...completed, round })).eventId);
    receiver.answer = (_req, res) => setTimeout(() => res.writeHead(200).end(), 20);
    const other = openDatabase({ url: postgres.url, maxConnections: 2 });
    try {
      const a = deliverer({ batchSize: 5 });
      const b = deliverer({ webhooks: new WebhookStore(other.db), batchSize: 5 });
      const now = soon();
      const counts = await Promise.all([
        a.deliverDue(now),
        b.deliverDue(now),
        a.deliverDue(now),
        b.deliverDue(now),
      ]);
      expect(counts.reduce((x, y) => x + y, 0)).toBe(12);
      expect(await a.deliverDue(now)).toBe(0);
      const ids = receiver.received.map((r) => r.headers['webhook-id']);
      expect(ids.sort()).toEqual([...eventIds].sort());
    } finally {
      await other.close();
    }
  });

  it('delivers on its own once started, and stops cleanly', async () => {
    const endpointId = await endpoint();
    const worker = deliverer({ everyMs: 20 });
    worker.start();
    const { eventId } = await webhooks.publish('campaign.completed', completed);
    await vi.waitFor(
      async () => expect((await webhooks.deliveries(endpointId)).deliveries[0]?.state).toBe('delivered'),
      { timeout: 5_000, interval: 50 },
    );
    await worker.stop();
    expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual([eventId]);
    await webhooks.publish('campaign.completed', completed);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.received).toHaveLength(1);
  });
});

describe('WebhookDeliverer on PostgreSQL', () => {
  let server: PostgresServer;
  const databases: Database[] = [];
  let receiver: Receiver;

  beforeAll(async () => {
    server = await startPostgresServer(await freePort());
    await migrateDatabase(server.url);
    receiver = new Receiver();
  });
  afterAll(async () => {
    await Promise.all(databases.map((d) => d.close()));
    await receiver.close();
    await server.stop();
  });

  it('never delivers an event twice when four deliverers on their own connections claim side by side', async () => {
    const open = () => {
      const database = openDatabase({ url: server.url, maxConnections: 2 });
      databases.push(database);
      return new WebhookStore(database.db);
    };
    const webhooks = open();
    const base = await receiver.listen();
    const { secret } = await webhooks.createEndpoint({
      url: `${base}/hooks`,
      events: ['campaign.completed'],
    });
    receiver.secret = secret;
    receiver.answer = (_req, res) => setTimeout(() => res.writeHead(200).end(), 5);
    const eventIds = new Set<string>();
    for (let round = 0; round < 60; round++)
      eventIds.add((await webhooks.publish('campaign.completed', { ...completed, round })).eventId);

    const workers = Array.from(
      { length: 4 },
      () => new WebhookDeliverer({ webhooks: open(), allowPrivateNetwork: true, batchSize: 7 }),
    );
    const now = new Date(Date.now() + 1_000);
    let attempts = 0;
    for (let pass = 0; pass < 5; pass++)
      attempts += (await Promise.all(workers.map((w) => w.deliverDue(now)))).reduce((x, y) => x + y, 0);
    expect(attempts).toBe(60);
    const ids = receiver.received.map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(60);
    expect(new Set(ids)).toEqual(eventIds);
    expect(receiver.received.every((r) => r.error === undefined)).toBe(true);
  });
});
