import { load } from 'cheerio/slim';
import { describe, expect, it } from 'vitest';
import { parseHtml } from './parse-html.js';
import {
  checkStructuredFieldRules,
  extractStructuredFields,
  MAX_STRUCTURED_FIELD_RULES,
} from './structured-fields.js';
import type { StructuredFieldRule, StructuredFieldType } from './structured-fields.js';

const PAGE_URL = 'https://shop.example.com/products/kettle?ref=home';

const PRODUCT = `<!doctype html>
<html><head>
  <title>Kettle</title>
  <meta property="og:price:amount" content="1,234.50">
  <meta name="in-stock" content="yes">
  <link rel="canonical" href="/products/kettle">
</head><body>
  <h1 class="title">  Steel
     kettle  </h1>
  <span class="price">€ 12,99</span>
  <span class="rating">4.5 out of 5</span>
  <span class="reviews">1,234 reviews</span>
  <time class="published" datetime="2024-03-05T10:30:00+01:00">5 March</time>
  <ul class="tags"><li>kitchen</li><li> steel </li><li></li><li>kettle</li></ul>
  <a class="brand" href="../brands/acme">Acme</a>
  <img class="photo" src="//cdn.example.com/k.jpg" alt="">
  <input type="checkbox" class="gift" checked>
  <div class="desc"><p>First line.</p><p>Second<br>line.</p><script>var x = 1;</script></div>
</body></html>`;

function run(html: string, rules: StructuredFieldRule[], pageUrl = PAGE_URL) {
  return extractStructuredFields(html, pageUrl, rules);
}

function one(html: string, rule: Omit<StructuredFieldRule, 'name'>) {
  return run(html, [{ name: 'f', ...rule }]);
}

describe('extractStructuredFields on a product page', () => {
  it('reads text, attributes, lists and converts each type', () => {
    const { fields, errors } = run(PRODUCT, [
      { name: 'title', selector: 'h1.title', type: 'string' },
      { name: 'price', selector: '.price', type: 'number' },
      { name: 'ogPrice', selector: 'meta[property="og:price:amount"]', attribute: 'content', type: 'number' },
      { name: 'reviews', selector: '.reviews', type: 'integer' },
      { name: 'inStock', selector: 'meta[name=in-stock]', attribute: 'content', type: 'boolean' },
      { name: 'published', selector: 'time.published', attribute: 'datetime', type: 'date' },
      { name: 'tags', selector: '.tags li', type: 'string', list: true },
      { name: 'brandUrl', selector: 'a.brand', attribute: 'href', type: 'url' },
      { name: 'photo', selector: 'img.photo', attribute: 'SRC', type: 'string' },
      { name: 'gift', selector: 'input.gift', attribute: 'checked', type: 'boolean' },
    ]);
    expect(errors).toEqual([]);
    expect(fields).toEqual({
      title: 'Steel kettle',
      price: 12.99,
      ogPrice: 1234.5,
      reviews: 1234,
      inStock: true,
      published: '2024-03-05T09:30:00.000Z',
      tags: ['kitchen', 'steel', 'kettle'],
      brandUrl: 'https://shop.example.com/brands/acme',
      photo: 'https://cdn.example.com/k.jpg',
      gift: true,
    });
  });

  it('accepts an already parsed document or a cheerio API', () => {
    const rules: StructuredFieldRule[] = [{ name: 'price', selector: '.price', type: 'number' }];
    expect(extractStructuredFields(parseHtml(PRODUCT), PAGE_URL, rules).fields).toEqual({ price: 12.99 });
    expect(extractStructuredFields(load(PRODUCT), PAGE_URL, rules).fields).toEqual({ price: 12.99 });
  });

  it('breaks lines at blocks and <br>, skips scripts, and keeps raw white space when trim is false', () => {
    expect(one(PRODUCT, { selector: '.desc', type: 'string' }).fields.f).toBe('First line. Second line.');
    const raw = one(PRODUCT, { selector: '.desc', type: 'string', trim: false }).fields.f;
    expect(raw).toBe('\nFirst line.\n\nSecond\nline.\n');
    expect(one(PRODUCT, { selector: 'h1', type: 'string', trim: false }).fields.f).toBe(
      '  Steel\n     kettle  ',
    );
  });

  it('reads the body of a selected script (JSON-LD)', () => {
    const html = '<script type="application/ld+json">{"sku": "K-1"}</script>';
    const result = one(html, {
      selector: 'script[type="application/ld+json"]',
      type: 'string',
      pattern: '"sku":\\s*"([^"]+)"',
    });
    expect(result).toEqual({ fields: { f: 'K-1' }, errors: [] });
  });
});

