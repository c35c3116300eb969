import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DailyQuota } from './daily-quota.js';

describe('DailyQuota', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'quota-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('counts bytes, survives a restart and resets at local midnight', async () => {
    let now = new Date(2025, 0, 1, 23, 0);
    const quota = await DailyQuota.open(dir, 1000, () => now);
    await quota.add(600);
    expect(quota.remainingBytes).toBe(400);
    await quota.add(500);
    expect(quota.exhausted).toBe(true);
    expect(quota.remainingBytes).toBe(0);

    const reopened = await DailyQuota.open(dir, 1000, () => now);
    expect(reopened.usedBytes).toBe(1100);

    now = new Date(2025, 0, 2, 0, 0, 1);
    expect(reopened.usedBytes).toBe(0);
    expect(reopened.exhausted).toBe(false);
  });
});
