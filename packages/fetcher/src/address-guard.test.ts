import { describe, expect, it } from 'vitest';
import {
  AddressPolicy,
  classifyAddress,
  embeddedIpv4,
  isBlockedAddress,
  parseCidr,
  parseIp,
  type AddressClass,
} from './address-guard.js';

const cases: [string, AddressClass][] = [
  // IPv4 special-purpose registry
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'this-network'],
  ['10.0.0.1', 'private'],
  ['10.255.255.255', 'private'],
  ['100.64.0.1', 'shared'],
  ['100.127.255.255', 'shared'],
  ['127.0.0.1', 'loopback'],
  ['127.0.0.2', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['169.254.169.254', 'link-local'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.0.0.8', 'ietf-protocol'],
  ['192.0.2.10', 'documentation'],
  ['192.88.99.1', 'reserved'],
  ['192.168.1.1', 'private'],
  ['198.18.0.1', 'benchmark'],
  ['198.19.255.255', 'benchmark'],
  ['198.51.100.7', 'documentation'],
  ['203.0.113.9', 'documentation'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.254', 'reserved'],
  ['255.255.255.255', 'broadcast'],
  // IPv4 edges that are public
  ['1.1.1.1', 'public'],
  ['8.8.8.8', 'public'],
  ['9.255.255.255', 'public'],
  ['11.0.0.0', 'public'],
  ['100.63.255.255', 'public'],
  ['100.128.0.0', 'public'],
  ['126.255.255.255', 'public'],
  ['128.0.0.0', 'public'],
  ['169.253.255.255', 'public'],
  ['172.15.255.255', 'public'],
  ['172.32.0.0', 'public'],
  ['192.0.1.1', 'public'],
  ['192.167.255.255', 'public'],
  ['192.169.0.0', 'public'],
  ['198.17.255.255', 'public'],
  ['198.20.0.0', 'public'],
  ['223.255.255.255', 'public'],
  // IPv6
  ['::', 'unspecified'],
  ['::1', 'loopback'],
  ['0:0:0:0:0:0:0:1', 'loopback'],
  ['::ffff:127.0.0.2', 'loopback'],
  ['::ffff:7f00:2', 'loopback'],
  ['::ffff:10.0.0.1', 'private'],
  ['::ffff:169.254.169.254', 'link-local'],
  ['::ffff:8.8.8.8', 'public'],
  ['::127.0.0.1', 'reserved'],
  ['::8.8.8.8', 'reserved'],
  ['64:ff9b::7f00:1', 'loopback'],
  ['64:ff9b::10.1.2.3', 'private'],
  ['64:ff9b::8.8.8.8', 'public'],
  ['64:ff9b:1::1', 'translation'],
  ['100::1', 'discard-only'],
  ['2001::1', 'ietf-protocol'],
  ['2001:2::1', 'ietf-protocol'],
  ['2001:db8::1', 'documentation'],
  ['2002:7f00:1::1', 'loopback'],
  ['2002:a00:1::1', 'private'],
  ['2002:808:808::1', 'public'],
  ['3fff::1', 'documentation'],
  ['5f00::1', 'segment-routing'],
  ['fc00::1', 'unique-local'],
  ['fd12:3456:789a::1', 'unique-local'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local'],
  ['febf::1', 'link-local'],
  ['fec0::1', 'site-local'],
  ['ff02::1', 'multicast'],
  ['ff05::1:3', 'multicast'],
  ['4000::1', 'reserved'],
  ['e000::1', 'reserved'],
  ['2606:4700:4700::1111', 'public'],
  ['2a00:1450:4001:80b::200e', 'public'],
  ['[2606:4700:4700::1111]', 'public'],
  ['[::1]', 'loopback'],
  // not IP literals: fail closed
  ['', 'invalid'],
  ['localhost', 'invalid'],
  ['2130706433', 'invalid'],
  ['0x7f.1', 'invalid'],
  ['017700000001', 'invalid'],
  ['127.1', 'invalid'],
  ['127.0.0.01', 'invalid'],
  ['256.0.0.1', 'invalid'],
  ['1.2.3.4.5', 'invalid'],
  ['1::2::3', 'invalid'],
  ['1:2:3:4:5:6:7:8:9', 'invalid'],
  ['12345::', 'invalid'],
  ['::ffff:300.0.0.1', 'invalid'],
  ['g::1', 'invalid'],
];

describe('classifyAddress', () => {
  it.each(cases)('%s is %s', (ip, kind) => {
    expect(classifyAddress(ip)).toBe(kind);
    expect(isBlockedAddress(ip)).toBe(kind !== 'public');
  });
});

describe('parseIp', () => {
  it('reads full, compressed and embedded-IPv4 IPv6 forms alike', () => {
    const a = parseIp('::ffff:127.0.0.1');
    const b = parseIp('0:0:0:0:0:ffff:7f00:0001');
    expect(a).toEqual(b);
    expect(a?.family).toBe(6);
  });

  it('extracts the embedded IPv4 of mapped, NAT64 and 6to4 addresses', () => {
    const v4 = (text: string): string | undefined => {
      const e = embeddedIpv4(parseIp(text)!);
      return e === undefined ? undefined : [24n, 16n, 8n, 0n].map((s) => (e.value >> s) & 255n).join('.');
    };
    expect(v4('::ffff:1.2.3.4')).toBe('1.2.3.4');
    expect(v4('64:ff9b::102:304')).toBe('1.2.3.4');
    expect(v4('2002:102:304::')).toBe('1.2.3.4');
    expect(v4('2001:db8::1')).toBeUndefined();
    expect(embeddedIpv4(parseIp('1.2.3.4')!)).toBeUndefined();
  });
});

describe('parseCidr', () => {
  it('accepts CIDRs and bare addresses and rejects nonsense', () => {
    expect(parseCidr('10.0.0.0/8').prefix).toBe(8);
    expect(parseCidr('127.0.0.1').prefix).toBe(32);
    expect(parseCidr('::1').prefix).toBe(128);
    expect(parseCidr('10.1.2.3/8').base).toBe(parseCidr('10.0.0.0/8').base);
    expect(() => parseCidr('10.0.0.0/33')).toThrow(TypeError);
    expect(() => parseCidr('example.com')).toThrow(TypeError);
    expect(() => parseCidr('10.0.0.0/x')).toThrow(TypeError);
  });
});

describe('AddressPolicy', () => {
  it('blocks everything non-public by default', () => {
    const policy = new AddressPolicy();
    expect(policy.check('8.8.8.8')).toEqual({ allowed: true, kind: 'public' });
    expect(policy.check('127.0.0.1')).toEqual({ allowed: false, kind: 'loopback' });
    expect(policy.check('nonsense').allowed).toBe(false);
  });

  it('lets exact addresses and CIDRs through, including their IPv4-mapped form, and nothing next to them', () => {
    const policy = new AddressPolicy({ allowAddresses: ['127.0.0.1', '10.9.0.0/16'] });
    expect(policy.check('127.0.0.1').allowed).toBe(true);
    expect(policy.check('::ffff:127.0.0.1').allowed).toBe(true);
    expect(policy.check('127.0.0.2').allowed).toBe(false);
    expect(policy.check('::ffff:127.0.0.2').allowed).toBe(false);
    expect(policy.check('10.9.200.1').allowed).toBe(true);
    expect(policy.check('10.10.0.1').allowed).toBe(false);
    expect(policy.check('::1').allowed).toBe(false);
    // NAT64 is not the same host as the IPv4 address it embeds on this machine: not matched by the allow-list.
    expect(policy.check('64:ff9b::7f00:1').allowed).toBe(false);
  });

  it('opens private networks with allowPrivateNetwork but never metadata, multicast or unspecified', () => {
    const policy = new AddressPolicy({ allowPrivateNetwork: true });
    for (const ip of ['127.0.0.1', '::1', '10.0.0.1', '192.168.1.1', '100.64.0.1', 'fd00::1']) {
      expect(policy.check(ip).allowed, ip).toBe(true);
    }
    for (const ip of [
      '169.254.169.254',
      'fe80::1',
      '0.0.0.0',
      '::',
      '224.0.0.1',
      '255.255.255.255',
      '240.0.0.1',
    ]) {
      expect(policy.check(ip).allowed, ip).toBe(false);
    }
  });

  it('rejects a malformed allow-list entry at construction', () => {
    expect(() => new AddressPolicy({ allowAddresses: ['not-an-ip'] })).toThrow(TypeError);
  });

  it('gives the same verdicts from its cache, per policy, past the cache size', () => {
    const strict = new AddressPolicy();
    const open = new AddressPolicy({ allowPrivateNetwork: true });
    for (let round = 0; round < 2; round++) {
      expect(strict.check('10.0.0.1')).toEqual({ allowed: false, kind: 'private' });
      expect(open.check('10.0.0.1')).toEqual({ allowed: true, kind: 'private' });
      expect(strict.check('169.254.169.254').allowed).toBe(false);
      expect(strict.check('93.184.216.34')).toEqual({ allowed: true, kind: 'public' });
    }
    // More distinct addresses than the cache keeps: the verdicts stay right after it starts afresh.
    for (let i = 0; i < 5000; i++) expect(strict.check(`10.${i >> 8}.${i & 255}.1`).allowed).toBe(false);
    expect(strict.check('8.8.8.8').allowed).toBe(true);
    expect(strict.check('127.0.0.1').allowed).toBe(false);
  });
});
