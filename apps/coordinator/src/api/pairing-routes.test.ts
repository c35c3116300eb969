import { generateNodeKeyPair } from '@gleaner/core';
import type {
  CreatedInvite,
  CreatedOwner,
  Me,
  PairingPoll,
  PairingSignup,
  StartedPairing,
} from '@gleaner/contracts';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './api-test-harness.js';
import { createApi } from './create-api.js';
import { PAIR_PAGE_CSP } from './pair-page.js';
import type { PairingSettings } from './api-deps.js';

describe('pairing routes', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  /** An API over the harness's database with its own pairing settings (and so its own rate limits). */
  function api(pairing: PairingSettings, maxNodesPerOwner?: number) {
    const app: OpenAPIHono = createApi({
      ...h.deps,
      pairing,
      ...(maxNodesPerOwner === undefined ? {} : { maxNodesPerOwner }),
    });
    return async <T>(
      method: string,
      path: string,
      options: { token?: string; body?: unknown; from?: string } = {},
    ) => {
      const headers: Record<string, string> = {};
      if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const response = await app.request(
        path,
        { method, headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) },
        // What @hono/node-server hands the app: the peer's socket.
        { incoming: { socket: { remoteAddress: options.from ?? '203.0.113.7' } } },
      );
      return { status: response.status, headers: response.headers, body: (await response.json()) as T };
    };
  }
  const newOwner = async () => {
    const res = await h.call('POST', '/v1/owners', { token: h.adminToken, body: { name: 'ada' } });
    return (await res.json()) as CreatedOwner;
  };
  const startBody = (name = 'laptop') => ({ publicKey: generateNodeKeyPair().publicKeyPem, name });

  it('pairs a node: started with its key, approved by its owner, then traded once for its own owner token', async () => {
    const call = api({});
    const owner = await newOwner();
    const started = await call<StartedPairing>('POST', '/v1/pairings', { body: startBody() });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({
      deviceCode: expect.stringMatching(/^gpd_/),
      userCode: expect.stringMatching(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/),
      verificationUri: 'http://localhost/pair',
      expiresIn: 600,
      interval: 5,
    });
    expect(started.body.verificationUriComplete).toBe(`http://localhost/pair?code=${started.body.userCode}`);
    const pending = await call<PairingPoll>('POST', '/v1/pairings/token', {
      body: { deviceCode: started.body.deviceCode },
    });
    expect(pending.body).toEqual({ state: 'pending', interval: 5 });
    // Polled again at once: too soon.
    const tooSoon = await call<PairingPoll>('POST', '/v1/pairings/token', {
      body: { deviceCode: started.body.deviceCode },
    });
    expect(tooSoon.body).toEqual({ state: 'slow_down', interval: 10 });

    expect(
      (await call('POST', '/v1/pairings/approve', { body: { userCode: started.body.userCode } })).status,
    ).toBe(401);
    const approved = await call<{ nodeId: string; nodeName: string }>('POST', '/v1/pairings/approve', {
      token: owner.token,
      body: { userCode: started.body.userCode.toLowerCase().replace('-', ' ') },
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      nodeId: expect.stringMatching(/^nod_/),
      nodeName: 'laptop',
      ownerId: owner.id,
    });
    // A code is approved once.
    const again = await call('POST', '/v1/pairings/approve', {
      token: owner.token,
      body: { userCode: started.body.userCode },
    });
    expect(again.status).toBe(404);
  });

  it('gives the approved node its token once, and the token acts for the owner', async () => {
    const call = api({ intervalSeconds: 1 });
    const owner = await newOwner();
    const started = await call<StartedPairing>('POST', '/v1/pairings', { body: startBody() });
    await call('POST', '/v1/pairings/approve', {
      token: owner.token,
      body: { userCode: started.body.userCode },
    });
    const poll = () =>
      call<PairingPoll>('POST', '/v1/pairings/token', { body: { deviceCode: started.body.deviceCode } });
    const got = await poll();
    expect(got.body).toMatchObject({
      state: 'approved',
      ownerId: owner.id,
      ownerToken: expect.stringMatching(/^gow_/),
    });
    if (got.body.state !== 'approved') return;
    expect(got.body.ownerToken).not.toBe(owner.token);
    const me = await h.call('GET', '/v1/me', { token: got.body.ownerToken });
    expect(((await me.json()) as Me).id).toBe(owner.id);
    const nodes = await h.call('GET', '/v1/me/nodes', { token: owner.token });
    expect(((await nodes.json()) as { nodes: { id: string }[] }).nodes.map((n) => n.id)).toEqual([
      got.body.nodeId,
    ]);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await poll()).status).toBe(409);

    // The node's token may not replace the account's own; revoked, it stops alone.
    expect((await h.call('POST', '/v1/me/token', { token: got.body.ownerToken })).status).toBe(403);
    expect((await h.call('DELETE', '/v1/me/token', { token: got.body.ownerToken })).status).toBe(204);
    expect((await h.call('GET', '/v1/me', { token: got.body.ownerToken })).status).toBe(401);
    expect((await h.call('GET', '/v1/me', { token: owner.token })).status).toBe(200);
  });

  it('refuses an expired code to the owner, tells the node it expired, and refuses bad keys', async () => {
    const call = api({ ttlMs: 50 });
    const owner = await newOwner();
    const started = await call<StartedPairing>('POST', '/v1/pairings', { body: startBody() });
    await new Promise((resolve) => setTimeout(resolve, 80));
    const approve = await call('POST', '/v1/pairings/approve', {
      token: owner.token,
      body: { userCode: started.body.userCode },
    });
    expect(approve.status).toBe(404);
    const polled = await call('POST', '/v1/pairings/token', {
      body: { deviceCode: started.body.deviceCode },
    });
    expect(polled.body).toEqual({ state: 'expired' });
    expect((await call('POST', '/v1/pairings', { body: { publicKey: 'not a key' } })).status).toBe(400);
  });

  it('answers 429 to an address after too many wrong codes, even for a right one, and not to another address', async () => {
    const call = api({ limits: { maxWrongCodes: 3 } });
    const owner = await newOwner();
    const started = await call<StartedPairing>('POST', '/v1/pairings', { body: startBody() });
    for (const userCode of ['AAAA-AAAA', 'BBBB-BBBB', 'nonsense']) {
      const res = await call('POST', '/v1/pairings/approve', { token: owner.token, body: { userCode } });
      expect(res.status).toBe(404);
    }
    const refused = await call<{ error: { code: string } }>('POST', '/v1/pairings/approve', {
      token: owner.token,
      body: { userCode: started.body.userCode },
    });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Wrong device codes count too.
    expect((await call('POST', '/v1/pairings/token', { body: { deviceCode: 'gpd_x' } })).status).toBe(429);
    const elsewhere = await call('POST', '/v1/pairings/approve', {
      token: owner.token,
      body: { userCode: started.body.userCode },
      from: '198.51.100.4',
    });
    expect(elsewhere.status).toBe(200);
  });

  it('keeps to the node cap per owner', async () => {
    const call = api({}, 1);
    const owner = await newOwner();
    for (const expected of [200, 409]) {
      const started = await call<StartedPairing>('POST', '/v1/pairings', { body: startBody() });
      const res = await call('POST', '/v1/pairings/approve', {
        token: owner.token,
        body: { userCode: started.body.userCode },
      });
      expect(res.status).toBe(expected);
    }
  });

  it('follows the account policy: admin-only refuses sign-ups, invite needs an unused invite code, open does not', async () => {
    const adminOnly = api({});
    expect((await adminOnly<{ accountPolicy: string }>('GET', '/v1/account-policy')).body).toEqual({
      accountPolicy: 'admin-only',
    });
    const first = await adminOnly<StartedPairing>('POST', '/v1/pairings', { body: startBody() });
    const signup = (userCode: string, inviteCode?: string) => ({
      body: { userCode, name: 'newcomer', ...(inviteCode === undefined ? {} : { inviteCode }) },
    });
    expect((await adminOnly('POST', '/v1/pairings/signup', signup(first.body.userCode))).status).toBe(403);

    const invite = api({ accountPolicy: 'invite' });
    expect((await invite('POST', '/v1/pairings/signup', signup(first.body.userCode))).status).toBe(400);
    expect(
      (await invite('POST', '/v1/pairings/signup', signup(first.body.userCode, 'gin_wrong'))).status,
    ).toBe(403);
    expect((await invite('POST', '/v1/owner-invites', { body: {} })).status).toBe(401);
    const made = await invite<CreatedInvite>('POST', '/v1/owner-invites', {
      token: h.adminToken,
      body: { note: 'for a newcomer' },
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      code: expect.stringMatching(/^gin_/),
      note: 'for a newcomer',
      usedAt: null,
    });
    const joined = await invite<PairingSignup>(
      'POST',
      '/v1/pairings/signup',
      signup(first.body.userCode, made.body.code),
    );
    expect(joined.status).toBe(201);
    const me = await h.call('GET', '/v1/me', { token: joined.body.owner.token });
    expect(((await me.json()) as Me).name).toBe('newcomer');
    expect(joined.body.node.ownerId).toBe(joined.body.owner.id);
    const second = await invite<StartedPairing>('POST', '/v1/pairings', { body: startBody() });
    expect(
      (await invite('POST', '/v1/pairings/signup', signup(second.body.userCode, made.body.code))).status,
    ).toBe(403);
    const listed = await invite<{ invites: Record<string, unknown>[] }>('GET', '/v1/owner-invites', {
      token: h.adminToken,
    });
    expect(listed.body.invites[0]).toMatchObject({ id: made.body.id, usedByOwnerId: joined.body.owner.id });
    expect(JSON.stringify(listed.body)).not.toContain(made.body.code);

    const open = api({ accountPolicy: 'open' });
    expect((await open('POST', '/v1/pairings/signup', signup(second.body.userCode))).status).toBe(201);
  });

  it('serves the pairing page as constant HTML behind a strict CSP, and documents the routes', async () => {
    const res = await h.call('GET', '/pair?code=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(PAIR_PAGE_CSP);
    expect(PAIR_PAGE_CSP).toMatch(
      /^default-src 'none'; script-src 'sha256-[^ ]+'; style-src 'sha256-[^ ]+';/,
    );
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    expect(html).not.toContain('onerror');
    expect(html).not.toContain('innerHTML');
    const doc = (await (await h.call('GET', '/openapi.json')).json()) as { paths: Record<string, unknown> };
    for (const path of [
      '/v1/pairings',
      '/v1/pairings/token',
      '/v1/pairings/approve',
      '/v1/pairings/signup',
      '/v1/owner-invites',
      '/v1/account-policy',
    ])
      expect(doc.paths).toHaveProperty([path]);
  });
});
