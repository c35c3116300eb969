import type { Earnings, Leaderboard, OwnerToken } from '@gleaner/contracts';
import { PointsStore, pointsLedger, TrustStore } from '@gleaner/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './api-test-harness.js';

describe('earnings routes', () => {
  let h: ApiHarness;
  let points: PointsStore;
  let ada: { id: string; token: string; node: string };
  let bob: { id: string; token: string; node: string };
  beforeAll(async () => {
    h = await startApiHarness();
    points = new PointsStore(h.database.db);
    const make = async (name: string) => {
      const { owner, token } = await h.deps.accounts.createOwner(name);
      return { id: owner.id, token, node: (await h.deps.accounts.createNode(owner.id, 'pem', name)).id };
    };
    ada = await make('ada');
    bob = await make('bob');
    const credit = (who: typeof ada, recordId: string, campaignId: string) =>
      h.database.db.insert(pointsLedger).values({
        ownerId: who.id,
        nodeId: who.node,
        recordId,
        campaignId,
        points: 1,
        reason: 'record-accepted',
      });
    for (let i = 0; i < 4; i++) await credit(ada, `rec_a${i}`, i < 2 ? 'cmp_1' : 'cmp_2');
    await credit(bob, 'rec_b0', 'cmp_1');
    await points.settle(ada.node, new Date(), 7);
    await points.reverse('rec_a0', 'record withdrawn', 8);
    await points.settle(bob.node, new Date(), 7);
  });
  afterAll(async () => {
    await h.close();
  });

  it("shows the caller's earnings by day, epoch, campaign and node, with totals that add up", async () => {
    expect((await h.call('GET', '/v1/me/earnings')).status).toBe(401);
    expect((await h.call('GET', '/v1/me/earnings', { token: h.adminToken })).status).toBe(401);
    expect((await h.call('GET', '/v1/me/earnings?days=0', { token: ada.token })).status).toBe(400);
    const res = await h.call('GET', '/v1/me/earnings?days=7', { token: ada.token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Earnings;
    expect(body.totals).toEqual({
      credited: 4,
      pending: 0,
      settled: 4,
      voided: 0,
      reversed: -1,
      balance: 3,
    });
    const { totals } = body;
    expect(totals.settled + totals.pending + totals.voided).toBe(totals.credited);
    const today = new Date().toISOString().slice(0, 10);
    expect(body.since).toBe(new Date(Date.parse(`${today}T00:00:00Z`) - 6 * 86_400_000).toISOString());
    expect(body.rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          day: today,
          epochId: 7,
          campaignId: 'cmp_1',
          nodeId: ada.node,
          settled: 2,
        }),
        expect.objectContaining({ epochId: 7, campaignId: 'cmp_2', settled: 2, credited: 2 }),
        expect.objectContaining({ epochId: 8, campaignId: 'cmp_1', reversed: -1, credited: 0 }),
      ]),
    );
    for (const row of body.rows) expect(row.settled + row.pending + row.voided).toBe(row.credited);
    expect(JSON.stringify(body)).not.toContain(bob.node);
  });

  it('opts in and out of the leaderboard, which shows display names only', async () => {
    expect((await h.call('PUT', '/v1/me/profile', { body: { displayName: 'Ada' } })).status).toBe(401);
    expect(
      (await h.call('PUT', '/v1/me/profile', { token: ada.token, body: { displayName: '' } })).status,
    ).toBe(400);
    expect(
      (await h.call('PUT', '/v1/me/profile', { token: ada.token, body: { displayName: 'a\u0007' } })).status,
    ).toBe(400);
    const set = await h.call('PUT', '/v1/me/profile', {
      token: ada.token,
      body: { displayName: ' Ada L. ' },
    });
    expect(await set.json()).toEqual({ displayName: 'Ada L.' });
    await h.call('PUT', '/v1/me/profile', { token: bob.token, body: { displayName: 'Bob' } });

    const board = await h.call('GET', '/v1/leaderboard');
    expect(board.status).toBe(200);
    const text = await board.text();
    expect(JSON.parse(text) as Leaderboard).toEqual({
      entries: [
        { rank: 1, displayName: 'Ada L.', points: 3 },
        { rank: 2, displayName: 'Bob', points: 1 },
      ],
    });
    expect(text).not.toContain(ada.id);
    expect(text).not.toContain(bob.id);

    await h.call('PUT', '/v1/me/profile', { token: bob.token, body: { displayName: null } });
    expect(((await (await h.call('GET', '/v1/leaderboard')).json()) as Leaderboard).entries).toHaveLength(1);

    // A banned owner is off the board and may not join it again.
    await new TrustStore(h.database.db).setOwnerBan(ada.id, 'farm');
    expect(((await (await h.call('GET', '/v1/leaderboard')).json()) as Leaderboard).entries).toEqual([]);
    const refused = await h.call('PUT', '/v1/me/profile', { token: ada.token, body: { displayName: 'Ada' } });
    expect(refused.status).toBe(403);
    expect(
      (await h.call('PUT', '/v1/me/profile', { token: ada.token, body: { displayName: null } })).status,
    ).toBe(200);
    await new TrustStore(h.database.db).setOwnerBan(ada.id, null);
  });

  it('rotates the owner token (the old one stops at once) and revokes it', async () => {
    expect((await h.call('POST', '/v1/me/token')).status).toBe(401);
    const res = await h.call('POST', '/v1/me/token', { token: bob.token });
    expect(res.status).toBe(201);
    const { token, ownerId } = (await res.json()) as OwnerToken;
    expect(ownerId).toBe(bob.id);
    expect(token).not.toBe(bob.token);
    expect((await h.call('GET', '/v1/me', { token: bob.token })).status).toBe(401);
    expect((await h.call('GET', '/v1/me', { token })).status).toBe(200);

    expect((await h.call('DELETE', '/v1/me/token', { token: bob.token })).status).toBe(401);
    expect((await h.call('DELETE', '/v1/me/token', { token })).status).toBe(204);
    expect((await h.call('GET', '/v1/me', { token })).status).toBe(401);
    expect((await h.call('POST', '/v1/me/token', { token })).status).toBe(401);

    // The way back: an admin issues a new token.
    const issued = await h.call('POST', `/v1/admin/owners/${bob.id}/token`, { token: h.adminToken });
    const next = ((await issued.json()) as OwnerToken).token;
    expect((await h.call('GET', '/v1/me', { token: next })).status).toBe(200);
  });
});
