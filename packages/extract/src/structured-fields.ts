import { LinearPattern, UnsupportedPatternError } from '@gleaner/core';
import { load } from 'cheerio/slim';
import type { CheerioAPI } from 'cheerio/slim';
import type { AnyNode, Document, Element, ParentNode } from 'domhandler';
import { isElement } from './dom-utils.js';
import { parseHtml } from './parse-html.js';

/** Types a structured field converts its value to. */
export type StructuredFieldType = 'string' | 'number' | 'integer' | 'boolean' | 'date' | 'url';

/**
 * One declarative rule of a campaign: a CSS selector read into a typed JSON field. Validated at campaign
 * creation by `StructuredFieldsSchema` in `@gleaner/contracts`; {@link extractStructuredFields} re-checks what it
 * relies on and reports a bad rule as a per-record error.
 */
export interface StructuredFieldRule {
  /** JSON key of the field: `/^[A-Za-z_][A-Za-z0-9_]{0,63}$/`, unique within the campaign. */
  name: string;
  /** CSS selector (cheerio, including its `:contains()` and `:first` extensions), at most 1,000 characters. */
  selector: string;
  /**
   * Read this attribute (case-insensitive) instead of the element's text, e.g. `content`, `datetime`. `href`
   * and `src` values are resolved against the page's base URL.
   */
  attribute?: string;
  type: StructuredFieldType;
  /** All matches as an array (at most `maxListItems`) instead of the first match. Default false. */
  list?: boolean;
  /** A missing value is reported as a `MISSING` error. Default false. */
  required?: boolean;
  /** Value used when nothing matches (scalar fields only), taken as is. */
  default?: string | number | boolean | null;
  /**
   * Regular expression in RE2 syntax ({@link LinearPattern}: linear time, no backreferences or lookaround) the text
   * must match before conversion; capture group 1, when the pattern has one and it took part in the match, replaces
   * the value (else the value is kept whole).
   */
  pattern?: string;
  /** Collapse runs of white space to one space and trim. Default true. */
  trim?: boolean;
  /**
   * Decimal separator of `number` and `integer` fields when the page uses one consistently; the other of `.`
   * and `,` is then a thousands separator. Unset, the separator is guessed (see docs/structured-fields.md).
   */
  decimalSeparator?: '.' | ',';
}

/** Why a field of one record has no (or a partial) value. */
export type StructuredFieldErrorCode =
  'MISSING' | 'INVALID_TYPE' | 'PATTERN_MISMATCH' | 'BAD_SELECTOR' | 'BAD_RULE' | 'TOO_MANY';

/** A per-record problem with one field; the page itself is never failed because of a field. */
export interface StructuredFieldError {
  /** Name of the rule's field; `*` for problems with the rule set as a whole. */
  field: string;
  code: StructuredFieldErrorCode;
  /** One line for people; quotes at most 80 characters of page content. */
  message: string;
}

/** Result of {@link extractStructuredFields}. */
export interface StructuredFieldsResult {
  /** Converted values by field name; a missing field without a default is absent (lists are `[]`). */
  fields: Record<string, unknown>;
  errors: StructuredFieldError[];
}

/** Options of {@link extractStructuredFields}; the defaults bound the work on hostile pages. */
export interface StructuredFieldsOptions {
  /** Rules applied; later ones are skipped with a `TOO_MANY` error (default {@link MAX_STRUCTURED_FIELD_RULES}). */
  maxRules?: number;
  /** Items kept in a list field; more give a `TOO_MANY` error (default {@link DEFAULT_MAX_LIST_ITEMS}). */
  maxListItems?: number;
  /** Characters kept of one value; longer values are cut (default {@link DEFAULT_MAX_VALUE_CHARS}). */
  maxValueChars?: number;
  /** Characters kept over all values of a record (default {@link DEFAULT_MAX_TOTAL_CHARS}). */
  maxTotalChars?: number;
  /** Longest value a `pattern` is run on (default 10,000 characters); RE2's time grows linearly with it. */
  maxPatternInputChars?: number;
  /** Deepest element nesting kept when `html` is a string (default: {@link parseHtml}'s). */
  maxNestingDepth?: number;
}

