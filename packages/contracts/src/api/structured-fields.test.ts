import { describe, expect, it } from 'vitest';
import { StructuredFieldRuleSchema, StructuredFieldsSchema } from './structured-fields.js';

const base = { name: 'price', selector: '.price', type: 'number' } as const;

function issues(input: unknown): string[] {
  const result = StructuredFieldsSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('StructuredFieldsSchema', () => {
  it('applies defaults', () => {
    expect(StructuredFieldRuleSchema.parse(base)).toEqual({
      ...base,
      list: false,
      required: false,
      trim: true,
    });
  });
  it('accepts a full rule set', () => {
    expect(
      issues([
        base,
        { name: 'tags', selector: 'li', type: 'string', list: true, pattern: '^#?(\\w+)$' },
        { name: 'url', selector: 'a', attribute: 'href', type: 'url', default: 'https://x.org/' },
        { name: 'when', selector: 'time', attribute: 'datetime', type: 'date', default: '2020-02-29' },
        { name: 'at', selector: 'time', type: 'date', default: '2020-02-29T10:00:00Z' },
        { name: 'n', selector: 'b', type: 'integer', default: 3, decimalSeparator: ',' },
        { name: 'ok', selector: 'b', type: 'boolean', default: false },
        { name: '_x', selector: 'b', type: 'string', default: null },
      ]),
    ).toEqual([]);
  });
  it.each([
    [[{ ...base, name: '1x' }], 'name'],
    [[{ ...base, name: 'a'.repeat(65) }], 'name'],
    [[{ ...base, name: '__proto__' }], 'name'],
    [[base, { ...base }], '1.name: field name "price" is used twice'],
    [[{ ...base, selector: '  ' }], 'selector: must not be empty'],
    [[{ ...base, selector: 'a'.repeat(1001) }], 'selector'],
    [[{ ...base, type: 'color' }], 'type'],
    [
      [{ ...base, pattern: '(' }],
      '0.pattern: pattern "(": not a valid RE2 regular expression: missing closing )',
    ],
    [[{ ...base, pattern: '(\\d)\\1' }], 'backreferences (\\1, \\k<name>) are not supported'],
    [[{ ...base, pattern: '\\d+(?= EUR)' }], 'lookahead and lookbehind'],
    [[{ ...base, attribute: 'a b' }], 'attribute'],
    [[{ ...base, default: '12' }], 'default: must be null or a number'],
    [[{ ...base, type: 'integer', default: 1.5 }], 'default: must be null or an integer'],
    [[{ ...base, type: 'date', default: '2021-02-29' }], 'ISO 8601'],
    [[{ ...base, type: 'url', default: 'ftp://x' }], 'http(s) URL'],
    [[{ ...base, list: true, default: 1 }], 'list fields have no default'],
    [[{ ...base, required: true, default: 1 }], 'required field cannot have a default'],
    [Array.from({ length: 101 }, (_, i) => ({ ...base, name: `f${i}` })), 'Too big'],
  ])('rejects %#', (input, fragment) => {
    const found = issues(input);
    expect(found.join('\n')).toContain(fragment);
  });
});

describe('structured-field patterns', () => {
  it('accepts repeated repetitions, which run in linear time', () => {
    expect(
      issues([
        { ...base, pattern: '(a+)+$' },
        { ...base, name: 'b', pattern: '(\\w*\\s?)*' },
      ]),
    ).toEqual([]);
  });
});
