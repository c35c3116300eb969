import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookSender, type WebhookMessage } from './webhook-sender.js';

const SECRET = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
const message: WebhookMessage = {
  id: 'msg_test',
  type: 'campaign.completed',
  eventAt: new Date('2026-01-02T03:04:05.678Z'),
  data: { campaignId: 'cmp_1', datasetId: 'ds_1', round: 0, status: 'completed' },
};

describe('WebhookSender', () => {
  let server: Server;
  let port: number;
  const seen: { headers: IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        seen.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('signs what it sends as Standard Webhooks verifies it', () => {
    const sentAt = new Date('2026-01-02T03:04:09.900Z');
    const { body, headers } = WebhookSender.sign(SECRET, message, sentAt);
    expect(JSON.parse(body)).toEqual({
      type: 'campaign.completed',
      timestamp: '2026-01-02T03:04:05.678Z',
      data: message.data,
    });
    expect(headers['webhook-id']).toBe('msg_test');
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(sentAt.getTime() / 1000)));
    expect(headers['webhook-signature']).toBe(
      new Webhook(SECRET).sign('msg_test', new Date('2026-01-02T03:04:09Z'), body),
    );
  });

  it('connects to the address it resolved and judged, under the name of the URL', async () => {
    seen.length = 0;
    const resolved: string[] = [];
    const sender = new WebhookSender({
      allowPrivateNetwork: true,
      resolve: async (host) => {
        resolved.push(host);
        return [{ address: '127.0.0.1', family: 4 }];
      },
    });
    const result = await sender.send(`http://hooks.test:${port}/in?x=1`, SECRET, message);
    expect(result).toMatchObject({ ok: true, status: 202, error: null });
    expect(resolved).toEqual(['hooks.test']);
    expect(seen[0]!.headers.host).toBe(`hooks.test:${port}`);
    expect(
      new Webhook(SECRET).verify(seen[0]!.body, seen[0]!.headers as Record<string, string>),
    ).toMatchObject({
      type: 'campaign.completed',
    });
  });

  it('refuses names that resolve to any non-public address, unless that address is allowed', async () => {
    seen.length = 0;
    const mixed = async () => [
      { address: '93.184.216.34', family: 4 as const },
      { address: '10.1.2.3', family: 4 as const },
    ];
    const refused = await new WebhookSender({ resolve: mixed }).send('https://hooks.test/', SECRET, message);
    expect(refused).toMatchObject({ ok: false, status: null });
    expect(refused.error).toBe('hooks.test resolves to a private address, which webhooks may not reach');

    const local = async () => [{ address: '127.0.0.1', family: 4 as const }];
    expect(
      (await new WebhookSender({ resolve: local }).send(`http://hooks.test:${port}/`, SECRET, message)).error,
    ).toMatch(/loopback address/);
    const allowed = new WebhookSender({ resolve: local, allowAddresses: ['127.0.0.1/32'] });
    expect(await allowed.send(`http://hooks.test:${port}/`, SECRET, message)).toMatchObject({ ok: true });
    expect(seen).toHaveLength(1);
  });

  it('answers bad URLs and unreachable hosts with a result, never a throw', async () => {
    const sender = new WebhookSender({ allowPrivateNetwork: true, timeoutMs: 1_000 });
    expect((await sender.send('not a url', SECRET, message)).error).toBe('invalid URL');
    expect((await sender.send('ftp://127.0.0.1/', SECRET, message)).error).toBe('unsupported scheme ftp:');
    const closed = await sender.send('http://127.0.0.1:1/', SECRET, message);
    expect(closed).toMatchObject({ ok: false, status: null });
    expect(closed.error).toMatch(/ECONNREFUSED/);
  });
});