describe('numbers', () => {
  const cases: [string, number][] = [
    ['42', 42],
    ['-3.5', -3.5],
    ['.5', 0.5],
    ['1e3', 1000],
    ['1,234.50', 1234.5],
    ['1.234,50', 1234.5],
    ['€ 12,99', 12.99],
    ['$1,234', 1234],
    ['12,5 %', 12.5],
    ['1,234,567', 1234567],
    ['1.234.567', 1234567],
    ['1 234 567,89 €', 1234567.89],
    ["CHF 1'234.50", 1234.5],
    ['\u22127', -7],
    ['Price: 19.90 (was 25)', 19.9],
    ['4.5 out of 5', 4.5],
    ['Model X-15: 299', 15],
    ['size: -2', -2],
  ];
  it.each(cases)('reads %j as %d', (text, expected) => {
    expect(one(`<b>${text}</b>`, { selector: 'b', type: 'number' })).toEqual({
      fields: { f: expected },
      errors: [],
    });
  });

  it.each(['n/a', '', '1,2,3.4.5', '1.5,000', '12,34,567'])('rejects %j', (text) => {
    const { fields, errors } = one(`<b>${text}</b>`, { selector: 'b', type: 'number', required: true });
    expect(fields).toEqual({});
    expect(errors.map((e) => e.code)).toEqual([text === '' ? 'MISSING' : 'INVALID_TYPE']);
  });

  it('honours a declared decimal separator', () => {
    const comma = (text: string) =>
      one(`<b>${text}</b>`, { selector: 'b', type: 'number', decimalSeparator: ',' });
    expect(comma('1.234').fields.f).toBe(1234);
    expect(comma('1,234').fields.f).toBe(1.234);
    expect(comma('1234').fields.f).toBe(1234);
    expect(comma('1.5').errors[0]?.code).toBe('INVALID_TYPE');
    expect(one('<b>1,234</b>', { selector: 'b', type: 'number', decimalSeparator: '.' }).fields.f).toBe(1234);
  });

  it('integers must be whole and safe', () => {
    expect(one('<b>12.0</b>', { selector: 'b', type: 'integer' }).fields.f).toBe(12);
    expect(one('<b>-0</b>', { selector: 'b', type: 'integer' }).fields.f).toBe(0);
    expect(one('<b>12.5</b>', { selector: 'b', type: 'integer' }).errors[0]?.code).toBe('INVALID_TYPE');
    expect(one('<b>1e300</b>', { selector: 'b', type: 'integer' }).errors[0]?.code).toBe('INVALID_TYPE');
    expect(one(`<b>${'9'.repeat(400)}</b>`, { selector: 'b', type: 'number' }).errors[0]?.code).toBe(
      'INVALID_TYPE',
    );
  });
});

