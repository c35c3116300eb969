import { describe, expect, it } from 'vitest';
import { canaryPageHtml } from '@gleaner/trust';
import { CanaryJobs } from './canary-jobs.js';

const secret = 'test-secret-0123456789';
const url = 'http://canary.test/notes/1';
const at = 1_800_000_000_000;
const page = Buffer.from(canaryPageHtml(secret, url, at));
const invented = Buffer.from('<html><p>invented</p></html>');
const fetchedAt = new Date(at).toISOString();

describe('CanaryJobs', () => {
  it('sends no canary before a real job has shown what jobs look like, then copies real shapes', () => {
    const canaries = new CanaryJobs({ urls: [url], secret, random: () => 0 });
    expect(canaries.next('probation', 0)).toBeUndefined();
    canaries.observe({ campaignId: 'cmp_1', attempt: 3 });
    expect(canaries.next('probation', 0)).toEqual({ url, shape: { campaignId: 'cmp_1', attempt: 3 } });
    expect(new CanaryJobs({ urls: [url], secret, random: () => 0.99 }).next('probation', 0)).toBeUndefined();
  });

  it('counts a wrong answer as proof only once another owner answered the page right lately', () => {
    const canaries = new CanaryJobs({ urls: [url], secret });
    expect(canaries.judge(url, 'owner-a', fetchedAt, invented, at)).toBe('unconfirmed');
    expect(canaries.judge(url, 'owner-b', fetchedAt, page, at)).toBe('passed');
    expect(canaries.judge(url, 'owner-b', fetchedAt, invented, at)).toBe('unconfirmed');
    expect(canaries.judge(url, 'owner-a', fetchedAt, invented, at + 1000)).toBe('failed');
    expect(canaries.judge(url, 'owner-a', fetchedAt, invented, at + 3_600_000)).toBe('unconfirmed');
  });
});
