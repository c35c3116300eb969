import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceProcess, type ServiceProcess } from '@gleaner/supervisor';
import { waitFor } from '@gleaner/testkit';
import { launchTestChromium } from '@gleaner/testkit/chromium';
import { entry, startCrawlSystem, type CrawlSystem } from './crawl-system.js';

/** Seconds a pairing code lives here: long enough to approve at once, short enough to watch one expire. */
const TTL_SECONDS = 20;

/**
 * Pairing by code with real processes (coordinator, worker, `gleaner-node pair` and `start`, PGlite, redis-server) and
 * the real pairing page in Chromium: the owner's token goes into the page only, never into a node process.
 */
describe('pairing a node by code', () => {
  let system: CrawlSystem;
  let browser: Browser;
  let owner: { id: string; token: string };
  const processes: ServiceProcess[] = [];
  // A node's environment: the test runner's, without any owner token.
  const nodeEnv = () => {
    const env: Record<string, string | undefined> = { ...process.env, GLEANER_LOG_LEVEL: 'info' };
    delete env.GLEANER_OWNER_TOKEN;
    return env;
  };

  beforeAll(async () => {
    system = await startCrawlSystem('pglite', 0, 6, {
      env: () => ({
        GLEANER_PAIRING_TTL_SECONDS: String(TTL_SECONDS),
        GLEANER_PAIRING_INTERVAL_SECONDS: '1',
        GLEANER_PAIRING_MAX_WRONG_CODES: '5',
      }),
    });
    browser = await launchTestChromium();
    const created = await system.api<{ id: string; token: string }>('POST', '/v1/owners', system.adminToken, {
      name: 'pairing owner',
    });
    owner = created.body;
  }, 180_000);

  afterAll(async () => {
    for (const p of processes.reverse()) await p.stop(5000);
    await browser?.close();
    await system?.stop();
  }, 60_000);

  const configOf = (name: string) => path.join(system.dir, `${name}.json`);
  const dataDirOf = (name: string) => path.join(system.dir, `data-${name}`);
  async function pair(name: string) {
    const proc = await startServiceProcess(
      `pair-${name}`,
      entry('node'),
      ['pair', system.url, '--data-dir', dataDirOf(name), '--name', name, '--config', configOf(name)],
      nodeEnv(),
      system.logDir,
    );
    processes.push(proc);
    const exited = new Promise<number | null>((resolve) => {
      if (proc.child.exitCode !== null) resolve(proc.child.exitCode);
      else proc.child.once('exit', (code) => resolve(code));
    });
    const code = (await proc.waitForEvent('pairing-code')) as { userCode: string; link: string };
    return { proc, code, exited };
  }
  /** What a process was started with and runs in: its command line and environment, as `ps` and /proc show them. */
  const visible = async (pid: number) =>
    (await readFile(`/proc/${pid}/cmdline`, 'utf8')) + (await readFile(`/proc/${pid}/environ`, 'utf8'));

  it('pairs a node approved on the page, which then connects and fetches without the owner token', async () => {
    const { proc, code, exited } = await pair('paired');
    expect(code.userCode).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    expect(code.link).toBe(`${system.url}/pair?code=${code.userCode}`);
    expect(await visible(proc.child.pid!)).not.toContain(owner.token);

    // The owner, on the pairing page, signs in with their token and approves.
    const page = await browser.newPage();
    await page.goto(code.link);
    expect(await page.inputValue('#code')).toBe(code.userCode);
    // The code left the address bar once read.
    expect(page.url()).toBe(`${system.url}/pair`);
    await page.fill('#owner-token', owner.token);
    await page.click('#approve-form button');
    await page.waitForFunction(() => document.querySelector('#result')?.className === 'ok');
    expect(await page.textContent('#result')).toContain('"paired"');
    await page.close();

    const paired = (await proc.waitForEvent('paired', 30_000)) as { nodeId: string; ownerId: string };
    expect(await exited).toBe(0);
    expect(paired.ownerId).toBe(owner.id);
    const config = JSON.parse(await readFile(configOf('paired'), 'utf8')) as Record<string, string>;
    expect(config.coordinator).toBe(system.url);
    expect(config.token).toMatch(/^gow_/);
    expect(config.token).not.toBe(owner.token);
    expect((await stat(configOf('paired'))).mode & 0o777).toBe(0o600);
    // Logs and output never carry a token.
    const log = await readFile(proc.logFile, 'utf8');
    expect(log).not.toContain(config.token);
    expect(await readFile(system.coordinator.logFile, 'utf8')).not.toContain(config.token);

    // The same code again: refused.
    const again = await system.api('POST', '/v1/pairings/approve', owner.token, { userCode: code.userCode });
    expect(again.status).toBe(404);

    const node = await startServiceProcess(
      'node-paired',
      entry('node'),
      [
        'start',
        '--config',
        configOf('paired'),
        '--data-dir',
        dataDirOf('paired'),
        '--allow-private',
        '--allow-ports',
        String(system.site.port),
      ],
      nodeEnv(),
      system.logDir,
    );
    processes.push(node);
    const started = await node.waitForEvent('started');
    expect(started.nodeId).toBe(paired.nodeId);
    const seen = await visible(node.child.pid!);
    expect(seen).not.toContain(owner.token);
    expect(seen).not.toContain(config.token);

    const campaign = await system.api<{ id: string }>('POST', '/v1/campaigns', system.adminToken, {
      name: 'pairing e2e',
      seeds: [system.site.seedUrl()],
      scope: { mode: 'hosts', hosts: ['127.0.0.2'] },
      maxPages: 4,
      politeness: { minIntervalMs: 100, maxInFlight: 2 },
    });
    expect(campaign.status).toBe(201);
    await waitFor(
      async () => {
        const { rows } = await system.db.pool.query<{ count: number }>(
          'select count(*)::int as count from records where node_id = $1',
          [paired.nodeId],
        );
        return rows[0]!.count > 0;
      },
      { timeoutMs: 120_000, intervalMs: 500, what: 'a record fetched by the paired node' },
    );
  }, 240_000);

  it(
    'refuses an expired code, and tells the waiting node so',
    async () => {
      const { proc, code, exited } = await pair('late');
      expect(await exited).toBe(1);
      expect(await readFile(proc.logFile, 'utf8')).toContain('the code expired before it was approved');
      const late = await system.api('POST', '/v1/pairings/approve', owner.token, { userCode: code.userCode });
      expect(late.status).toBe(404);
    },
    (TTL_SECONDS + 30) * 1000,
  );

  it('refuses wrong codes, and an address that keeps guessing gets 429 even for a right one', async () => {
    const { proc, code } = await pair('guessed');
    // The earlier tests' refused codes count too: guess until refused.
    const statuses: number[] = [];
    for (const userCode of ['AAAA-AAAA', 'BBBB-BBBB', 'CCCC-CCCC', 'DDDD-DDDD', 'EEEE-EEEE', 'FFFF-FFFF']) {
      const wrong = await system.api('POST', '/v1/pairings/approve', owner.token, { userCode });
      statuses.push(wrong.status);
      if (wrong.status === 429) break;
    }
    expect(statuses[0]).toBe(404);
    expect(statuses.at(-1)).toBe(429);
    const right = await system.api('POST', '/v1/pairings/approve', owner.token, { userCode: code.userCode });
    expect(right.status).toBe(429);
    await proc.stop(5000);
  }, 60_000);
});
