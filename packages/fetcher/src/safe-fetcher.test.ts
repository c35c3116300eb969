import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  startHostileFixture,
  startRecordingServer,
  zstdBomb,
  type FixtureServer,
} from './hostile-fixture.js';
import { DEFAULT_USER_AGENT, SafeFetcher, type FetchOutcome } from './safe-fetcher.js';

let site: FixtureServer; // 127.0.0.1, allowed
let twin: FixtureServer; // 127.0.0.3 on the same port, allowed, answers differently
let forbidden: FixtureServer; // 127.0.0.2, never allowed: must never see a connection
let fetcher: SafeFetcher;
const lookups = new Map<string, number>();

function failed(outcome: FetchOutcome): string {
  return outcome.ok ? 'ok' : outcome.error.code;
}

/** Test DNS: names that resolve into private space, and ones that change their answer between lookups. */
async function resolve(hostname: string): Promise<{ address: string; family: 4 | 6 }[]> {
  const n = (lookups.get(hostname) ?? 0) + 1;
  lookups.set(hostname, n);
  const v4 = (address: string) => [{ address, family: 4 as const }];
  switch (hostname) {
    case 'fixture.test':
      return v4('127.0.0.1');
    case 'private.test':
      return v4('10.0.0.1');
    case 'loop.test':
      return v4('127.0.0.2');
    case 'metadata.test':
      return v4('169.254.169.254');
    case 'v6loop.test':
      return [{ address: '::1', family: 6 }];
    case 'mixed.test':
      return [
        { address: '127.0.0.1', family: 4 },
        { address: '10.0.0.1', family: 4 },
      ];
    case 'rebind.test': // first the allowed fixture, then private space
      return v4(n === 1 ? '127.0.0.1' : '10.0.0.1');
    case 'twin.test': // first the fixture, then its twin on 127.0.0.3
      return v4(n === 1 ? '127.0.0.1' : '127.0.0.3');
    default:
      throw Object.assign(new Error(`no such host ${hostname}`), { code: 'ENOTFOUND' });
  }
}

beforeAll(async () => {
  site = await startHostileFixture('127.0.0.1');
  twin = await startRecordingServer('127.0.0.3', site.port, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end('twin');
  });
  forbidden = await startRecordingServer('127.0.0.2');
  fetcher = new SafeFetcher({
    allowAddresses: ['127.0.0.1', '127.0.0.3'],
    allowedPorts: [80, 443, site.port, forbidden.port],
    resolve,
    deniedDomains: ['Denied.Example.'],
    limits: {
      headersTimeoutMs: 1_000,
      totalTimeoutMs: 4_000,
      rateGraceMs: 500,
      minBytesPerSecond: 100,
      maxBodyBytes: 1024 * 1024,
      maxDecodedBytes: 4 * 1024 * 1024,
    },
  });
});

afterAll(async () => {
  await fetcher.close();
  await Promise.all([site.close(), twin.close(), forbidden.close()]);
});

afterEach(async () => {
  // After every refusal the same fetcher still completes a normal fetch, and the private server saw nothing.
  const outcome = await fetcher.fetch(`${site.origin}/ok`);
  expect(failed(outcome)).toBe('ok');
  expect(forbidden.connections).toBe(0);
});

