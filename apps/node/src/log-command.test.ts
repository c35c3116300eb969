import { describe, expect, it } from 'vitest';
import { formatLog } from './log-command.js';

describe('formatLog', () => {
  it('prints a fetch and, on a line of its own, what became of it and its point', () => {
    const text = formatLog([
      {
        time: '2026-12-03T12:00:00.000Z',
        url: 'https://a.example/1',
        finalUrl: 'https://a.example/1',
        campaignId: 'cmp_a',
        jobId: 'j1',
        status: 200,
        bytes: 2048,
        totalMs: 120,
      },
      {
        kind: 'outcome',
        time: '2026-12-03T12:05:00.000Z',
        jobId: 'j1',
        campaignId: 'cmp_a',
        url: 'https://a.example/1',
        outcome: 'rejected',
        reason: 'node banned: fabrication',
        recordId: 'rec_1',
        points: 1,
        pointsStatus: 'reversed',
      },
      {
        kind: 'outcome',
        time: '2026-12-03T12:06:00.000Z',
        jobId: 'j2',
        campaignId: 'cmp_a',
        url: 'https://a.example/2',
        outcome: 'failed',
        errorCode: 'HTTP_ERROR',
        httpStatus: 404,
        points: 0,
        pointsStatus: 'none',
      },
    ]);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/ 200 +2\.0 KiB +120 +cmp_a +https:\/\/a\.example\/1$/);
    expect(lines[2]).toMatch(
      /=> rejected +1 reversed +cmp_a +https:\/\/a\.example\/1 +\(node banned: fabrication\)$/,
    );
    expect(lines[3]).toMatch(/=> failed HTTP_ERROR +0 none +cmp_a +https:\/\/a\.example\/2$/);
  });
});
