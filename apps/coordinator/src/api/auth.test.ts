import { generateNodeKeyPair } from '@gleaner/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './api-test-harness.js';
import { secretsEqual } from './auth.js';

describe('auth', () => {
  let h: ApiHarness;
  let ownerToken: string;
  let apiKey: string;
  beforeAll(async () => {
    h = await startApiHarness();
    ownerToken = (await h.deps.accounts.createOwner('ada')).token;
    apiKey = (await h.deps.accounts.createApiKey('lab', ['datasets:read'])).key;
  });
  afterAll(async () => {
    await h.close();
  });

  async function expect401(res: Response): Promise<void> {
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
  }

  it('rejects admin routes without, with a wrong, or with another kind of credential', async () => {
    await expect401(await h.call('GET', '/v1/campaigns'));
    await expect401(await h.call('GET', '/v1/campaigns', { token: `${h.adminToken}x` }));
    await expect401(await h.call('GET', '/v1/campaigns', { token: ownerToken }));
    await expect401(await h.call('GET', '/v1/api-keys', { token: apiKey }));
    await expect401(await h.call('GET', '/v1/campaigns', { headers: { authorization: h.adminToken } }));
    await expect401(await h.call('GET', '/v1/campaigns', { headers: { 'x-api-key': h.adminToken } }));
    expect((await h.call('GET', '/v1/campaigns', { token: h.adminToken })).status).toBe(200);
    const lowerCaseScheme = { authorization: `bearer ${h.adminToken}` };
    expect((await h.call('GET', '/v1/campaigns', { headers: lowerCaseScheme })).status).toBe(200);
  });

  it('checks credentials before validating input', async () => {
    await expect401(await h.call('POST', '/v1/campaigns', { body: { seeds: ['nope'] } }));
  });

  it('rejects contributor routes without an owner token', async () => {
    await expect401(await h.call('GET', '/v1/me'));
    await expect401(await h.call('GET', '/v1/me', { token: 'gow_not-a-real-token' }));
    await expect401(await h.call('GET', '/v1/me', { token: h.adminToken }));
    await expect401(await h.call('GET', '/v1/me/nodes', { token: apiKey }));
    const body = { publicKey: generateNodeKeyPair().publicKeyPem };
    await expect401(await h.call('POST', '/v1/nodes', { body, token: h.adminToken }));
    expect((await h.call('GET', '/v1/me', { token: ownerToken })).status).toBe(200);
  });

  it('rejects dataset routes without a live API key', async () => {
    await expect401(await h.call('GET', '/v1/datasets'));
    await expect401(await h.call('GET', '/v1/datasets', { token: `${apiKey}x` }));
    await expect401(await h.call('GET', '/v1/datasets', { token: h.adminToken }));
    await expect401(await h.call('GET', '/v1/datasets', { headers: { 'x-api-key': ownerToken } }));
    expect((await h.call('GET', '/v1/datasets', { token: apiKey })).status).toBe(200);
    expect((await h.call('GET', '/v1/datasets', { headers: { 'x-api-key': apiKey } })).status).toBe(200);
  });

  it('rejects a revoked API key', async () => {
    const { key, row } = await h.deps.accounts.createApiKey('soon revoked', ['datasets:read']);
    expect((await h.call('GET', '/v1/datasets', { token: key })).status).toBe(200);
    expect((await h.call('DELETE', `/v1/api-keys/${row.id}`, { token: h.adminToken })).status).toBe(204);
    await expect401(await h.call('GET', '/v1/datasets', { token: key }));
    await expect401(await h.call('GET', '/v1/datasets', { headers: { 'x-api-key': key } }));
  });

  it('answers 403 for a live key without the datasets:read scope', async () => {
    const { key } = await h.deps.accounts.createApiKey('no scope', ['something:else']);
    const res = await h.call('GET', '/v1/datasets', { token: key });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: { code: 'FORBIDDEN', message: 'this API key lacks the "datasets:read" scope' },
    });
  });

  it('compares secrets exactly', () => {
    expect(secretsEqual('abc', 'abc')).toBe(true);
    expect(secretsEqual('abc', 'abd')).toBe(false);
    expect(secretsEqual('abc', 'abcd')).toBe(false);
  });
});
