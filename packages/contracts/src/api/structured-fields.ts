import { z } from 'zod';
import { PatternSourceSchema } from './pattern-source.js';

/** Most structured-field rules one campaign may declare. */
export const MAX_STRUCTURED_FIELDS = 100;

const FIELD_TYPES = ['string', 'number', 'integer', 'boolean', 'date', 'url'] as const;

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for `YYYY-MM-DD` naming a real calendar day. */
function isIsoDay(value: string): boolean {
  const match = ISO_DAY.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const FieldNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must be a letter or "_", then up to 63 letters, digits or "_"')
  .refine((name) => name !== '__proto__', 'is reserved')
  .meta({ example: 'price' });

// The description stays as the SDK's generated types have it until they are regenerated; docs/structured-fields.md
// gives the syntax (RE2's).
const PatternSchema = PatternSourceSchema.meta({
  description:
    'A JavaScript regular expression (compiled with the `u` flag) the value must match; capture group 1, if any, becomes the value',
});

/** Whether `value` can stand for a field of `type`, as its default. */
function defaultFits(type: (typeof FIELD_TYPES)[number], value: string | number | boolean): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
      return (
        typeof value === 'string' &&
        (isIsoDay(value) || z.iso.datetime({ offset: true }).safeParse(value).success)
      );
    case 'url':
      return typeof value === 'string' && isHttpUrl(value);
  }
}

/**
 * One structured-field rule: a CSS selector whose first match (or all matches, with `list`) is read — as text,
 * or from `attribute` — and converted to `type`, under the JSON key `name`. See docs/structured-fields.md.
 */
export const StructuredFieldRuleSchema = z
  .object({
    name: FieldNameSchema,
    selector: z
      .string()
      .max(1000)
      .refine((selector) => selector.trim() !== '', 'must not be empty')
      .meta({ example: 'article .price' }),
    attribute: z
      .string()
      .regex(/^[^\s"'>/=\p{Cc}]{1,100}$/u, 'must be an HTML attribute name')
      .optional()
      .meta({
        description: 'Read this attribute instead of the text; `href` and `src` resolve to absolute URLs',
      }),
    type: z.enum(FIELD_TYPES),
    list: z.boolean().default(false),
    required: z.boolean().default(false),
    default: z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]).optional(),
    pattern: PatternSchema.optional(),
    trim: z.boolean().default(true),
    decimalSeparator: z
      .enum(['.', ','])
      .optional()
      .meta({ description: 'For `number` and `integer` fields: the decimal separator the site uses' }),
  })
  .superRefine((rule, ctx) => {
    if (rule.default === undefined) return;
    if (rule.list) {
      ctx.addIssue({
        code: 'custom',
        path: ['default'],
        message: 'list fields have no default (they are [] when empty)',
      });
    } else if (rule.required) {
      ctx.addIssue({ code: 'custom', path: ['default'], message: 'a required field cannot have a default' });
    } else if (rule.default !== null && !defaultFits(rule.type, rule.default)) {
      const expected =
        rule.type === 'date'
          ? 'an ISO 8601 date'
          : rule.type === 'url'
            ? 'an http(s) URL'
            : rule.type === 'integer'
              ? 'an integer'
              : `a ${rule.type}`;
      ctx.addIssue({ code: 'custom', path: ['default'], message: `must be null or ${expected}` });
    }
  })
  .meta({ id: 'StructuredFieldRule' });

/**
 * A campaign's structured-field rules: at most 100, with unique names. Applied to every page, they add
 * validated JSON fields to its record; a field that can't be read is a per-record error, never a failed page.
 */
export const StructuredFieldsSchema = z
  .array(StructuredFieldRuleSchema)
  .max(MAX_STRUCTURED_FIELDS)
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.forEach((rule, index) => {
      if (seen.has(rule.name)) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'name'],
          message: `field name "${rule.name}" is used twice`,
        });
      }
      seen.add(rule.name);
    });
  })
  .meta({ id: 'StructuredFields' });

/** A structured-field rule as callers may send it (defaults not yet applied). */
export type StructuredFieldRuleInput = z.input<typeof StructuredFieldRuleSchema>;

/** A validated structured-field rule, defaults applied. */
export type StructuredFieldRuleSpec = z.output<typeof StructuredFieldRuleSchema>;
