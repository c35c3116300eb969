import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './api-test-harness.js';
import { createApi, MAX_BODY_BYTES } from './create-api.js';

/** Every route the API serves besides `/openapi.json` and `/docs`, as OpenAPI writes them. */
const ROUTES = [
  'get /health',
  'post /v1/campaigns',
  'get /v1/campaigns',
  'get /v1/campaigns/{id}',
  'post /v1/campaigns/{id}/start',
  'post /v1/campaigns/{id}/pause',
  'post /v1/campaigns/{id}/resume',
  'post /v1/campaigns/{id}/cancel',
  'get /v1/campaigns/{id}/stats',
  'get /v1/campaigns/{id}/urls',
  'get /v1/campaigns/{id}/events',
  'put /v1/campaigns/{id}/spec',
  'post /v1/owners',
  'post /v1/api-keys',
  'get /v1/api-keys',
  'delete /v1/api-keys/{id}',
  'get /v1/api-keys/{id}/usage',
  'get /v1/nodes/keys',
  'post /v1/nodes',
  'get /v1/me',
  'get /v1/me/nodes',
  'get /v1/me/nodes/{nodeId}/outcomes',
  'post /v1/me/nodes/{nodeId}/outcomes/urls',
  'get /v1/datasets',
  'get /v1/datasets/{id}',
  'get /v1/datasets/{id}/records',
  'get /v1/datasets/{id}/records/{recordId}/raw',
  'post /v1/datasets/{id}/records/{recordId}/withdraw',
  'post /v1/datasets/{id}/snapshots',
  'get /v1/datasets/{id}/snapshots',
  'get /v1/datasets/{id}/snapshots/{snapshotId}',
  'get /v1/datasets/{id}/snapshots/{snapshotId}/files/{path}',
  'get /v1/admin/nodes',
  'post /v1/admin/nodes/{id}/ban',
  'post /v1/admin/nodes/{id}/unban',
  'post /v1/admin/owners/{id}/ban',
  'post /v1/admin/owners/{id}/unban',
  'post /v1/admin/owners/{id}/token',
  'get /v1/me/earnings',
  'post /v1/me/token',
  'delete /v1/me/token',
  'put /v1/me/profile',
  'get /v1/leaderboard',
  'get /v1/epochs',
  'get /v1/epochs/{id}',
  'get /v1/epochs/{id}/proof',
  'get /v1/signing-key',
  'post /v1/webhooks',
  'get /v1/webhooks',
  'delete /v1/webhooks/{id}',
  'get /v1/webhooks/{id}/deliveries',
  'post /v1/webhooks/{id}/ping',
  'get /v1/account-policy',
  'post /v1/pairings',
  'post /v1/pairings/token',
  'post /v1/pairings/approve',
  'post /v1/pairings/signup',
  'post /v1/owner-invites',
  'get /v1/owner-invites',
  'post /v1/removals',
  'get /v1/removals/{id}',
  'post /v1/removals/{id}/verify',
];

describe('createApi', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers /health without credentials', async () => {
    const res = await h.call('GET', '/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('publishes an OpenAPI 3.1 document listing every route with its security', async () => {
    const res = await h.call('GET', '/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
      components: {
        securitySchemes: Record<string, { type: string; scheme?: string }>;
        schemas: Record<string, unknown>;
      };
    };
    expect(doc.openapi).toBe('3.1.0');
    const listed = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((m) => `${m} ${path}`),
    );
    expect(listed.sort()).toEqual([...ROUTES].sort());
    expect(doc.components.securitySchemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.apiKeyHeader).toMatchObject({ type: 'apiKey' });
    expect(doc.paths['/v1/campaigns']!.post!.security).toEqual([{ adminToken: [] }]);
    expect(doc.paths['/v1/me']!.get!.security).toEqual([{ ownerToken: [] }]);
    expect(doc.paths['/v1/datasets']!.get!.security).toEqual([{ apiKey: [] }, { apiKeyHeader: [] }]);
    expect(doc.paths['/health']!.get!.security).toBeUndefined();
    expect(doc.paths['/v1/nodes/keys']!.get!.security).toBeUndefined();
    expect(doc.paths['/v1/datasets/{id}/records/{recordId}/withdraw']!.post!.security).toEqual([
      { adminToken: [] },
    ]);
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'CampaignSpec',
        'Campaign',
        'ErrorResponse',
        'DatasetRecord',
        'Tombstone',
        'FeedLine',
        'CreatedApiKey',
        'ApiKeyUsage',
        'NodeKeyList',
      ]),
    );
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await h.call('GET', '/v2/nothing');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: 'NOT_FOUND', message: 'no route for GET /v2/nothing' },
    });
  });

  it('rejects malformed JSON and non-JSON bodies with 400', async () => {
    const token = h.adminToken;
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const bad = await h.app.request('/v1/owners', { method: 'POST', headers, body: '{"name":' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
    const text = await h.call('POST', '/v1/owners', {
      token,
      body: 'x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(400);
  });

  it('rejects bodies over the size limit with 413', async () => {
    const body = { name: 'x'.repeat(MAX_BODY_BYTES) };
    const res = await h.call('POST', '/v1/owners', { token: h.adminToken, body });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('TOO_LARGE');
  });

  it('refuses a short admin token', () => {
    expect(() => createApi({ ...h.deps, adminToken: 'short' })).toThrow(/at least 16/);
  });
});
