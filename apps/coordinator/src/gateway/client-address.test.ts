import { describe, expect, it } from 'vitest';
import { addressPrefix, clientAddress, networkOf } from './client-address.js';

describe('clientAddress', () => {
  const proxies = new Set(['10.0.0.5', '10.0.0.6']);

  it('takes the peer when it is not a trusted proxy, whatever X-Forwarded-For claims', () => {
    expect(clientAddress('203.0.113.9', '198.51.100.1', proxies)).toBe('203.0.113.9');
    expect(clientAddress('::ffff:203.0.113.9', undefined, proxies)).toBe('203.0.113.9');
  });

  it('behind trusted proxies, takes the right-most hop that is not one of them', () => {
    expect(clientAddress('10.0.0.5', '1.2.3.4, 198.51.100.7, 10.0.0.6', proxies)).toBe('198.51.100.7');
    expect(clientAddress('10.0.0.5', ['1.2.3.4', '198.51.100.7'], proxies)).toBe('198.51.100.7');
  });

  it('falls back to the proxy itself when the header is missing or garbled', () => {
    expect(clientAddress('10.0.0.5', undefined, proxies)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', 'not-an-ip', proxies)).toBe('10.0.0.5');
    expect(clientAddress(undefined, '1.2.3.4', proxies)).toBeUndefined();
  });
});

describe('addressPrefix', () => {
  it('is the /24 of IPv4 and the /48 of IPv6', () => {
    expect(addressPrefix('203.0.113.9')).toBe('203.0.113.0/24');
    expect(addressPrefix('2001:db8:abcd:12::1')).toBe('2001:db8:abcd::/48');
    expect(addressPrefix('2001:db8::1')).toBe('2001:db8:0::/48');
    expect(addressPrefix('::1')).toBe('0:0:0::/48');
  });
});

describe('networkOf', () => {
  it('is the prefix, except on loopback, where every local node would share one', () => {
    expect(networkOf('203.0.113.9')).toBe('203.0.113.0/24');
    expect(networkOf('127.0.0.1')).toBeUndefined();
    expect(networkOf('::1')).toBeUndefined();
    expect(networkOf(undefined)).toBeUndefined();
  });
});