describe('booleans', () => {
  it.each([
    ['true', true],
    ['Yes', true],
    ['1', true],
    ['FALSE', false],
    ['no', false],
    ['0', false],
  ])('reads %j as %s', (text, expected) => {
    expect(one(`<b>${text}</b>`, { selector: 'b', type: 'boolean' }).fields.f).toBe(expected);
  });

  it('rejects other words, and reads empty or self-named attributes as HTML boolean attributes', () => {
    expect(one('<b>maybe</b>', { selector: 'b', type: 'boolean' }).errors[0]?.code).toBe('INVALID_TYPE');
    expect(
      one('<option selected="selected">', { selector: 'option', attribute: 'selected', type: 'boolean' })
        .fields.f,
    ).toBe(true);
    expect(
      one('<input disabled="">', { selector: 'input', attribute: 'disabled', type: 'boolean' }).fields.f,
    ).toBe(true);
    const absent = one('<input>', {
      selector: 'input',
      attribute: 'disabled',
      type: 'boolean',
      default: false,
    });
    expect(absent).toEqual({ fields: { f: false }, errors: [] });
  });
});

describe('dates', () => {
  const cases: [string, string][] = [
    ['2016-06-19', '2016-06-19'],
    ['2016-06-19T10:00', '2016-06-19T10:00:00.000Z'],
    ['2016-06-19 10:00:05.5Z', '2016-06-19T10:00:05.500Z'],
    ['2016-06-19T10:00:00+0200', '2016-06-19T08:00:00.000Z'],
    ['2016-06-19T10:00:00-05', '2016-06-19T15:00:00.000Z'],
    ['June 19, 2016', '2016-06-19'],
    ['19 Jun 2016 10:00', '2016-06-19T10:00:00.000Z'],
    ['Sun, 19 Jun 2016 10:00:00 GMT+0200', '2016-06-19T08:00:00.000Z'],
    ['1850-01-01', '1850-01-01'],
  ];
  it.each(cases)('reads %j as %s', (text, expected) => {
    expect(one(`<time>${text}</time>`, { selector: 'time', type: 'date' })).toEqual({
      fields: { f: expected },
      errors: [],
    });
  });

  it.each(['2016-02-30', '2016-13-01', '2016-06-19T25:00', 'yesterday', '1', 'June 19', '19 juin 2016'])(
    'rejects %j',
    (text) => {
      expect(one(`<time>${text}</time>`, { selector: 'time', type: 'date' }).errors[0]?.code).toBe(
        'INVALID_TYPE',
      );
    },
  );
});

describe('urls', () => {
  it('resolves relative values against the page URL, or its <base href>', () => {
    expect(one('<a href="?p=2#top">', { selector: 'a', attribute: 'href', type: 'url' }).fields.f).toBe(
      'https://shop.example.com/products/kettle?p=2#top',
    );
    const based = '<base href="https://static.example.org/v2/"><a href="x.html">x</a>';
    expect(one(based, { selector: 'a', attribute: 'href', type: 'url' }).fields.f).toBe(
      'https://static.example.org/v2/x.html',
    );
    expect(
      one('<i data-u="/from/text"></i>', { selector: 'i', attribute: 'data-u', type: 'url' }).fields.f,
    ).toBe('https://shop.example.com/from/text');
  });

  it('rejects other schemes and keeps unresolvable href text as a string', () => {
    for (const href of ['javascript:alert(1)', 'mailto:a@b.c', 'data:text/html,x']) {
      const { errors } = one(`<a href="${href}">`, { selector: 'a', attribute: 'href', type: 'url' });
      expect(errors[0]?.code).toBe('INVALID_TYPE');
    }
    expect(
      one('<a href="mailto:a@b.c">', { selector: 'a', attribute: 'href', type: 'string' }).fields.f,
    ).toBe('mailto:a@b.c');
    expect(one('<a href="/x">', { selector: 'a', attribute: 'href', type: 'url' }).fields.f).toBe(
      'https://shop.example.com/x',
    );
    expect(
      run('<a href="/x">', [{ name: 'f', selector: 'a', attribute: 'href', type: 'url' }], 'not a url')
        .errors[0]?.code,
    ).toBe('INVALID_TYPE');
  });
});

