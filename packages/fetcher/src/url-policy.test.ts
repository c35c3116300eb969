import { describe, expect, it } from 'vitest';
import { FetchFailure } from './fetch-failure.js';
import { checkUrl, normalizeDomains } from './url-policy.js';

const policy = {
  allowedPorts: [80, 443],
  deniedDomains: normalizeDomains(['Denied.Example.', '*.bücher.example']),
};

function codeOf(url: string): string {
  try {
    checkUrl(url, policy);
    return 'ok';
  } catch (error) {
    return (error as FetchFailure).code;
  }
}

describe('checkUrl', () => {
  it('normalizes odd IPv4 spellings into the literal they reach', () => {
    for (const host of ['2130706433', '0x7f.1', '017700000001', '0x7f000001', '127.1', '0177.0.0.1']) {
      expect(checkUrl(`http://${host}/`, policy).ipLiteral, host).toBe('127.0.0.1');
    }
    expect(checkUrl('http://[::ffff:127.0.0.2]/', policy).ipLiteral).toBe('::ffff:7f00:2');
  });

  it('drops userinfo and fragments, keeps the real host', () => {
    const checked = checkUrl('http://example.com:x@127.0.0.2/a?b#c', policy);
    expect(checked.url.href).toBe('http://127.0.0.2/a?b');
    expect(checked.ipLiteral).toBe('127.0.0.2');
  });

  it('strips trailing dots and lower-cases host names', () => {
    const checked = checkUrl('https://WWW.Example.COM./x', policy);
    expect(checked.host).toBe('www.example.com');
    expect(checked.ipLiteral).toBeUndefined();
    expect(checked.port).toBe(443);
  });

  it('refuses schemes, ports, denied domains and garbage with stable codes', () => {
    expect(codeOf('ftp://example.com/')).toBe('BLOCKED_SCHEME');
    expect(codeOf('http://example.com:8080/')).toBe('BLOCKED_PORT');
    expect(codeOf('https://example.com:80/')).toBe('ok');
    expect(codeOf('http://a.denied.example/')).toBe('BLOCKED_DOMAIN');
    expect(codeOf('http://notdenied.example/')).toBe('ok');
    expect(codeOf('http://shop.BÜCHER.example/')).toBe('BLOCKED_DOMAIN');
    expect(codeOf('http://[fe80::1%25eth0]/')).toBe('INVALID_URL');
    expect(codeOf('/relative')).toBe('INVALID_URL');
  });
});
