import { describe, expect, it } from 'vitest';
import { LinearPattern, LinearPatternSet, UnsupportedPatternError } from './linear-pattern.js';

describe('LinearPattern', () => {
  it('matches anywhere in the input, like RegExp.test', () => {
    const pattern = LinearPattern.compile('^https://ex\\.com/(news|blog)/');
    expect(pattern.test('https://ex.com/news/1')).toBe(true);
    expect(pattern.test('https://ex.com/shop/1')).toBe(false);
    expect(LinearPattern.compile('\\.pdf$').test('https://ex.com/a.pdf')).toBe(true);
    expect(LinearPattern.compile('(?i)/NEWS/').test('https://ex.com/news/')).toBe(true);
  });

  it('returns the first match with its groups, null for groups that took no part', () => {
    expect(LinearPattern.compile('price: (\\d+)').exec('the price: 12 EUR')).toEqual(['price: 12', '12']);
    expect(LinearPattern.compile('(a)|b').exec('b')).toEqual(['b', null]);
    expect(LinearPattern.compile('x').exec('y')).toBeNull();
  });

  it('compiles each source once', () => {
    expect(LinearPattern.compile('^/a/')).toBe(LinearPattern.compile('^/a/'));
  });

  it('runs a pattern that backtracking engines take exponential time on in linear time', () => {
    const hostile = `https://example.com/${'a'.repeat(5000)}!`;
    const started = performance.now();
    expect(LinearPattern.compile('(a+)+$').test(hostile)).toBe(false);
    expect(LinearPattern.compile('(\\w*\\s?)*;').test(hostile)).toBe(false);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it.each([
    ['(a)\\1', /backreferences .* not supported/],
    ['(?<n>a)\\k<n>', /backreferences .* not supported/],
    ['foo(?=bar)', /lookahead and lookbehind .* not supported/],
    ['(?<!x)y', /lookahead and lookbehind .* not supported/],
    ['(?!x)', /lookahead and lookbehind .* not supported/],
    ['(unclosed', /^not a valid RE2 regular expression: missing closing \)/],
    ['\\u20AC', /invalid escape sequence.*write \\x\{20AC\}/],
  ])('refuses %s, saying why', (source, reason) => {
    expect(LinearPattern.check(source)?.reason).toMatch(reason);
    expect(() => LinearPattern.compile(source)).toThrow(UnsupportedPatternError);
    expect(() => LinearPattern.compile(source)).toThrow(`pattern "${source}": `);
  });

  it('does not mistake escaped backslashes or character classes for unsupported features', () => {
    for (const source of ['\\\\1', '[(?=]', '\\(?=', '(?<name>a)', '\\x{20AC}']) {
      expect(LinearPattern.check(source)).toBeUndefined();
    }
  });
});

describe('LinearPatternSet', () => {
  it('says whether any of its patterns matches, each with its own flags', () => {
    const set = LinearPatternSet.of(['(?i)/NEWS/', '\\.pdf$', '[?&]page=\\d+']);
    expect(set.size).toBe(3);
    expect(set.test('https://e.com/news/1')).toBe(true);
    expect(set.test('https://e.com/a.pdf')).toBe(true);
    expect(set.test('https://e.com/list?page=2')).toBe(true);
    expect(set.test('https://e.com/a.pdf?x=1')).toBe(false);
    expect(LinearPatternSet.of(['^/a/']).test('/a/b')).toBe(true);
    expect(LinearPatternSet.of([]).test('anything')).toBe(false);
  });

  it('compiles each list once and refuses one holding a pattern RE2 cannot run', () => {
    expect(LinearPatternSet.of(['a', 'b'])).toBe(LinearPatternSet.of(['a', 'b']));
    expect(() => LinearPatternSet.of(['a', '(a)\\1'])).toThrow('pattern "(a)\\1": backreferences');
  });

  it('matches a hundred patterns, pathological ones among them, against a hostile URL in milliseconds', () => {
    const sources = [...Array.from({ length: 98 }, (_, i) => `/section-${i}/(a+)+$`), '(a+)+$', '(a|aa)+;'];
    const hostile = `https://example.com/section-1/${'a'.repeat(5000)}!`;
    const set = LinearPatternSet.of(sources);
    const started = performance.now();
    expect(set.test(hostile)).toBe(false);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