describe('normal fetches', () => {
  it('fetches a page and reports status, headers, body, timings and the address it reached', async () => {
    const outcome = await fetcher.fetch(`${site.origin}/ok`);
    if (!outcome.ok) throw new Error(outcome.error.message);
    expect(outcome.status).toBe(200);
    expect(outcome.headers['content-type']).toContain('text/html');
    expect(outcome.body.toString()).toContain('<p>hello</p>');
    expect(outcome.remoteAddress).toBe('127.0.0.1');
    expect(outcome.finalUrl).toBe(`${site.origin}/ok`);
    expect(outcome.timings.totalMs).toBeGreaterThanOrEqual(outcome.timings.headersMs);
  });

  it('sends the Gleaner user agent, no cookies, no credentials, and no zstd in Accept-Encoding', async () => {
    const outcome = await fetcher.fetch(
      `http://user:pass@fixture.test:${site.port}/set-cookie?to=${encodeURIComponent('/echo')}`,
    );
    if (!outcome.ok) throw new Error(outcome.error.message);
    const sent = JSON.parse(outcome.body.toString()) as Record<string, string>;
    expect(sent['user-agent']).toBe(DEFAULT_USER_AGENT);
    expect(sent['user-agent']).toMatch(/Gleaner.*https:\/\//);
    expect(sent.cookie).toBeUndefined();
    expect(sent.authorization).toBeUndefined();
    expect(sent['accept-encoding']).toBe('gzip, deflate, br');
    expect(outcome.redirects).toEqual([`http://fixture.test:${site.port}/set-cookie?to=%2Fecho`]);
    expect(outcome.finalUrl).toBe(`http://fixture.test:${site.port}/echo`);
    expect(outcome.finalUrl).not.toContain('pass');
  });

  it('decodes gzip, zlib deflate, raw deflate and brotli', async () => {
    for (const path of ['/gzip', '/deflate', '/deflate-raw', '/br']) {
      const outcome = await fetcher.fetch(`${site.origin}${path}`);
      if (!outcome.ok) throw new Error(`${path}: ${outcome.error.message}`);
      expect(outcome.body.toString(), path).toContain('<p>hello</p>');
    }
  });

  it('asks conditionally with the validators it is given, and drops ones that could smuggle a header', async () => {
    const validators = { etag: '"abc-1"', lastModified: 'Thu, 01 Jan 2026 00:00:00 GMT' };
    const outcome = await fetcher.fetch(`${site.origin}/echo`, { conditional: validators });
    if (!outcome.ok) throw new Error(outcome.error.message);
    const sent = JSON.parse(outcome.body.toString()) as Record<string, string>;
    expect(sent['if-none-match']).toBe('"abc-1"');
    expect(sent['if-modified-since']).toBe(validators.lastModified);

    const hostile = await fetcher.fetch(`${site.origin}/echo`, {
      conditional: { etag: '"x"\r\nCookie: session=1', lastModified: 'x'.repeat(600) },
    });
    if (!hostile.ok) throw new Error(hostile.error.message);
    const sentHostile = JSON.parse(hostile.body.toString()) as Record<string, string>;
    expect(sentHostile['if-none-match']).toBeUndefined();
    expect(sentHostile['if-modified-since']).toBeUndefined();
    expect(sentHostile.cookie).toBeUndefined();

    const plain = await fetcher.fetch(`${site.origin}/echo`);
    if (!plain.ok) throw new Error(plain.error.message);
    expect(JSON.parse(plain.body.toString())).not.toHaveProperty('if-none-match');
  });

  it('returns non-2xx statuses as fetched responses', async () => {
    const outcome = await fetcher.fetch(`${site.origin}/missing`);
    expect(outcome.ok && outcome.status).toBe(404);
  });

  it('follows a redirect chain up to the limit', async () => {
    const outcome = await fetcher.fetch(`${site.origin}/chain/5`);
    expect(outcome.ok && outcome.redirects.length).toBe(5);
  });
});

describe('private-network guard', () => {
  it.each([
    ['127.0.0.2', `http://127.0.0.2:PORT/`],
    ['169.254.169.254', 'http://169.254.169.254/latest/meta-data/'],
    ['[::1]', 'http://[::1]:PORT/'],
    ['10.0.0.1', 'http://10.0.0.1/'],
    ['::ffff:127.0.0.2', 'http://[::ffff:127.0.0.2]:PORT/'],
    ['::ffff:7f00:2', 'http://[::ffff:7f00:2]:PORT/'],
    ['0.0.0.0', 'http://0.0.0.0:PORT/'],
    ['a name resolving to 127.0.0.2', 'http://loop.test:PORT/'],
    ['a name resolving to 10.0.0.1', 'http://private.test/'],
    ['a name resolving to metadata', 'http://metadata.test/'],
    ['a name resolving to ::1', 'http://v6loop.test:PORT/'],
    ['a name with one private answer among public ones', 'http://mixed.test:PORT/'],
  ])('refuses a redirect into %s, and the same URL directly', async (_label, template) => {
    const target = template.replace('PORT', String(forbidden.port));
    const viaRedirect = await fetcher.fetch(`${site.origin}/redirect?to=${encodeURIComponent(target)}`);
    expect(failed(viaRedirect)).toBe('BLOCKED_ADDRESS');
    expect(viaRedirect.redirects).toEqual([`${site.origin}/redirect?to=${encodeURIComponent(target)}`]);
    expect(failed(await fetcher.fetch(target))).toBe('BLOCKED_ADDRESS');
  });

  it('judges odd IPv4 spellings by the address they reach', async () => {
    for (const host of ['2130706434', '0x7f.2', '017700000002', '0x7f000002', '127.2', '127.0.0.2.']) {
      const outcome = await fetcher.fetch(`http://${host}:${forbidden.port}/`);
      expect(failed(outcome), host).toBe('BLOCKED_ADDRESS');
    }
    // The same spellings of the allowed fixture address reach it.
    for (const host of ['2130706433', '0x7f.1', '017700000001', '127.1']) {
      const outcome = await fetcher.fetch(`http://${host}:${site.port}/ok`);
      expect(outcome.ok && outcome.remoteAddress, host).toBe('127.0.0.1');
    }
  });

  it('judges userinfo tricks, trailing dots and zone ids by the host they really name', async () => {
    expect(failed(await fetcher.fetch(`http://example.com@127.0.0.2:${forbidden.port}/`))).toBe(
      'BLOCKED_ADDRESS',
    );
    expect(failed(await fetcher.fetch(`http://fixture.test:${site.port}@loop.test:${forbidden.port}/`))).toBe(
      'BLOCKED_ADDRESS',
    );
    expect(failed(await fetcher.fetch(`http://loop.test.:${forbidden.port}/`))).toBe('BLOCKED_ADDRESS');
    expect(failed(await fetcher.fetch(`http://fixture.test.:${site.port}/ok`))).toBe('ok');
    expect(failed(await fetcher.fetch('http://[fe80::1%25eth0]/'))).toBe('INVALID_URL');
    expect(failed(await fetcher.fetch('http://[fe80::1]/'))).toBe('BLOCKED_ADDRESS');
  });

  it('blocks loopback names through the system resolver when nothing is allowed', async () => {
    const strict = new SafeFetcher({ allowedPorts: [site.port] });
    expect(failed(await strict.fetch(`http://localhost:${site.port}/ok`))).toBe('BLOCKED_ADDRESS');
    expect(failed(await strict.fetch(`${site.origin}/ok`))).toBe('BLOCKED_ADDRESS');
    await strict.close();
  });

  it('opens loopback with allowPrivateNetwork (demo mode)', async () => {
    const demo = new SafeFetcher({ allowPrivateNetwork: true, allowedPorts: [site.port] });
    expect(failed(await demo.fetch(`${site.origin}/ok`))).toBe('ok');
    await demo.close();
  });

  it('connects to the address it checked: a name that changes its answer cannot move the connection', async () => {
    lookups.clear();
    const outcome = await fetcher.fetch(`http://rebind.test:${site.port}/ok`);
    if (!outcome.ok) throw new Error(outcome.error.message);
    expect(outcome.remoteAddress).toBe('127.0.0.1');
    expect(lookups.get('rebind.test')).toBe(1);

    // A twin server listens at the second answer on the same port: the body proves which one was reached.
    const before = twin.requests.length;
    const pinned = await fetcher.fetch(`http://twin.test:${site.port}/ok`);
    expect(pinned.ok && pinned.body.toString()).toContain('<p>hello</p>');
    expect(twin.requests.length).toBe(before);
    expect(lookups.get('twin.test')).toBe(1);

    // Every hop resolves and is judged again: the second hop of the rebinding name is refused.
    lookups.clear();
    const hop = await fetcher.fetch(`http://rebind.test:${site.port}/redirect?to=/ok`);
    expect(failed(hop)).toBe('BLOCKED_ADDRESS');
    expect(lookups.get('rebind.test')).toBe(2);
  });
});

describe('connection reuse', () => {
  it('keeps a connection alive per origin and judged address, and never carries it over to a new answer', async () => {
    const reuse = new SafeFetcher({
      allowAddresses: ['127.0.0.1', '127.0.0.3'],
      allowedPorts: [site.port],
      resolve,
    });
    try {
      const before = site.connections;
      for (let i = 0; i < 10; i++) expect(failed(await reuse.fetch(`${site.origin}/ok`))).toBe('ok');
      // A second connection may open while undici is still finishing the first response; then both are reused.
      expect(site.connections - before).toBeLessThanOrEqual(2);

      // twin.test answers the fixture first, then its twin: the second fetch resolves again, gets the new answer
      // judged, and opens a connection of its own to it instead of reusing the fixture's.
      lookups.delete('twin.test');
      const twinBefore = twin.connections;
      const first = await reuse.fetch(`http://twin.test:${site.port}/ok`);
      expect(first.ok && first.body.toString()).toContain('<p>hello</p>');
      const second = await reuse.fetch(`http://twin.test:${site.port}/ok`);
      expect(second.ok && second.body.toString()).toBe('twin');
      expect(second.ok && second.remoteAddress).toBe('127.0.0.3');
      expect(twin.connections - twinBefore).toBe(1);
    } finally {
      await reuse.close();
    }
  });
});

describe('URL policy', () => {
  it.each([
    'file:///etc/passwd',
    'ftp://example.com/',
    'gopher://example.com/',
    'data:text/html,hi',
    'javascript:alert(1)',
    'ws://example.com/',
  ])('refuses the scheme of %s, directly and as a redirect target', async (url) => {
    expect(failed(await fetcher.fetch(url))).toBe('BLOCKED_SCHEME');
    expect(failed(await fetcher.fetch(`${site.origin}/redirect?to=${encodeURIComponent(url)}`))).toBe(
      'BLOCKED_SCHEME',
    );
  });

  it('refuses ports that are not allowed', async () => {
    expect(failed(await fetcher.fetch('http://fixture.test:22/'))).toBe('BLOCKED_PORT');
    expect(
      failed(
        await fetcher.fetch(`${site.origin}/redirect?to=${encodeURIComponent('http://127.0.0.1:6379/')}`),
      ),
    ).toBe('BLOCKED_PORT');
  });

  it("refuses the owner's denied domains and their subdomains", async () => {
    expect(failed(await fetcher.fetch('http://denied.example/'))).toBe('BLOCKED_DOMAIN');
    expect(failed(await fetcher.fetch('https://a.b.DENIED.example./'))).toBe('BLOCKED_DOMAIN');
    expect(
      failed(
        await fetcher.fetch(`${site.origin}/redirect?to=${encodeURIComponent('http://x.denied.example/')}`),
      ),
    ).toBe('BLOCKED_DOMAIN');
    expect(failed(await fetcher.fetch('http://notdenied.example/'))).toBe('DNS_FAILURE');
  });

  it('refuses garbage', async () => {
    expect(failed(await fetcher.fetch('not a url'))).toBe('INVALID_URL');
    expect(failed(await fetcher.fetch('http://'))).toBe('INVALID_URL');
  });

  it('stops after too many redirects', async () => {
    const outcome = await fetcher.fetch(`${site.origin}/chain/6`);
    expect(failed(outcome)).toBe('TOO_MANY_REDIRECTS');
    expect(outcome.redirects).toHaveLength(6);
    expect(failed(await fetcher.fetch(`${site.origin}/chain/2`, { limits: { maxRedirects: 1 } }))).toBe(
      'TOO_MANY_REDIRECTS',
    );
  });
});

describe('hard limits', () => {
  it('stops a gzip bomb and a brotli bomb early', async () => {
    for (const path of ['/gzip-bomb', '/br-bomb']) {
      const outcome = await fetcher.fetch(`${site.origin}${path}`);
      expect(failed(outcome), path).toBe('TOO_LARGE');
      expect(outcome.ok ? '' : outcome.error.message, path).toMatch(/ratio|decoded/);
    }
  });

  it('stops a bomb on decoded bytes when the ratio cap is loose', async () => {
    const loose = new SafeFetcher({
      allowAddresses: ['127.0.0.1'],
      allowedPorts: [site.port],
      limits: { maxCompressionRatio: 1e9, maxDecodedBytes: 2 * 1024 * 1024 },
    });
    const outcome = await loose.fetch(`${site.origin}/gzip-bomb`);
    expect(outcome.ok ? '' : outcome.error.message).toMatch(/decoded body exceeds 2097152/);
    await loose.close();
  });

  it('answers DECOMPRESSION_FAILED for zstd (never offered, never inflated: a zstd bomb costs its wire bytes at most) and for corrupt gzip', async () => {
    const zstd = await fetcher.fetch(`${site.origin}/zstd`);
    expect(failed(zstd)).toBe('DECOMPRESSION_FAILED');
    expect(zstd.wireBytes).toBeLessThanOrEqual(zstdBomb(8192).length);
    expect(failed(await fetcher.fetch(`${site.origin}/corrupt-gzip`))).toBe('DECOMPRESSION_FAILED');
  });

  it('stops an endless chunked body at the byte cap', async () => {
    const outcome = await fetcher.fetch(`${site.origin}/endless`);
    expect(failed(outcome)).toBe('TOO_LARGE');
  });

  it('refuses a declared Content-Length over the cap before reading', async () => {
    expect(failed(await fetcher.fetch(`${site.origin}/declared-huge`))).toBe('TOO_LARGE');
    expect(
      failed(await fetcher.fetch(`${site.origin}/big?bytes=5000`, { limits: { maxBodyBytes: 4000 } })),
    ).toBe('TOO_LARGE');
  });

  it('stops a one-byte-per-second drip with TOO_SLOW after the grace window', async () => {
    const started = performance.now();
    const outcome = await fetcher.fetch(`${site.origin}/drip`);
    expect(failed(outcome)).toBe('TOO_SLOW');
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('stops a body that stalls with TOO_SLOW', async () => {
    expect(
      failed(await fetcher.fetch(`${site.origin}/stall-body`, { limits: { minBytesPerSecond: 5000 } })),
    ).toBe('TOO_SLOW');
  });

  it('times out waiting for headers, and on the total budget', async () => {
    expect(
      failed(await fetcher.fetch(`${site.origin}/no-headers`, { limits: { headersTimeoutMs: 200 } })),
    ).toBe('TIMEOUT');
    const total = await fetcher.fetch(`${site.origin}/drip`, { limits: { totalTimeoutMs: 300 } });
    expect(failed(total)).toBe('TIMEOUT');
    expect(total.timings.totalMs).toBeLessThan(1_000);
  });

  it('refuses huge headers', async () => {
    expect(failed(await fetcher.fetch(`${site.origin}/huge-headers`))).toBe('HEADERS_TOO_LARGE');
  });

  it('refuses content types outside the list', async () => {
    expect(failed(await fetcher.fetch(`${site.origin}/binary`))).toBe('BAD_CONTENT_TYPE');
    expect(
      failed(
        await fetcher.fetch(`${site.origin}/ok`, { limits: { allowedContentTypes: ['application/json'] } }),
      ),
    ).toBe('BAD_CONTENT_TYPE');
  });

  it('lets per-request limits tighten but never loosen the owner limits', async () => {
    const limits = fetcher.effectiveLimits({
      maxBodyBytes: 1e12,
      totalTimeoutMs: 1e9,
      minBytesPerSecond: 0,
      allowedContentTypes: ['application/octet-stream', 'text/html'],
    });
    expect(limits.maxBodyBytes).toBe(1024 * 1024);
    expect(limits.totalTimeoutMs).toBe(4_000);
    expect(limits.minBytesPerSecond).toBe(100);
    expect(limits.allowedContentTypes).toEqual(['text/html']);
    expect(failed(await fetcher.fetch(`${site.origin}/binary`, { limits }))).toBe('BAD_CONTENT_TYPE');
    expect(
      failed(await fetcher.fetch(`${site.origin}/big?bytes=2000000`, { limits: { maxBodyBytes: 1e12 } })),
    ).toBe('TOO_LARGE');
  });

  it('turns a caller abort into an outcome', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const outcome = await fetcher.fetch(`${site.origin}/no-headers`, { signal: controller.signal });
    expect(outcome.ok ? '' : outcome.error.message).toMatch(/aborted by the caller/);
  });
});

describe('rate limiter hook', () => {
  it('awaits the limiter for every wire chunk and reports wireBytes', async () => {
    const taken: number[] = [];
    const outcome = await fetcher.fetch(`${site.origin}/big?bytes=300000`, {
      rateLimiter: {
        take: async (bytes) => {
          taken.push(bytes);
          await new Promise((resolve) => setTimeout(resolve, 5));
        },
      },
    });
    expect(failed(outcome)).toBe('ok');
    expect(outcome.wireBytes).toBe(300_000);
    expect(taken.reduce((a, b) => a + b, 0)).toBe(300_000);
    expect(taken.length).toBeGreaterThan(1);
  });

  it('counts compressed bytes as wire bytes, and the bytes of a refused body', async () => {
    const gzip = await fetcher.fetch(`${site.origin}/gzip`);
    expect(gzip.ok && gzip.wireBytes).toBeLessThan(gzip.ok ? gzip.body.length : 0);
    const endless = await fetcher.fetch(`${site.origin}/endless`);
    expect(failed(endless)).toBe('TOO_LARGE');
    expect(endless.wireBytes).toBeGreaterThan(1024 * 1024);
  });

  it('does not count time held back by the limiter as a slow sender', async () => {
    const strict = new SafeFetcher({
      allowAddresses: ['127.0.0.1'],
      allowedPorts: [site.port],
      limits: { rateGraceMs: 100, minBytesPerSecond: 10 * 1024 * 1024 },
      rateLimiter: { take: () => new Promise((resolve) => setTimeout(resolve, 150)) },
    });
    const outcome = await strict.fetch(`${site.origin}/big?bytes=400000`);
    expect(failed(outcome)).toBe('ok');
    expect(outcome.timings.totalMs).toBeGreaterThan(300);
  });

  it('stops waiting on the limiter when the fetch is aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const outcome = await fetcher.fetch(`${site.origin}/big?bytes=300000`, {
      signal: controller.signal,
      rateLimiter: {
        take: (_bytes, signal) =>
          new Promise((_resolve, reject) =>
            signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true }),
          ),
      },
    });
    expect(outcome.ok ? '' : outcome.error.message).toMatch(/aborted by the caller/);
  });
});

describe('TLS', () => {
  let dir: string;
  let server: https.Server;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gleaner-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=fixture.test',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    server = https.createServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('secret'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('always verifies certificates', async () => {
    const tls = new SafeFetcher({ allowAddresses: ['127.0.0.1'], allowedPorts: [port], resolve });
    expect(failed(await tls.fetch(`https://fixture.test:${port}/`))).toBe('TLS_FAILURE');
    expect(failed(await tls.fetch(`https://127.0.0.1:${port}/`))).toBe('TLS_FAILURE');
    await tls.close();
  });
});
