import { afterEach, describe, expect, it } from 'vitest';
import { GatewayClient, type InvalidMessage, type JobOutcome } from './gateway-client.js';
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

  it('ignores and reports a message that does not fit the protocol, and keeps working', async () => {
    gateway = await TestGateway.start();
    const ran: string[] = [];
    const invalid: InvalidMessage[] = [];
    client = new GatewayClient({
      identity: gateway.identity,
      runJob: async (job) => {
        ran.push(job.jobId);
        return ok(job.url);
      },
    });
    client.on('invalid-message', (m: InvalidMessage) => invalid.push(m));
    client.start();
    await expect.poll(() => client?.state).toBe('connected');
    const job = testJob('https://example.com/fine', 'fine');
    gateway.sendRaw('{not json');
    gateway.sendRaw(JSON.stringify({ type: 'surprise' }));
    gateway.sendRaw(JSON.stringify({ type: 'job', job: { ...job, jobId: 'no-limits', limits: undefined } }));
    gateway.sendRaw(JSON.stringify({ type: 'job', job: { ...job, jobId: 'bad-attempt', attempt: '1' } }));
    gateway.sendRaw(JSON.stringify({ type: 'hello', protocol: 2 }));
    gateway.sendRaw('null');
    gateway.enqueue(job);
    await expect.poll(() => gateway.results.map((r) => r.jobId)).toEqual(['fine']);
    expect(ran).toEqual(['fine']);
    expect(invalid).toEqual([
      { reason: 'not JSON' },
      { reason: expect.stringMatching(/^type: /), type: 'surprise' },
      { reason: expect.stringMatching(/^job\.limits: /), type: 'job' },
      { reason: expect.stringMatching(/^job\.attempt: /), type: 'job' },
      { reason: expect.stringMatching(/^nonce: /), type: 'hello' },
      { reason: expect.stringMatching(/^message: /) },
    ]);
    expect(client.state).toBe('connected');
    expect(gateway.connections).toBe(1);
  });
});
