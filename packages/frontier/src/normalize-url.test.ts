import { describe, expect, it } from 'vitest';
import { normalizeUrl } from './normalize-url.js';
import { CampaignScope, registrableDomain } from './campaign-scope.js';

describe('normalizeUrl', () => {
  it.each([
    ['HTTP://Example.COM:80/a/./b/../c?b=2&a=1#frag', 'http://example.com/a/c?a=1&b=2'],
    ['https://example.com:443/', 'https://example.com/'],
    ['https://example.com/p?utm_source=x&id=3&gclid=1&fbclid=2', 'https://example.com/p?id=3'],
    ['https://user:pw@example.com/%7Euser/%2f', 'https://example.com/~user/%2F'],
    ['https://example.com./x', 'https://example.com/x'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeUrl(raw)).toBe(expected);
  });

  it('resolves relative links against a base', () => {
    expect(normalizeUrl('../b?x=1', 'http://h.test/a/c/d')).toBe('http://h.test/a/b?x=1');
  });

  it.each(['mailto:a@b.c', 'javascript:alert(1)', 'ftp://x/y', 'not a url', ''])('rejects %s', (raw) => {
    expect(normalizeUrl(raw)).toBeUndefined();
  });
});

describe('CampaignScope', () => {
  const base = { include: [], exclude: [], maxPages: 10, maxDepth: 2, render: 'never' as const };
  it('same-host keeps the seed hosts only', () => {
    const scope = new CampaignScope({
      ...base,
      seeds: ['http://a.test/'],
      scope: { mode: 'same-host', hosts: [] },
    });
    expect(scope.check('http://a.test/x')).toBeUndefined();
    expect(scope.check('http://b.a.test/x')).toBe('scope');
  });
  it('same-domain takes subdomains', () => {
    const scope = new CampaignScope({
      ...base,
      seeds: ['http://www.a.test/'],
      scope: { mode: 'same-domain', hosts: [] },
    });
    expect(scope.check('http://blog.a.test/x')).toBeUndefined();
    expect(scope.check('http://other.test/x')).toBe('scope');
    expect(registrableDomain('x.y.example.co.uk')).toBe('example.co.uk');
  });
  it('listed hosts with include and exclude patterns', () => {
    const scope = new CampaignScope({
      ...base,
      seeds: ['http://a.test/'],
      scope: { mode: 'hosts', hosts: ['a.test', '127.0.0.2'] },
      include: ['/docs/'],
      exclude: ['\\.pdf$'],
    });
    expect(scope.check('http://127.0.0.2/docs/x')).toBeUndefined();
    expect(scope.check('http://a.test/blog/x')).toBe('pattern');
    expect(scope.check('http://a.test/docs/x.pdf')).toBe('pattern');
    expect(scope.check('http://c.test/docs/x')).toBe('scope');
  });
  it('runs patterns in linear time', () => {
    const scope = new CampaignScope({
      ...base,
      seeds: ['http://a.test/'],
      scope: { mode: 'same-host', hosts: [] },
      include: ['(a+)+$', '(\\w*\\s?)*;'],
    });
    const started = performance.now();
    expect(scope.check(`http://a.test/${'a'.repeat(5000)}!`)).toBe('pattern');
    expect(performance.now() - started).toBeLessThan(200);
    expect(scope.check('http://a.test/aaa')).toBeUndefined();
  });
  it('admits nothing by pattern when a stored spec holds a pattern RE2 cannot run', () => {
    const scope = new CampaignScope({
      ...base,
      seeds: ['http://a.test/'],
      scope: { mode: 'same-host', hosts: [] },
      exclude: ['/(\\w+)/\\1/'],
    });
    expect(scope.unsupportedPattern?.message).toMatch(/^pattern "\/\(\\w\+\)\/\\1\/": backreferences/);
    expect(scope.check('http://a.test/x/y')).toBe('pattern');
    expect(scope.check('http://b.test/x/y')).toBe('scope');
  });
});
