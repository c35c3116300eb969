import { afterEach, describe, expect, it } from 'vitest';
import { GatewayClient, type JobOutcome } from './gateway-client.js';
import { TestGateway, testJob } from './test-gateway.js';

const ok = (url: string): JobOutcome => ({
  ok: true,
  status: 200,
  finalUrl: url,
  headers: {},
  body: Buffer.from('hello'),
  timings: { headersMs: 1, totalMs: 1 },
});

describe('GatewayClient against a real WebSocket gateway', () => {
  let gateway: TestGateway;
  let client: GatewayClient | undefined;
  afterEach(async () => {
    await client?.stop(100);
    await gateway.close();
  });

  it('reconnects with back-off after the connection drops, and keeps working', async () => {
    gateway = await TestGateway.start();
    const states: string[] = [];
    client = new GatewayClient({
      identity: gateway.identity,
      runJob: async (job) => ok(job.url),
      minBackoffMs: 50,
      maxBackoffMs: 400,
    });
    client.on('state', (s: string) => states.push(s));
    client.start();
    await expect.poll(() => gateway.connections).toBe(1);
    gateway.drop();
    await expect.poll(() => gateway.connections, { timeout: 5000 }).toBe(2);
    gateway.drop();
    await expect.poll(() => gateway.connections, { timeout: 5000 }).toBe(3);
    gateway.enqueue(testJob('https://example.com/a', 'j1'));
    await expect.poll(() => gateway.results.map((r) => r.jobId)).toEqual(['j1']);
    expect(states).toEqual([
      'connecting',
      'connected',
      'disconnected',
      'connecting',
      'connected',
      'disconnected',
      'connecting',
      'connected',
    ]);
  });

  it('on stop, takes no new jobs, delivers the job in hand, then closes', async () => {
    gateway = await TestGateway.start();
    let release: () => void = () => {};
    client = new GatewayClient({
      identity: gateway.identity,
      concurrency: 1,
      runJob: (job) => new Promise((resolve) => (release = () => resolve(ok(job.url)))),
    });
    client.start();
    gateway.enqueue(testJob('https://example.com/slow', 'slow'), testJob('https://example.com/next', 'next'));
    await expect.poll(() => client?.inFlight).toBe(1);
    const stopping = client.stop(5000);
    await expect.poll(() => gateway.paused).toBe(true);
    setTimeout(() => release(), 200);
    await stopping;
    expect(gateway.results.map((r) => r.jobId)).toEqual(['slow']);
    expect(gateway.queued).toBe(1); // the next job was never taken
    expect(client.state).toBe('stopped');
    client = undefined;
  });
});