/** Most rules one campaign may declare. */
export const MAX_STRUCTURED_FIELD_RULES = 100;
/** Default of {@link StructuredFieldsOptions.maxListItems}. */
export const DEFAULT_MAX_LIST_ITEMS = 1000;
/** Default of {@link StructuredFieldsOptions.maxValueChars}: 100,000 characters. */
export const DEFAULT_MAX_VALUE_CHARS = 100_000;
/** Default of {@link StructuredFieldsOptions.maxTotalChars}: 1,000,000 characters. */
export const DEFAULT_MAX_TOTAL_CHARS = 1_000_000;
const DEFAULT_MAX_PATTERN_INPUT_CHARS = 10_000;
const MAX_SELECTOR_CHARS = 1000;
const MAX_URL_CHARS = 8192;

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const ATTRIBUTE = /^[^\s"'>/=\p{Cc}]{1,100}$/u;
const TYPES: ReadonlySet<string> = new Set(['string', 'number', 'integer', 'boolean', 'date', 'url']);
/** Attributes whose values are links, resolved against the base URL whatever the field type. */
const LINK_ATTRIBUTES: ReadonlySet<string> = new Set(['href', 'src']);
/** Element contents that are never visible text below the selected element. */
const HIDDEN: ReadonlySet<string> = new Set(['script', 'style', 'template', 'noscript']);
const BLOCKS: ReadonlySet<string> = new Set([
  'address', 'article', 'aside', 'blockquote', 'dd', 'div', 'dl', 'dt', 'figcaption', 'figure', 'footer',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section',
  'table', 'td', 'th', 'tr', 'ul',
]); // prettier-ignore

/** A rule checked once per rule set, with its pattern compiled. */
interface CompiledRule {
  rule: StructuredFieldRule;
  attribute: string | undefined;
  pattern: LinearPattern | undefined;
  problem: string | undefined;
}

const compiledCache = new WeakMap<readonly StructuredFieldRule[], CompiledRule[]>();

function compileRules(rules: readonly StructuredFieldRule[]): CompiledRule[] {
  const cached = compiledCache.get(rules);
  if (cached) return cached;
  const seen = new Set<string>();
  const compiled = rules.map((rule): CompiledRule => {
    const attribute = typeof rule.attribute === 'string' ? rule.attribute.toLowerCase() : undefined;
    const result: CompiledRule = { rule, attribute, pattern: undefined, problem: undefined };
    if (typeof rule.name !== 'string' || !NAME.test(rule.name) || rule.name === '__proto__') {
      result.problem = 'field name must match /^[A-Za-z_][A-Za-z0-9_]{0,63}$/';
    } else if (seen.has(rule.name)) {
      result.problem = 'field name is declared twice';
    } else if (!TYPES.has(rule.type)) {
      result.problem = `unknown type ${JSON.stringify(String(rule.type).slice(0, 20))}`;
    } else if (attribute !== undefined && !ATTRIBUTE.test(attribute)) {
      result.problem = 'attribute is not a valid attribute name';
    } else if (rule.pattern !== undefined) {
      try {
        result.pattern = LinearPattern.compile(rule.pattern);
      } catch (error) {
        if (!(error instanceof UnsupportedPatternError)) throw error;
        result.problem = `pattern cannot be used: ${error.reason}`;
      }
    }
    if (typeof rule.name === 'string') seen.add(rule.name);
    return result;
  });
  compiledCache.set(rules, compiled);
  return compiled;
}

/** Quote page content in a message: JSON-escaped, at most 80 characters. */
function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
}

/** Cut `text` to at most `max` UTF-16 units without splitting a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/**
 * Text of an element as a reader sees it: `<br>` and block elements break lines; script, style, template and
 * noscript contents below it are skipped (selecting a `<script>` itself reads its body, e.g. JSON-LD). Walked
 * with an explicit stack; stops after `maxChars` characters.
 */
