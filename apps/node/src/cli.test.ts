import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestGateway, TestSite, testJob } from '@gleaner/node-core/testing';

const MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.ts');
const NODE_ARGS = ['--conditions=source', '--import', 'tsx', MAIN];
const OWNER_TOKEN = 'gow_owner_token_from_stdin_9f8e7d';

describe('gleaner-node CLI (real processes)', () => {
  let dir: string;
  let env: Record<string, string | undefined>;
  let gateway: TestGateway;
  let site: TestSite;
  let child: ChildProcess | undefined;

  const run = (...args: string[]) => runWithInput(undefined, ...args);
  const runWithInput = (input: string | undefined, ...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const proc = execFile(
        process.execPath,
        [...NODE_ARGS, ...args],
        { env, timeout: 30_000 },
        (error, stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
      proc.stdin?.end(input ?? '');
    });

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'gleaner-cli-'));
    env = {
      PATH: process.env.PATH,
      HOME: dir,
      XDG_CONFIG_HOME: path.join(dir, 'xdg'),
      GLEANER_NODE_DIR: path.join(dir, 'data'),
    };
    [gateway, site] = await Promise.all([TestGateway.start(5), TestSite.start()]);
  });
  afterEach(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
    }
    await Promise.all([gateway.close(), site.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('config: writes the file and shows where each value comes from', async () => {
    expect((await run('config', 'set', 'bandwidth', '512KiB')).code).toBe(0);
    expect((await run('config', 'set', 'speed', '1')).stderr).toMatch(/unknown setting "speed"/);
    env.GLEANER_NODE_CONCURRENCY = '3';
    const shown = await run('config', '--daily-quota', '1GiB');
    expect(shown.stdout).toContain(path.join(dir, 'xdg', 'gleaner-node', 'config.json'));
    expect(shown.stdout).toMatch(/bandwidth\s+512\.0 KiB\/s\s+file/);
    expect(shown.stdout).toMatch(/concurrency\s+3\s+env GLEANER_NODE_CONCURRENCY/);
    expect(shown.stdout).toMatch(/dailyQuota\s+1\.0 GiB\s+flag --daily-quota/);
    expect(shown.stdout).toMatch(/statusPort\s+7310\s+default/);
  });

  it('token: refused as a flag or a config set argument, with where to put it; taken from standard input', async () => {
    for (const args of [
      ['start', '--coordinator', gateway.url, '--token', 'gow_in_argv'],
      ['start', '--coordinator', gateway.url, '--token=gow_in_argv'],
      ['status', '--token', 'gow_in_argv'],
    ]) {
      const refused = await run(...args);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        '--token is not accepted: other users of this machine can read command lines',
      );
      expect(refused.stderr).toContain('GLEANER_OWNER_TOKEN');
      expect(refused.stderr).toContain('config set token -');
      expect(refused.stderr).toContain('--token-stdin');
    }
    const inArgv = await run('config', 'set', 'token', 'gow_in_argv');
    expect(inArgv.code).toBe(1);
    expect(inArgv.stderr).toContain('token is not taken from the command line');
    const missing = await run('start', '--coordinator', gateway.url);
    expect(missing.stderr).toContain('no owner token: pair the node by code');

    expect((await runWithInput('gow_from_stdin_0123456789\n', 'config', 'set', 'token', '-')).code).toBe(0);
    const shown = await run('config');
    expect(shown.stdout).toMatch(/token\s+gow_…\s+file/);
    expect(shown.stdout).not.toContain('gow_from_stdin');
  });

  it('fetch: one fetch through the node guard, with its error code when refused', async () => {
    const ok = await run('fetch', site.page(1234), '--allow-private', '--allow-ports', String(site.port));
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Status\s+200/);
    expect(ok.stdout).toMatch(/Bytes\s+1\.2 KiB \(1234 B\)/);
    const refused = await run('fetch', site.page(10), '--allow-ports', String(site.port));
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/Error\s+BLOCKED_ADDRESS/);
  });

  it('start, status, pause, resume, log, and a clean stop', async () => {
    child = spawn(
      process.execPath,
      [
        ...NODE_ARGS,
        'start',
        '--coordinator',
        gateway.url,
        '--token-stdin',
        '--allow-private',
        '--allow-ports',
        String(site.port),
        '--status-port',
        '0',
        '--log-level',
        'warn',
      ],
      { env, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    child.stdin?.end(`${OWNER_TOKEN}\n`);
    let stdout = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
    await expect.poll(() => stdout, { timeout: 30_000 }).toContain('"event":"status-page"');
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>)
      .filter((l) => l.event !== undefined);
    expect(lines[0]).toEqual({ event: 'started', nodeId: 'node-test' });
    expect(lines[1]?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?key=/);
    const { origin, searchParams } = new URL(lines[1]!.url!);
    for (const route of ['/api/status', '/api/settings']) {
      const res = await fetch(`${origin}${route}`, {
        headers: { 'x-gleaner-key': searchParams.get('key')! },
      });
      expect(res.status).toBe(200);
      const body = await res.text();
      expect(body).not.toContain(OWNER_TOKEN);
      expect(body).not.toContain('token');
    }
    const settings = (await (
      await fetch(`${origin}/api/settings`, { headers: { 'x-gleaner-key': searchParams.get('key')! } })
    ).json()) as Record<string, unknown>;
    expect(Object.keys(settings).sort()).toEqual([
      'activeHours',
      'bandwidth',
      'concurrency',
      'dailyQuota',
      'deny',
    ]);

    gateway.enqueue(testJob(site.page(700), 'a'), testJob(site.page(800), 'b'));
    await expect.poll(() => gateway.results.length, { timeout: 10_000 }).toBe(2);
    const status = await run('status');
    expect(status.stdout).toMatch(/Connection\s+connected/);
    expect(status.stdout).toMatch(/Points\s+5/);
    expect((await run('pause')).stdout).toMatch(/Working\s+paused \(owner\)/);
    expect(gateway.paused).toBe(true);
    expect((await run('resume')).stdout).toContain('Resumed.');
    const log = await run('log', '--lines', '5');
    expect(log.stdout).toMatch(/^TIME\s+RESULT\s+BYTES/);
    expect(log.stdout).toContain(site.page(700));

    child.kill('SIGTERM');
    const code = await new Promise((resolve) => child?.once('exit', resolve));
    expect(code).toBe(0);
    expect(existsSync(path.join(dir, 'data', 'status-server.json'))).toBe(false);
  }, 60_000);
});