describe('lists, defaults, required and patterns', () => {
  it('a list with no matches is [] and, when required, MISSING', () => {
    expect(one('<p>x</p>', { selector: 'li', type: 'string', list: true })).toEqual({
      fields: { f: [] },
      errors: [],
    });
    const { fields, errors } = one('<p>x</p>', {
      selector: 'li',
      type: 'string',
      list: true,
      required: true,
    });
    expect(fields).toEqual({ f: [] });
    expect(errors).toEqual([{ field: 'f', code: 'MISSING', message: 'no element matches "li"' }]);
  });

  it('drops invalid list items and reports them once', () => {
    const { fields, errors } = one('<li>1</li><li>x</li><li>3</li><li>y</li>', {
      selector: 'li',
      type: 'integer',
      list: true,
    });
    expect(fields).toEqual({ f: [1, 3] });
    expect(errors).toEqual([
      { field: 'f', code: 'INVALID_TYPE', message: '2 items dropped; first: "x" is not a number' },
    ]);
  });

  it('a missing scalar takes its default, null included, or is absent', () => {
    const html = '<p>x</p>';
    expect(one(html, { selector: '.none', type: 'string', default: 'n/a' }).fields).toEqual({ f: 'n/a' });
    expect(one(html, { selector: '.none', type: 'number', default: null }).fields).toEqual({ f: null });
    expect(one(html, { selector: '.none', type: 'number' })).toEqual({ fields: {}, errors: [] });
    expect(one('<b>  </b>', { selector: 'b', type: 'string', default: 'blank' }).fields).toEqual({
      f: 'blank',
    });
    expect(one('<b></b><b>second</b>', { selector: 'b', type: 'string' }).fields).toEqual({ f: 'second' });
  });

  it('an invalid scalar is reported and falls back to its default', () => {
    const { fields, errors } = one('<b>soon</b>', { selector: 'b', type: 'date', default: null });
    expect(fields).toEqual({ f: null });
    expect(errors.map((e) => e.code)).toEqual(['INVALID_TYPE']);
  });

  it('required fields report MISSING for no match, no attribute or empty text', () => {
    for (const [html, rule] of [
      ['<p>x</p>', { selector: 'h1' }],
      ['<a>x</a>', { selector: 'a', attribute: 'href' }],
      ['<h1> \n </h1>', { selector: 'h1' }],
    ] as const) {
      const { fields, errors } = one(html, { ...rule, type: 'string', required: true });
      expect(fields).toEqual({});
      expect(errors.map((e) => e.code)).toEqual(['MISSING']);
    }
  });

  it('takes capture group 1, keeps the value when there is none, and reports mismatches', () => {
    const html = '<b>SKU: AB-123 (new)</b>';
    expect(one(html, { selector: 'b', type: 'string', pattern: 'SKU: ([A-Z]+-\\d+)' }).fields.f).toBe(
      'AB-123',
    );
    expect(one(html, { selector: 'b', type: 'integer', pattern: '-(\\d+)' }).fields.f).toBe(123);
    expect(one(html, { selector: 'b', type: 'string', pattern: 'AB|(XY)' }).fields.f).toBe(html.slice(3, -4));
    const miss = one(html, { selector: 'b', type: 'string', pattern: '^\\d+$' });
    expect(miss.fields).toEqual({});
    expect(miss.errors).toEqual([
      { field: 'f', code: 'PATTERN_MISMATCH', message: '"SKU: AB-123 (new)" does not match the pattern' },
    ]);
    expect(one('<b>Grüße</b>', { selector: 'b', type: 'string', pattern: '^\\p{L}+$' }).fields.f).toBe(
      'Grüße',
    );
  });

  it('runs the pattern on the resolved URL of an href', () => {
    const result = one('<a href="/items/77">x</a>', {
      selector: 'a',
      attribute: 'href',
      type: 'integer',
      pattern: '/items/(\\d+)$',
    });
    expect(result.fields.f).toBe(77);
  });
});

