import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '@gleaner/core';
import { LocalBlobStore, rawBodyKey } from '@gleaner/blob-store';
import { AccountStore, CampaignStore, RecordStore, TrustStore, UrlStore, type Database } from '@gleaner/db';
import { GleanerQueues, type ProcessJobData } from '@gleaner/queue';
import { startPipelineTestServices, type PipelineTestServices } from './pipeline-test-services.js';
import { Verifier } from './verifier.js';

/** Texts that share no three-word run: a page and a page invented in its place. */
const TEXTS: Record<string, string[]> = {
  harbour: [
    'The harbour master logged eleven trawlers before dawn.',
    'Gulls followed the last boat past the breakwater while ice was loaded onto the quay.',
    'By noon the auction hall had sold every crate of mackerel and most of the crab.',
    'Prices held steady despite the storm warnings issued for the weekend.',
    'Repairs to the northern pier are expected to finish before the spring tides arrive.',
  ],
  railway: [
    'A narrow gauge railway climbs the valley in three hours.',
    'Its engines were rebuilt by volunteers who spent six winters restoring boilers and brakes.',
    'Passengers can stop at the old slate quarry, where a museum explains how roofing was cut.',
    'Timetables change in autumn, when fewer trains run and the cafe closes early.',
    'Tickets bought online include a guided walk along the viaduct on Saturdays.',
  ],
};
const prose = (topic: string) => TEXTS[topic]!.map((line) => `<p>${line}</p>`).join('\n');
const html = (topic: string) => `<html><body><article>${prose(topic)}</article></body></html>`;

/**
 * The Verifier against real PGlite, Redis and a blob folder: votes are cast as the worker casts them, and what they
 * do to a node is read back from its row.
 */
