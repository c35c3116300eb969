import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts object members by name at every depth and writes no white space', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('orders names by UTF-16 code units, as RFC 8785 does', () => {
    // RFC 8785 §3.2.3's sorting example: "\r" < "1" < "\u0080" < "ö" < "€" < "😀" < "\ufb33".
    const names = ['\u20ac', '\r', '\ufb33', '1', '\u{1f600}', '\u0080', '\u00f6'];
    const value = Object.fromEntries(names.map((name, i) => [name, i]));
    // Read the names from the text: an object would list the integer-like name "1" first.
    const text = canonicalJson(value);
    const order = names.map((name) => [name, text.indexOf(`${JSON.stringify(name)}:`)] as const);
    const sorted = [...order].sort((a, b) => a[1] - b[1]).map(([name]) => name);
    expect(sorted).toEqual(['\r', '1', '\u0080', '\u00f6', '\u20ac', '\u{1f600}', '\ufb33']);
  });

  it('escapes strings and prints numbers as ECMAScript does', () => {
    expect(canonicalJson(['a"\\\n\u0001é€', 1e21, 0.1, -0, 1.5e-7, 100])).toBe(
      '["a\\"\\\\\\n\\u0001é€",1e+21,0.1,0,1.5e-7,100]',
    );
  });

  it('leaves out undefined members and rejects what JSON cannot hold', () => {
    expect(canonicalJson({ a: undefined, b: true })).toBe('{"b":true}');
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson([undefined])).toThrow(TypeError);
    expect(() => canonicalJson({ a: 1n })).toThrow(TypeError);
  });

  it('parses back to an equal value', () => {
    const value = { text: 'line\nbreak', list: [1, 'two', { three: 3 }], empty: {}, none: null };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });
});
