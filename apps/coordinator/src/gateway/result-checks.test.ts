import { describe, expect, it } from 'vitest';
import type { ResultHeader } from '@gleaner/contracts';
import { checkResult, redirectedElsewhere, type LeaseFacts } from './result-checks.js';

const sentAt = 1_800_000_000_000;
const now = sentAt + 2_000;
const lease: LeaseFacts = { jobUrl: 'http://a.test/page', attempt: 3, maxRedirects: 2, sentAt };

function result(fields: Partial<ResultHeader> = {}): ResultHeader {
  return {
    type: 'result',
    jobId: 'j',
    attempt: 3,
    redirects: [],
    finalUrl: 'http://a.test/page',
    status: 200,
    headers: {},
    bodySha256: '0'.repeat(64),
    bodyBytes: 10,
    fetchedAt: new Date(sentAt + 1_000).toISOString(),
    timings: { headersMs: 10, totalMs: 20 },
    signature: 's',
    ...fields,
  };
}

const verdict = (header: ResultHeader) => checkResult(header, lease, now);

describe('checkResult', () => {
  it('accepts a plain answer and a redirect chain that starts at the job URL', () => {
    expect(verdict(result())).toBeUndefined();
    expect(
      verdict(
        result({ redirects: ['http://a.test/page', 'http://a.test/moved'], finalUrl: 'http://a.test/final' }),
      ),
    ).toBeUndefined();
  });

  it('refuses a result for an earlier lease attempt', () => {
    expect(verdict(result({ attempt: 2 }))?.code).toBe('STALE_ATTEMPT');
  });

  it('refuses a final URL that is not the job URL without a redirect to it', () => {
    expect(verdict(result({ finalUrl: 'http://www.example.com/' }))).toEqual({
      code: 'BAD_RESULT',
      reason: 'final URL is not the job URL',
    });
  });

  it('refuses a redirect chain that starts elsewhere, is too long, or holds a non-web URL', () => {
    expect(verdict(result({ redirects: ['http://b.test/'], finalUrl: 'http://a.test/x' }))?.reason).toMatch(
      /does not start/,
    );
    expect(
      verdict(result({ redirects: ['http://a.test/page', 'http://a.test/1', 'http://a.test/2'] }))?.reason,
    ).toMatch(/3 redirects/);
    expect(
      verdict(result({ redirects: ['http://a.test/page'], finalUrl: 'file:///etc/passwd' }))?.reason,
    ).toMatch(/not http/);
  });

  it('refuses a fetchedAt outside the lease, and impossible timings', () => {
    expect(verdict(result({ fetchedAt: 'not-a-date' }))?.reason).toMatch(/not a date/);
    expect(verdict(result({ fetchedAt: new Date(sentAt - 3_600_000).toISOString() }))?.reason).toMatch(
      /outside/,
    );
    expect(verdict(result({ fetchedAt: new Date(now + 3_600_000).toISOString() }))?.reason).toMatch(
      /outside/,
    );
    expect(verdict(result({ timings: { headersMs: 50, totalMs: 20 } }))?.reason).toMatch(/headers/);
    expect(verdict(result({ timings: { headersMs: 0, totalMs: 3_600_000 } }))?.reason).toMatch(/longer/);
  });

  it('refuses a status that is not HTTP, and a failure that carries a status or a body', () => {
    expect(verdict(result({ status: 0 }))?.reason).toMatch(/not an HTTP status/);
    expect(verdict(result({ status: 42 }))?.reason).toMatch(/not an HTTP status/);
    const failure = { code: 'TIMEOUT' as const, message: 'slow' };
    expect(verdict(result({ error: failure, status: 0, bodyBytes: 0 }))).toBeUndefined();
    expect(verdict(result({ error: failure, status: 200, bodyBytes: 0 }))?.reason).toMatch(/failed fetch/);
  });
});

describe('redirectedElsewhere', () => {
  it('is true only when a redirect chain ends on another URL', () => {
    expect(redirectedElsewhere(result(), lease.jobUrl)).toBe(false);
    expect(
      redirectedElsewhere(
        result({ redirects: [lease.jobUrl], finalUrl: 'http://a.test/other' }),
        lease.jobUrl,
      ),
    ).toBe(true);
  });
});
