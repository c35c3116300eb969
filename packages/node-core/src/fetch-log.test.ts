import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FetchLog,
  fetchesOf,
  fetchLogFile,
  followFetchLog,
  readFetchLog,
  type FetchLogEntry,
} from './fetch-log.js';

const entry = (i: number): FetchLogEntry => ({
  time: new Date(1_700_000_000_000 + i).toISOString(),
  url: `https://example.com/${i}`,
  finalUrl: `https://example.com/${i}`,
  campaignId: 'c1',
  jobId: `j${i}`,
  status: 200,
  bytes: i,
  totalMs: 5,
});

describe('FetchLog', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fetch-log-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('rotates and stays bounded, keeping the newest entries', async () => {
    const log = new FetchLog({ dir, maxFileBytes: 2000, maxFiles: 3 });
    for (let i = 0; i < 200; i++) await log.append(entry(i));
    const files = (await readdir(dir)).sort();
    expect(files).toEqual(['fetch-log.1.jsonl', 'fetch-log.2.jsonl', 'fetch-log.jsonl']);
    for (const file of files) expect((await stat(path.join(dir, file))).size).toBeLessThanOrEqual(2000);
    const last = await readFetchLog(dir, 5, 3);
    expect(last.map((e) => e.jobId)).toEqual(['j195', 'j196', 'j197', 'j198', 'j199']);
    const all = fetchesOf(await readFetchLog(dir, 1000, 3));
    expect(all.length).toBeLessThan(200);
    expect(all.at(-1)?.jobId).toBe('j199');
    expect(all.map((e) => e.bytes)).toEqual([...all.map((e) => e.bytes)].sort((a, b) => a - b));
  });

  it('follows new entries', async () => {
    const log = new FetchLog({ dir });
    await log.append(entry(1));
    const seen: string[] = [];
    const controller = new AbortController();
    const following = followFetchLog(dir, (e) => seen.push(String(e.jobId)), controller.signal, 20);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await log.append(entry(2));
    await log.append(entry(3));
    await expect.poll(() => seen, { timeout: 2000 }).toEqual(['j2', 'j3']);
    controller.abort();
    await following;
    expect(fetchLogFile(dir, 0)).toBe(path.join(dir, 'fetch-log.jsonl'));
  });

  it('follows across a rotation without missing a line, even when the new file outgrows the old offset', async () => {
    // Entries are ~170 bytes: a file holds about 5. Between two polls the file rotates and the new one grows past
    // where the old one was read up to.
    const log = new FetchLog({ dir, maxFileBytes: 900, maxFiles: 5 });
    await log.append(entry(0));
    const seen: string[] = [];
    const controller = new AbortController();
    const following = followFetchLog(dir, (e) => seen.push(String(e.jobId)), controller.signal, 200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (let i = 1; i <= 8; i++) await log.append(entry(i));
    await expect.poll(() => seen.length, { timeout: 2000 }).toBe(8);
    expect(seen).toEqual(['j1', 'j2', 'j3', 'j4', 'j5', 'j6', 'j7', 'j8']);
    controller.abort();
    await following;
  });
});
