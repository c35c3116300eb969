import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignStats } from '@gleaner/contracts';
import { waitFor } from '@gleaner/testkit';
import { startCrawlSystem, type CrawlSystem } from './crawl-system.js';
import { PullProxy } from './pull-proxy.js';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../apps/cli/dist/main.js');

interface Run {
  child: ChildProcess;
  exited: Promise<number | null>;
  stdout: () => string;
  stderr: () => string;
}

function gleaner(args: string[]): Run {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

/** Every file under `dir`, as `/`-separated paths relative to it. */
function walk(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? walk(dir, path.posix.join(prefix, entry.name))
      : [path.posix.join(prefix, entry.name)],
  );
}

describe('gleaner pull end to end', () => {
  let system: CrawlSystem;
  let proxy: PullProxy;
  let datasetId: string;
  let snapshot: { id: string; records: number; feedCursor: string; files: { path: string; bytes: number }[] };
  let key: string;
  let work: string;

  beforeAll(async () => {
    system = await startCrawlSystem('pglite', 2, 30);
    work = await mkdtemp(path.join(tmpdir(), 'gleaner-pull-e2e-'));
    const hosts = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'];
    const campaign = await system.api<{ id: string; datasetId: string }>(
      'POST',
      '/v1/campaigns',
      system.adminToken,
      {
        name: 'pull e2e',
        seeds: [system.site.seedUrl()],
        scope: { mode: 'hosts', hosts },
        maxPages: 10_000,
        maxDepth: 50,
        politeness: { minIntervalMs: 100, maxInFlight: 2 },
      },
    );
    expect(campaign.status).toBe(201);
    datasetId = campaign.body.datasetId;
    await waitFor(
      async () =>
        (await system.api<CampaignStats>('GET', `/v1/campaigns/${campaign.body.id}/stats`, system.adminToken))
          .body.status === 'completed',
      { timeoutMs: 240_000, intervalMs: 500, what: 'the crawl completed' },
    );
    const cut = await system.api<{ id: string }>(
      'POST',
      `/v1/datasets/${datasetId}/snapshots`,
      system.adminToken,
    );
    expect(cut.status).toBe(202);
    key = (
      await system.api<{ key: string }>('POST', '/v1/api-keys', system.adminToken, {
        name: 'pull e2e',
        scopes: ['datasets:read', 'raw:read'],
      })
    ).body.key;
    await waitFor(
      async () => {
        const read = await system.api<typeof snapshot & { state: string }>(
          'GET',
          `/v1/datasets/${datasetId}/snapshots/${cut.body.id}`,
          key,
        );
        snapshot = read.body;
        return read.body.state === 'published';
      },
      { timeoutMs: 120_000, intervalMs: 250, what: 'the snapshot published' },
    );
    proxy = new PullProxy(system.url);
    await proxy.start();
  }, 420_000);

  afterAll(async () => {
    await proxy?.stop();
    await system?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('survives kill -9 mid-download: the re-run fetches only what was missing, and the folder verifies', async () => {
    const out = path.join(work, 'snapshot');
    const args = [
      'pull',
      datasetId,
      '--coordinator',
      proxy.url,
      '--key',
      key,
      '--out',
      out,
      '--concurrency',
      '1',
    ];
    const total = snapshot.files.reduce((sum, f) => sum + f.bytes, 0);
    // Slow enough that the pull takes about 20 s, so there is a middle to kill it in.
    proxy.bytesPerSecond = Math.max(20_000, Math.floor(total / 20));
    const first = gleaner(args);
    const isFile = (r: { path: string }) => r.path.includes('/files/');
    await waitFor(
      () => {
        const files = proxy.requests.filter(isFile);
        const done = files.filter((r) => r.complete).length;
        const current = files.at(-1);
        // Freeze the transfers the moment it is so, to kill the pull with a file half sent.
        proxy.held = done >= 2 && current !== undefined && !current.complete && current.bytesSent > 4096;
        return proxy.held;
      },
      { timeoutMs: 60_000, intervalMs: 20, what: 'two files done and a third one under way' },
    );
    await new Promise((r) => setTimeout(r, 300));
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    const firstRun = proxy.requests.filter(isFile);
    const finished = firstRun.filter((r) => r.complete).map((r) => r.path.split('/files/')[1]!);
    const cut = firstRun.at(-1)!.path.split('/files/')[1]!;
    expect(finished.length).toBeGreaterThanOrEqual(2);
    expect(finished).not.toContain(cut);
    const partialBytes = (await stat(path.join(out, `${cut}.partial`))).size;
    expect(partialBytes).toBeGreaterThan(0);
    expect(partialBytes).toBeLessThan(snapshot.files.find((f) => f.path === cut)!.bytes);

    proxy.held = false;
    proxy.bytesPerSecond = 0;
    proxy.requests.length = 0;
    const second = gleaner(args);
    expect(await second.exited, second.stderr()).toBe(0);
    expect(second.stdout()).toContain(`verified: ${snapshot.records.toLocaleString('en-US')} records`);
    for (const file of finished) expect(proxy.fileRequests(file), file).toHaveLength(0);
    expect(proxy.fileRequests(cut)).toEqual([
      expect.objectContaining({ range: `bytes=${partialBytes}-`, status: 206, complete: true }),
    ]);
    const rest = snapshot.files.filter((f) => !finished.includes(f.path) && f.path !== cut);
    for (const file of rest) expect(proxy.fileRequests(file.path), file.path).toHaveLength(1);
    expect(walk(out).sort()).toEqual(snapshot.files.map((f) => f.path).sort());
    // Plain progress lines on a pipe: bytes, files and an ETA.
    expect(second.stderr()).toMatch(/ \/ .* \d+\/\d+ files .*\/s +ETA /);

    const signer = await system.api<{ publicKey: string }>('GET', '/v1/signing-key', system.adminToken);
    const pem = path.join(work, 'coordinator.pem');
    await writeFile(pem, signer.body.publicKey);
    const verify = gleaner(['verify', out, '--signer-key', pem]);
    expect(await verify.exited, verify.stderr()).toBe(0);
    expect(verify.stdout()).toContain(`OK ${snapshot.id}`);
  });

  it('follows the feed into shards; a re-run adds nothing; the snapshot cursor continues after the snapshot', async () => {
    const out = path.join(work, 'feed');
    const args = ['pull', datasetId, '--feed', '--coordinator', proxy.url, '--key', key, '--out', out];
    const first = gleaner([...args, '--shard-lines', '40']);
    expect(await first.exited, first.stderr()).toBe(0);
    const again = gleaner(args);
    expect(await again.exited, again.stderr()).toBe(0);
    expect(again.stdout()).toContain(': 0 new lines this run;');
    const shards = readdirSync(out).filter((f) => f.endsWith('.jsonl.gz'));
    expect(shards.length).toBeGreaterThanOrEqual(2);
    const lines = shards.flatMap((f) =>
      gunzipSync(readFileSync(path.join(out, f)))
        .toString('utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; id: string }),
    );
    const records = new Set(lines.filter((l) => l.type === 'record').map((l) => l.id));
    expect(records.size).toBe(lines.length);
    expect(records.size).toBe(snapshot.records);
    const after = await system.api<string>(
      'GET',
      `/v1/datasets/${datasetId}/records?cursor=${encodeURIComponent(snapshot.feedCursor)}`,
      key,
    );
    expect(after.status).toBe(200);
    expect(after.body).toBe('');
  });
});