function elementText(root: Element, maxChars: number): string {
  const parts: string[] = [];
  let length = 0;
  const stack: (AnyNode | '\n')[] = [root];
  while (stack.length > 0 && length <= maxChars) {
    const node = stack.pop()!;
    if (node === '\n') {
      parts.push(node);
      length++;
    } else if (node.type === 'text') {
      parts.push(node.data);
      length += node.data.length;
    } else if (node === root || (node.type === 'tag' && !HIDDEN.has(node.name))) {
      const name = (node as Element).name;
      if (name === 'br') {
        parts.push('\n');
        length++;
        continue;
      }
      const block = node !== root && BLOCKS.has(name);
      if (block) stack.push('\n');
      const children = (node as ParentNode).children;
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
      if (block) stack.push('\n');
    }
  }
  return parts.join('');
}

/** Resolve `value` against `base`; undefined when it isn't a URL. */
function resolveUrl(value: string, base: string): URL | undefined {
  if (value.length > MAX_URL_CHARS) return undefined;
  try {
    return new URL(value, base);
  } catch {
    return undefined;
  }
}

const NUMBER_TOKEN =
  /((?<![\p{L}\p{N}])[-+\u2212])?(\d+(?:(?:[.,]|[ \u00a0\u202f'\u2019_](?=\d{3}(?!\d)))\d+)*)/u;
const PLAIN_NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;

/**
 * Read a number leniently: the first number in the text, with `.`, `,`, spaces and apostrophes as separators
 * (see docs/structured-fields.md for the exact rule). Undefined when there is none or it is ambiguous.
 */
function parseNumber(text: string, decimalSeparator: '.' | ',' | undefined): number | undefined {
  const plain = text.trim();
  if (PLAIN_NUMBER.test(plain) && (decimalSeparator !== ',' || !plain.includes('.'))) {
    const value = Number(plain);
    return Number.isFinite(value) ? value : undefined;
  }
  const match = NUMBER_TOKEN.exec(text.length > 1000 ? text.slice(0, 1000) : text);
  if (!match) return undefined;
  const negative = match[1] === '-' || match[1] === '\u2212';
  const digits = match[2]!.replace(/[ \u00a0\u202f'\u2019_]/gu, '');
  const dots = digits.split('.').length - 1;
  const commas = digits.split(',').length - 1;
  let decimal: '.' | ',' | undefined = decimalSeparator;
  if (decimal === undefined) {
    if (dots > 0 && commas > 0) decimal = digits.lastIndexOf('.') > digits.lastIndexOf(',') ? '.' : ',';
    else if (dots > 1) decimal = ',';
    else if (commas > 1 || dots === 1) decimal = '.';
    else if (commas === 1) decimal = /,\d{3}$/.test(digits) ? '.' : ',';
    else decimal = '.';
  }
  const group = decimal === '.' ? ',' : '.';
  const decimals = decimal === '.' ? dots : commas;
  if (decimals > 1) return undefined;
  if (decimals === 1 && digits.lastIndexOf(group) > digits.indexOf(decimal)) return undefined;
  const groups = digits.split(group);
  // Thousands groups are three digits wide (the first one and the one holding the decimals excepted).
  for (let i = 1; i < groups.length; i++) if (!/^\d{3}(?:[.,]|$)/.test(groups[i]!)) return undefined;
  const value = Number(groups.join('').replace(decimal, '.'));
  if (!Number.isFinite(value)) return undefined;
  return negative ? -value : value;
}

const TRUE_WORDS: ReadonlySet<string> = new Set(['true', 'yes', '1']);
const FALSE_WORDS: ReadonlySet<string> = new Set(['false', 'no', '0']);

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const HAS_ZONE = /[+-]\d{2}:?\d{2}\b|\b(?:UTC|GMT|UT|[ECMP][SD]T)\b/;

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/** `YYYY-MM-DD` of a UTC time, or undefined outside years 1..9999. */
function dateOnly(time: number): string | undefined {
  const date = new Date(time);
  const year = date.getUTCFullYear();
  if (year < 1 || year > 9999) return undefined;
  return `${String(year).padStart(4, '0')}-${twoDigits(date.getUTCMonth() + 1)}-${twoDigits(date.getUTCDate())}`;
}

/** Full ISO timestamp of a time, or undefined outside years 1..9999. */
function timestamp(time: number): string | undefined {
  if (Number.isNaN(time)) return undefined;
  const year = new Date(time).getUTCFullYear();
  return year >= 1 && year <= 9999 ? new Date(time).toISOString() : undefined;
}

/**
 * ISO 8601 form of a date: `YYYY-MM-DD` when the text has no time of day, else a UTC timestamp. ISO input
 * without an offset, and other formats without a zone, are read as UTC. Independent of the process time zone.
 */
function parseDate(text: string): string | undefined {
  const value = text.trim();
  if (value.length > 200) return undefined;
  const iso = ISO_DATE.exec(value);
  if (iso) {
    const [, y, mo, d, h, mi, s, frac, zone] = iso;
    const day = `${y}-${mo}-${d}`;
    const noon = Date.UTC(Number(y), Number(mo) - 1, Number(d), 12);
    if (Number.isNaN(noon) || dateOnly(noon) !== day) return undefined; // e.g. 2016-02-30
    if (h === undefined) return day;
    if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return undefined;
    let offset = 'Z';
    if (zone !== undefined && zone.toUpperCase() !== 'Z') {
      offset = zone.length === 3 ? `${zone}:00` : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
    }
    const ms = frac === undefined ? '' : `.${frac.slice(0, 3).padEnd(3, '0')}`;
    return timestamp(Date.parse(`${day}T${h}:${mi}:${s ?? '00'}${ms}${offset}`));
  }
  // Other formats go to the Date parser, but only when they carry a year: it reads "1" as 2001.
  if (!/(?:^|\D)\d{4}(?:\D|$)/.test(value)) return undefined;
  const hasTime = /\d:\d/.test(value);
  if (HAS_ZONE.test(value)) return hasTime ? timestamp(Date.parse(value)) : undefined;
  const time = Date.parse(`${value} UTC`);
  if (Number.isNaN(time)) return undefined;
  return hasTime ? timestamp(time) : dateOnly(time);
}

/** Outcome of converting one raw value. */
type Converted =
  { ok: true; value: unknown } | { ok: false; code: StructuredFieldErrorCode; message: string };

/** Context shared by every value of one record. */
interface RecordContext {
  baseUrl: string;
  maxValueChars: number;
  maxPatternInputChars: number;
}

/** Apply the rule's pattern and type to one raw value (already trimmed if asked). */
function convert(raw: string, compiled: CompiledRule, ctx: RecordContext): Converted {
  const { rule, pattern } = compiled;
  let text = raw;
  if (pattern) {
    if (text.length > ctx.maxPatternInputChars) {
      return {
        ok: false,
        code: 'PATTERN_MISMATCH',
        message: `value of ${text.length} characters is too long to match the pattern (limit ${ctx.maxPatternInputChars})`,
      };
    }
    const match = pattern.exec(text);
    if (!match)
      return { ok: false, code: 'PATTERN_MISMATCH', message: `${quote(text)} does not match the pattern` };
    const group = match[1];
    if (group !== undefined && group !== null) text = group;
  }
  const invalid = (what: string): Converted => ({
    ok: false,
    code: 'INVALID_TYPE',
    message: `${quote(text)} is not ${what}`,
  });
  switch (rule.type) {
    case 'string':
      return { ok: true, value: text };
    case 'number':
    case 'integer': {
      const value = parseNumber(text, rule.decimalSeparator);
      if (value === undefined) return invalid('a number');
      if (rule.type === 'integer' && !Number.isSafeInteger(value)) return invalid('an integer');
      return { ok: true, value: Object.is(value, -0) ? 0 : value };
    }
    case 'boolean': {
      const word = text.trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return { ok: true, value: true };
      if (FALSE_WORDS.has(word)) return { ok: true, value: false };
      // An HTML boolean attribute: present, empty or repeating its own name (`checked="checked"`).
      if (compiled.attribute !== undefined && !pattern && (word === '' || word === compiled.attribute)) {
        return { ok: true, value: true };
      }
      return invalid('a boolean (true/false, yes/no, 1/0)');
    }
    case 'date': {
      const value = parseDate(text);
      return value === undefined ? invalid('a date') : { ok: true, value };
    }
    case 'url': {
      const url = resolveUrl(text.trim(), ctx.baseUrl);
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return invalid('an http(s) URL');
      return { ok: true, value: url.href };
    }
  }
}

/** The raw value of one matched element, or undefined when it has none (attribute absent, empty text). */
function rawValue(el: Element, compiled: CompiledRule, maxChars: number): string | undefined {
  let value: string | undefined;
  if (compiled.attribute !== undefined) {
    value = el.attribs[compiled.attribute];
    if (value === undefined) return undefined;
    value = cut(value, maxChars);
  } else {
    value = cut(elementText(el, maxChars), maxChars);
  }
  if (compiled.rule.trim !== false) value = value.replace(/\s+/g, ' ').trim();
  // An empty attribute still counts for booleans (`<input checked>`); empty text never does.
  if (value.trim() === '' && !(compiled.attribute !== undefined && compiled.rule.type === 'boolean'))
    return undefined;
  return value;
}

/** The root document behind whatever the caller passed. */
function toCheerio(html: string | Document | CheerioAPI, maxNestingDepth: number | undefined): CheerioAPI {
  if (typeof html === 'function') return html;
  return load(typeof html === 'string' ? parseHtml(html, maxNestingDepth) : html);
}

/** The document's base URL: `<base href>` resolved against the page URL, else the page URL. */
function baseUrlOf($: CheerioAPI, pageUrl: string): string {
  const href = $('base[href]').first().attr('href');
  if (href === undefined) return pageUrl;
  const url = resolveUrl(href.trim(), pageUrl);
  return url && (url.protocol === 'http:' || url.protocol === 'https:') ? url.href : pageUrl;
}

/**
 * Apply a campaign's structured-field rules to one page: each rule's CSS selector picks elements, whose text
 * (or `attribute`) is trimmed, matched against `pattern`, converted to the rule's type and stored under its
 * name. Never throws because of a rule or the page: bad selectors, missing required values, unconvertible
 * values and exceeded limits come back as per-record `errors`, next to whatever fields could be read.
 *
 * Bounded on hostile pages: at most `maxRules` rules, `maxListItems` items per list, `maxValueChars` per value
 * and `maxTotalChars` per record; text is collected with an explicit stack and stops at the value limit.
 *
 * @param html The page as a string (parsed with {@link parseHtml}), an already parsed document or a cheerio API.
 * @param pageUrl Final URL of the page; `href`/`src` attributes and `url` fields resolve against it (or
 *   against the page's `<base href>`).
 */
export function extractStructuredFields(
  html: string | Document | CheerioAPI,
  pageUrl: string,
  rules: readonly StructuredFieldRule[],
  options: StructuredFieldsOptions = {},
): StructuredFieldsResult {
  const maxRules = options.maxRules ?? MAX_STRUCTURED_FIELD_RULES;
  const maxListItems = options.maxListItems ?? DEFAULT_MAX_LIST_ITEMS;
  const maxValueChars = options.maxValueChars ?? DEFAULT_MAX_VALUE_CHARS;
  let budget = options.maxTotalChars ?? DEFAULT_MAX_TOTAL_CHARS;
  const errors: StructuredFieldError[] = [];
  const entries: [string, unknown][] = [];
  const compiled = compileRules(rules);
  if (compiled.length > maxRules) {
    errors.push({
      field: '*',
      code: 'TOO_MANY',
      message: `${compiled.length} rules declared; only the first ${maxRules} are applied`,
    });
  }
  const active = compiled.slice(0, maxRules);
  if (active.length === 0) return { fields: {}, errors };

  const $ = toCheerio(html, options.maxNestingDepth);
  const ctx: RecordContext = {
    baseUrl: baseUrlOf($, pageUrl),
    maxValueChars,
    maxPatternInputChars: options.maxPatternInputChars ?? DEFAULT_MAX_PATTERN_INPUT_CHARS,
  };
  const root = $.root();

  for (const rule of active) {
    const { name } = rule.rule;
    const field = typeof name === 'string' ? name : '?';
    const fail = (code: StructuredFieldErrorCode, message: string): void => {
      errors.push({ field, code, message });
    };
    if (rule.problem !== undefined) {
      fail('BAD_RULE', rule.problem);
      continue;
    }
    const { selector } = rule.rule;
    if (typeof selector !== 'string' || selector.trim() === '' || selector.length > MAX_SELECTOR_CHARS) {
      fail('BAD_SELECTOR', `selector must be 1 to ${MAX_SELECTOR_CHARS} characters`);
      continue;
    }
    let matches: Element[];
    try {
      // `.find()` always reads a selector; `$(string)` would build elements from strings starting with "<".
      matches = root.find(selector).toArray().filter(isElement);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      fail('BAD_SELECTOR', `selector ${quote(selector)} is invalid: ${reason.slice(0, 200)}`);
      continue;
    }

    const isLink =
      rule.attribute !== undefined && LINK_ATTRIBUTES.has(rule.attribute) && rule.rule.type !== 'url';
    const values: unknown[] = [];
    let invalid = 0;
    let firstInvalid: Converted | undefined;
    let truncated = false;
    const limit = rule.rule.list ? maxListItems : 1;
    for (const el of matches) {
      if (values.length >= limit) {
        truncated = rule.rule.list === true;
        break;
      }
      if (budget <= 0) {
        fail(
          'TOO_MANY',
          `record is over its ${options.maxTotalChars ?? DEFAULT_MAX_TOTAL_CHARS}-character limit`,
        );
        break;
      }
      let raw = rawValue(el, rule, Math.min(maxValueChars, budget));
      if (raw === undefined) continue;
      budget -= raw.length;
      if (isLink) raw = resolveUrl(raw.trim(), ctx.baseUrl)?.href ?? raw;
      const converted = convert(raw, rule, ctx);
      if (converted.ok) {
        values.push(converted.value);
      } else {
        invalid++;
        firstInvalid ??= converted;
        if (!rule.rule.list) break; // a scalar field reads the first non-empty match only
      }
    }

    if (firstInvalid && !firstInvalid.ok) {
      const message = rule.rule.list
        ? `${invalid} item${invalid === 1 ? '' : 's'} dropped; first: ${firstInvalid.message}`
        : firstInvalid.message;
      fail(firstInvalid.code, message);
    }
    if (truncated) fail('TOO_MANY', `more than ${maxListItems} matches; the first ${maxListItems} are kept`);

    if (rule.rule.list) {
      entries.push([field, values]);
      if (values.length === 0 && rule.rule.required && invalid === 0) {
        fail('MISSING', `no element matches ${quote(selector)}`);
      }
    } else if (values.length > 0) {
      entries.push([field, values[0]]);
    } else {
      if (rule.rule.default !== undefined) entries.push([field, rule.rule.default]);
      if (rule.rule.required && invalid === 0) {
        fail(
          'MISSING',
          matches.length === 0 ? `no element matches ${quote(selector)}` : 'matched elements have no value',
        );
      }
    }
  }
  // fromEntries defines own properties, so a hostile key such as "__proto__" can't reach the prototype.
  return { fields: Object.fromEntries(entries), errors };
}

/**
 * Check a rule set without a page: the problems {@link extractStructuredFields} would report on every record
 * (bad names, duplicate names, unknown types, patterns that don't compile, selectors cheerio rejects). Meant for
 * campaign creation, next to the `StructuredFieldsSchema` check that can't parse selectors.
 */
export function checkStructuredFieldRules(rules: readonly StructuredFieldRule[]): StructuredFieldError[] {
  return extractStructuredFields('<html><body></body></html>', 'https://example.com/', rules).errors.filter(
    (error) => error.code === 'BAD_RULE' || error.code === 'BAD_SELECTOR' || error.field === '*',
  );
}
