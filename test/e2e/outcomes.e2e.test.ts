import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignStats as Stats } from '@gleaner/contracts';
import {
  fetchesOf,
  isOutcomeEntry,
  OutcomeWatcher,
  readFetchLog,
  type OutcomeLogEntry,
} from '@gleaner/node-core';
import { waitFor } from '@gleaner/testkit';
import { startCrawlSystem, type CrawlSystem } from './crawl-system.js';

/**
 * A real crawl (coordinator, worker and two nodes as processes, PGlite): what each node's owner is told about every
 * fetch matches the database, and the running node writes outcome lines into its own fetch log.
 */
describe('outcomes of a crawl, as contributors see them', () => {
  let system: CrawlSystem;
  let campaignId: string;
  const hosts = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'];

  beforeAll(async () => {
    system = await startCrawlSystem('pglite', 2, 12);
    const created = await system.api<{ id: string }>('POST', '/v1/campaigns', system.adminToken, {
      name: 'outcomes e2e',
      seeds: [system.site.seedUrl()],
      scope: { mode: 'hosts', hosts },
      maxPages: 10_000,
      maxDepth: 100,
      politeness: { minIntervalMs: 200, maxInFlight: 2 },
    });
    expect(created.status).toBe(201);
    campaignId = created.body.id;
    await waitFor(
      async () =>
        (await system.api<Stats>('GET', `/v1/campaigns/${campaignId}/stats`, system.adminToken)).body
          .status === 'completed',
      { timeoutMs: 240_000, intervalMs: 500, what: 'completion' },
    );
  }, 300_000);

  afterAll(async () => {
    await system?.stop();
  }, 60_000);

  const nodeDir = (index: number) => path.join(system.dir, `node-${index}`);

  async function nodeIdOf(index: number): Promise<string> {
    const file = (await readdir(nodeDir(index))).find((f) => f.startsWith('identity-'))!;
    return (JSON.parse(await readFile(path.join(nodeDir(index), file), 'utf8')) as { nodeId: string }).nodeId;
  }

  it('tells each owner what became of every page their node fetched, as the database holds it', async () => {
    const told: OutcomeLogEntry[] = [];
    for (const index of [0, 1]) {
      const nodeId = await nodeIdOf(index);
      const lines: OutcomeLogEntry[] = [];
      const watcher = new OutcomeWatcher({
        coordinatorUrl: system.url,
        ownerToken: system.owners[index]!.token,
        nodeId,
        append: (line) => {
          lines.push(line);
          return Promise.resolve();
        },
        askUrlAfterMs: 0,
      });
      const fetches = fetchesOf(await readFetchLog(nodeDir(index), 10_000)).filter(
        (f) => f.campaignId === campaignId,
      );
      watcher.resume(fetches);
      // Twice: a URL done without an outcome of this node's is told on the second look.
      await watcher.poll();
      await watcher.poll();
      expect(watcher.lastError).toBeUndefined();

      const { rows: records } = await system.db.pool.query<{ id: string; job_id: string }>(
        `select id, provenance->>'jobId' as job_id from records where node_id = $1 and campaign_id = $2`,
        [nodeId, campaignId],
      );
      expect(records.length).toBeGreaterThan(0);
      told.push(...lines);
      const byJob = new Map(lines.map((l) => [l.jobId, l]));
      for (const record of records) {
        expect(byJob.get(record.job_id)).toMatchObject({
          outcome: 'record',
          recordId: record.id,
          points: 1,
          pointsStatus: 'pending',
        });
      }
      const { rows: dups } = await system.db.pool.query<{ job_id: string }>(
        `select provenance->>'jobId' as job_id from duplicates where node_id = $1 and campaign_id = $2`,
        [nodeId, campaignId],
      );
      for (const dup of dups)
        expect(byJob.get(dup.job_id)).toMatchObject({ outcome: 'duplicate', points: 0 });

      // Every page the node fetched without an error of its own has its outcome; a 404 it fetched is a failure
      // with its code and status, as the URL's row says.
      const { rows: urls } = await system.db.pool.query<{
        url: string;
        state: string;
        error_code: string | null;
      }>('select url, state, error_code from urls where campaign_id = $1', [campaignId]);
      const urlState = new Map(urls.map((u) => [u.url, u]));
      const pages = fetches.filter((f) => f.errorCode === undefined && urlState.has(f.url));
      expect(pages.length).toBeGreaterThanOrEqual(records.length);
      for (const page of pages) {
        const answer = byJob.get(page.jobId);
        expect(answer, `${page.url} (${urlState.get(page.url)!.state})`).toBeDefined();
        if (page.status === 404 && urlState.get(page.url)!.state === 'failed') {
          expect(answer).toMatchObject({ outcome: 'failed', errorCode: 'HTTP_ERROR', httpStatus: 404 });
        }
      }
    }
    // The sample site's 404s are among them, told as failures with their code.
    expect(told.filter((l) => l.outcome === 'failed' && l.errorCode === 'HTTP_ERROR').length).toBeGreaterThan(
      0,
    );
  });

  it('refuses another owner asking about a node', async () => {
    const nodeId = await nodeIdOf(0);
    const res = await system.api('GET', `/v1/me/nodes/${nodeId}/outcomes`, system.owners[1]!.token);
    expect(res.status).toBe(404);
  });

  it("writes outcome lines into the running node's own fetch log", async () => {
    // The node asks every minute; its first look came at start, before any record.
    await waitFor(
      async () =>
        (await readFetchLog(nodeDir(0), 10_000)).some((l) => isOutcomeEntry(l) && l.outcome === 'record'),
      { timeoutMs: 150_000, intervalMs: 1000, what: 'an outcome line in the fetch log' },
    );
  }, 160_000);
});