describe('bad rules and selectors', () => {
  it('reports a bad selector per record and still reads the other fields', () => {
    for (const selector of ['div[', '<img src=x onerror=alert(1)>', ':nope(1)', '   ', 'a'.repeat(1001)]) {
      const { fields, errors } = run(PRODUCT, [
        { name: 'bad', selector, type: 'string' },
        { name: 'price', selector: '.price', type: 'number' },
      ]);
      expect(fields).toEqual({ price: 12.99 });
      expect(errors.map((e) => [e.field, e.code])).toEqual([['bad', 'BAD_SELECTOR']]);
    }
  });

  it('reports malformed rules as BAD_RULE', () => {
    const rules = [
      { name: '1st', selector: 'b', type: 'string' },
      { name: 'dup', selector: 'b', type: 'string' },
      { name: 'dup', selector: 'i', type: 'string' },
      { name: 'weird', selector: 'b', type: 'color' as StructuredFieldType },
      { name: 'regex', selector: 'b', type: 'string', pattern: '(' },
      { name: 'attr', selector: 'b', type: 'string', attribute: 'a b' },
      { name: '__proto__', selector: 'b', type: 'string' },
    ] satisfies StructuredFieldRule[];
    const { fields, errors } = run('<b>x</b>', rules);
    expect(fields).toEqual({ dup: 'x' });
    expect(errors.map((e) => [e.field, e.code])).toEqual([
      ['1st', 'BAD_RULE'],
      ['dup', 'BAD_RULE'],
      ['weird', 'BAD_RULE'],
      ['regex', 'BAD_RULE'],
      ['attr', 'BAD_RULE'],
      ['__proto__', 'BAD_RULE'],
    ]);
  });

  it('checkStructuredFieldRules finds the same problems without a page', () => {
    const problems = checkStructuredFieldRules([
      { name: 'ok', selector: 'main > p:first-child', type: 'string' },
      { name: 'bad', selector: 'p:::x', type: 'string' },
      { name: 'dup', selector: 'b', type: 'string', required: true },
      { name: 'dup', selector: 'b', type: 'string' },
    ]);
    expect(problems.map((e) => [e.field, e.code])).toEqual([
      ['bad', 'BAD_SELECTOR'],
      ['dup', 'BAD_RULE'],
    ]);
  });
});

