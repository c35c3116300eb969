import type { Campaign } from '@gleaner/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './api-test-harness.js';

describe('campaign progress stream and spec editing', () => {
  let h: ApiHarness;
  const admin = (method: string, path: string, body?: unknown) =>
    h.call(method, path, { token: h.adminToken, ...(body === undefined ? {} : { body }) });
  const create = async (body: unknown) =>
    (await (await admin('POST', '/v1/campaigns', body)).json()) as Campaign;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('streams stats as server-sent events and ends when the campaign ends', async () => {
    const campaign = await create({ name: 'sse', seeds: ['https://example.com/'] });
    await admin('POST', `/v1/campaigns/${campaign.id}/cancel`);
    const res = await admin('GET', `/v1/campaigns/${campaign.id}/events`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = await res.text();
    expect(text).toMatch(/event: stats\ndata: \{.*"status":"cancelled"/);
    expect(text).toMatch(/event: end\ndata: \{"status":"cancelled"\}/);
  });

  it('needs the admin token and a known campaign', async () => {
    expect((await h.call('GET', '/v1/campaigns/cmp_x/events')).status).toBe(401);
    expect((await admin('GET', '/v1/campaigns/cmp_missing/events')).status).toBe(404);
  });

  it('edits a paused campaign and queues only its new seeds', async () => {
    const campaign = await create({ name: 'edit', seeds: ['https://example.com/'] });
    const running = await admin('PUT', `/v1/campaigns/${campaign.id}/spec`, {
      name: 'x',
      seeds: ['https://example.com/'],
    });
    expect(running.status).toBe(409);
    await admin('POST', `/v1/campaigns/${campaign.id}/pause`);
    const edited = await admin('PUT', `/v1/campaigns/${campaign.id}/spec`, {
      name: 'edited',
      seeds: ['https://example.com/', 'https://example.com/new'],
      maxPages: 50,
    });
    expect(edited.status).toBe(200);
    const body = (await edited.json()) as Campaign;
    expect(body.name).toBe('edited');
    expect(body.spec.maxPages).toBe(50);
    const jobs = await h.deps.queues.frontier.getJobs(['waiting', 'delayed', 'prioritized']);
    const mine = jobs.filter((j) => j.data.campaignId === campaign.id);
    expect(
      mine
        .map((j) => j.data.links.map((l) => l.url))
        .flat()
        .sort(),
    ).toEqual(['https://example.com/', 'https://example.com/new']);
    const bad = await admin('PUT', `/v1/campaigns/${campaign.id}/spec`, {
      name: 'y',
      seeds: ['ftp://nope/'],
    });
    expect(bad.status).toBe(400);
    const lookbehind = await admin('PUT', `/v1/campaigns/${campaign.id}/spec`, {
      name: 'y',
      seeds: ['https://example.com/'],
      exclude: ['(?<!/en)/print/'],
    });
    expect(lookbehind.status).toBe(400);
    expect(((await lookbehind.json()) as { error: { message: string } }).error.message).toBe(
      'invalid body: exclude.0: pattern "(?<!/en)/print/": lookahead and lookbehind ((?=, (?!, (?<=, (?<!) are not supported: patterns run on a linear-time engine (RE2)',
    );
    expect((await h.deps.campaigns.get(campaign.id))?.spec.exclude).toEqual([]);
  });
});