describe('Verifier: redundant fetches and their votes', () => {
  let services: PipelineTestServices;
  let database: Database;
  let queues: GleanerQueues;
  let blobs: LocalBlobStore;
  let trust: TrustStore;

  beforeAll(async () => {
    services = await startPipelineTestServices('verifier');
    ({ database, queues, blobs } = services);
    trust = new TrustStore(database.db);
  });
  afterAll(async () => {
    await services.stop();
  });

  async function network() {
    const accounts = new AccountStore(database.db);
    const node = async (name: string) => {
      const { owner } = await accounts.createOwner(`${name}-owner`);
      const row = await accounts.createNode(owner.id, `key-${name}-${randomUUID()}`, name);
      return { nodeId: row.id, ownerId: owner.id, network: `10.${name.length}.${randomUUID().length}.0/24` };
    };
    const campaign = await new CampaignStore(database.db).create('verify', {
      seeds: ['http://site.test/'],
      scope: { mode: 'same-host', hosts: [] },
      include: [],
      exclude: [],
      maxPages: 100,
      maxDepth: 0,
      render: 'never',
    });
    const urls = new UrlStore(database.db);
    const records = new RecordStore(database.db);
    const verifier = new Verifier({ trust, queues, blobs, random: () => 0 });

    const fetched = async (
      who: { nodeId: string; ownerId: string; network: string },
      url: string,
      urlId: number,
      body: string,
      verificationId?: string,
    ): Promise<ProcessJobData> => {
      const bytes = Buffer.from(body);
      const bodySha256 = sha256Hex(bytes);
      await blobs.put(rawBodyKey(bodySha256), bytes);
      return {
        campaignId: campaign.id,
        urlId,
        url,
        depth: 0,
        finalUrl: url,
        status: 200,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        bodySha256,
        bodyBytes: bytes.length,
        blobKey: rawBodyKey(bodySha256),
        ...who,
        fetchedAt: new Date().toISOString(),
        ...(verificationId ? { kind: 'verify' as const, verificationId } : {}),
      };
    };

    /** A page of `original`'s that became a record, and the vote the verifier opened on it. */
    const recordOf = async (original: Awaited<ReturnType<typeof node>>, pathName: string, topic: string) => {
      const url = `http://site.test${pathName}`;
      const [row] = await urls.admit(campaign.id, [
        { url, urlHash: sha256Hex(url).slice(0, 32), host: 'site.test', depth: 0 },
      ]);
      const data = await fetched(original, url, row!.id, html(topic));
      const text = prose(topic).replace(/<\/?p>/g, '');
      const outcome = await records.accept({
        campaignId: campaign.id,
        datasetId: campaign.datasetId,
        urlId: row!.id,
        url,
        finalUrl: url,
        host: 'site.test',
        status: 200,
        contentType: 'text/html',
        bodySha256: data.bodySha256,
        blobKey: data.blobKey,
        nodeId: original.nodeId,
        ownerId: original.ownerId,
        fetchedAt: new Date(data.fetchedAt),
        title: topic,
        text,
        markdown: text,
        language: 'en',
        textHash: sha256Hex(`${url} ${text}`),
        metadata: {},
      });
      if (outcome.kind !== 'accepted') throw new Error(`not accepted: ${outcome.kind}`);
      const { recordId } = outcome;
      expect(await verifier.afterRecord(data, recordId)).toBe(true);
      const [vote] = (
        await database.pool.query<{ id: string }>('select id from verifications where record_id = $1', [
          recordId,
        ])
      ).rows;
      return { url, urlId: row!.id, verificationId: vote!.id };
    };

    return { node, fetched, recordOf, verifier };
  }

  const nodeRow = async (nodeId: string) =>
    (
      await database.pool.query<{ standing: string; outvotes: number; ban_reason: string | null }>(
        'select standing, outvotes, ban_reason from nodes where id = $1',
        [nodeId],
      )
    ).rows[0]!;

  it('takes one lost vote as evidence, and bans a node that loses votes on two distinct URLs', async () => {
    const { node, fetched, recordOf, verifier } = await network();
    const suspect = await node('suspect');
    const first = await node('first');
    const second = await node('second');

    // Two other owners' nodes find the same page, unlike the suspect's.
    const lose = async (pathName: string) => {
      const before = (await nodeRow(suspect.nodeId)).standing;
      const vote = await recordOf(suspect, pathName, 'harbour');
      const a = await fetched(first, vote.url, 0, html('railway'), vote.verificationId);
      expect((await verifier.takeFetch(a))?.kind).toBe('needs-tiebreak');
      // A doubt weighs nothing until the tie-break: the suspect stands where it stood.
      expect((await nodeRow(suspect.nodeId)).standing).toBe(before);
      const b = await fetched(second, vote.url, 0, html('railway'), vote.verificationId);
      expect(await verifier.takeFetch(b)).toEqual({
        kind: 'decided',
        upheld: [first.nodeId, second.nodeId],
        outvoted: [suspect.nodeId],
      });
    };

    await lose('/one');
    const afterOne = await nodeRow(suspect.nodeId);
    expect(afterOne.outvotes).toBe(1);
    // A young node that lost a vote only does verification work until its checks outweigh the loss.
    expect(afterOne.standing).toBe('quarantined');
    expect(await queues.settle.getJob(`ban-${suspect.nodeId}`)).toBeUndefined();

    await lose('/two');
    const afterTwo = await nodeRow(suspect.nodeId);
    expect(afterTwo.outvotes).toBe(2);
    expect(afterTwo.standing).toBe('banned');
    expect(afterTwo.ban_reason).toMatch(/2 URLs/);
    expect((await queues.settle.getJob(`ban-${suspect.nodeId}`))?.data).toMatchObject({ kind: 'ban' });
    // The nodes that agreed passed a check each time, and were never doubted into quarantine.
    for (const honest of [first, second]) expect((await nodeRow(honest.nodeId)).standing).toBe('probation');
  });

  it('clears the count of lost votes when an admin lifts the ban', async () => {
    const { node } = await network();
    const lifted = await node('lifted');
    await database.pool.query(
      "update nodes set standing = 'banned', banned_at = now(), ban_reason = 'x', outvotes = 2, last_outvoted_url = 'http://site.test/x', checks_at_outvote = 3 where id = $1",
      [lifted.nodeId],
    );
    expect(await trust.unban(lifted.nodeId)).toBe(true);
    const row = (
      await database.pool.query(
        'select standing, outvotes, last_outvoted_url, checks_at_outvote from nodes where id = $1',
        [lifted.nodeId],
      )
    ).rows[0];
    expect(row).toEqual({
      standing: 'probation',
      outvotes: 0,
      last_outvoted_url: null,
      checks_at_outvote: null,
    });
  });
});