describe('bounds on hostile input', () => {
  it('caps a list and reports TOO_MANY', () => {
    const html = `<ul>${'<li>x</li>'.repeat(1500)}</ul>`;
    const { fields, errors } = one(html, { selector: 'li', type: 'string', list: true });
    expect((fields.f as unknown[]).length).toBe(1000);
    expect(errors).toEqual([
      { field: 'f', code: 'TOO_MANY', message: 'more than 1000 matches; the first 1000 are kept' },
    ]);
    const small = extractStructuredFields(
      html,
      PAGE_URL,
      [{ name: 'f', selector: 'li', type: 'string', list: true }],
      {
        maxListItems: 3,
      },
    );
    expect(small.fields.f).toEqual(['x', 'x', 'x']);
  });

  it('applies only the first 100 rules', () => {
    const rules = Array.from({ length: 105 }, (_, i): StructuredFieldRule => ({
      name: `f${i}`,
      selector: 'b',
      type: 'string',
    }));
    const { fields, errors } = run('<b>x</b>', rules);
    expect(Object.keys(fields)).toHaveLength(MAX_STRUCTURED_FIELD_RULES);
    expect(fields.f104).toBeUndefined();
    expect(errors).toEqual([
      { field: '*', code: 'TOO_MANY', message: '105 rules declared; only the first 100 are applied' },
    ]);
  });

  it('cuts long values, attributes included, without splitting a surrogate pair', () => {
    const text = one(`<p>${'a'.repeat(300_000)}</p>`, { selector: 'p', type: 'string' }).fields.f as string;
    expect(text.length).toBe(100_000);
    const attr = one(`<p title="${'b'.repeat(2_000_000)}">`, {
      selector: 'p',
      attribute: 'title',
      type: 'string',
    });
    expect((attr.fields.f as string).length).toBe(100_000);
    const emoji = extractStructuredFields(
      `<p>a${'😀'.repeat(10)}</p>`,
      PAGE_URL,
      [{ name: 'f', selector: 'p', type: 'string' }],
      {
        maxValueChars: 4,
      },
    );
    expect(emoji.fields.f).toBe('a😀');
  });

  it('caps the characters of a whole record', () => {
    const html = `${'<p>' + 'c'.repeat(90_000) + '</p>'}`.repeat(30);
    const { fields, errors } = one(html, { selector: 'p', type: 'string', list: true });
    const total = (fields.f as string[]).reduce((sum, value) => sum + value.length, 0);
    expect(total).toBe(1_000_000);
    expect(errors.map((e) => e.code)).toEqual(['TOO_MANY']);
  });

  it('stays fast on nested lists whose texts overlap', () => {
    const html = `${'<div>'.repeat(5000)}${'word '.repeat(50_000)}${'</div>'.repeat(5000)}`;
    const started = performance.now();
    const { fields, errors } = one(html, { selector: 'div', type: 'string', list: true });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect((fields.f as string[]).length).toBeGreaterThan(0);
    expect(errors.map((e) => e.code)).toContain('TOO_MANY');
  });

  it('refuses to run a pattern on a very long value', () => {
    const { errors } = one(`<p>${'a'.repeat(20_000)}!</p>`, {
      selector: 'p',
      type: 'string',
      pattern: '^(a|aa)+$',
    });
    expect(errors[0]?.code).toBe('PATTERN_MISMATCH');
    expect(errors[0]?.message).toContain('too long');
  });

  it('runs a pathological pattern on a hostile value in linear time', () => {
    const started = performance.now();
    const { fields, errors } = one(`<p>${'a'.repeat(9_000)}!</p>`, {
      selector: 'p',
      type: 'string',
      pattern: '^(a+)+$',
    });
    expect(performance.now() - started).toBeLessThan(200);
    expect(fields).toEqual({});
    expect(errors[0]?.code).toBe('PATTERN_MISMATCH');
  });

  it('reports a pattern RE2 cannot run as BAD_RULE, saying why', () => {
    const { errors } = one('<p>12 EUR</p>', { selector: 'p', type: 'number', pattern: '\\d+(?= EUR)' });
    expect(errors).toEqual([
      {
        field: 'f',
        code: 'BAD_RULE',
        message: expect.stringMatching(/^pattern cannot be used: lookahead and lookbehind .* not supported/),
      },
    ]);
  });

  it('survives binary garbage, unclosed markup and a 20 MB page', () => {
    const garbage = Array.from({ length: 50_000 }, (_, i) => String.fromCharCode((i * 7919) % 65_536)).join(
      '',
    );
    expect(() => one(garbage, { selector: 'p', type: 'string', list: true })).not.toThrow();
    expect(one('<p class="x">unclosed <b>bold', { selector: 'p.x', type: 'string' }).fields.f).toBe(
      'unclosed bold',
    );
    const big = `<html><body>${'<div class="row"><span>1</span></div>'.repeat(560_000)}</body></html>`;
    expect(big.length).toBeGreaterThan(19_000_000);
    const { fields, errors } = run(big, [
      { name: 'rows', selector: '.row span', type: 'integer', list: true },
      { name: 'first', selector: '.row', type: 'integer' },
    ]);
    expect((fields.rows as number[]).length).toBe(1000);
    expect(fields.first).toBe(1);
    expect(errors.map((e) => e.code)).toEqual(['TOO_MANY']);
  }, 60_000);

  it('never lets a field name reach the prototype', () => {
    const { fields } = run('<b>x</b>', [{ name: 'constructor', selector: 'b', type: 'string' }]);
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
    expect(Object.hasOwn(fields, 'constructor')).toBe(true);
  });
});
