/**
 * Redaction of e-mail addresses, phone numbers and IP addresses in extracted text or markdown. Every pattern
 * here is built so that each start position does a bounded amount of work (runs are only entered at their
 * first character, repetitions are bounded or unambiguous), so redaction is linear in the text's length.
 */

/** Which kinds of personal data to redact; each is off unless `true`. */
export interface PiiRedactionOptions {
  /** E-mail addresses, including `name [at] host [dot] tld` obfuscations. */
  emails?: boolean;
  /** Phone numbers in international (`+CC …`, `00CC …`) and common national formats. */
  phones?: boolean;
  /** IPv4 and IPv6 addresses. */
  ipAddresses?: boolean;
}

/** How many of each kind {@link redactPii} replaced. */
export interface PiiCounts {
  emails: number;
  phones: number;
  ipAddresses: number;
}

/** Text after {@link redactPii}, with what was replaced. */
export interface PiiRedactionResult {
  text: string;
  counts: PiiCounts;
}

/** Placeholder for an e-mail address. */
export const EMAIL_PLACEHOLDER = '[EMAIL]';
/** Placeholder for a phone number. */
export const PHONE_PLACEHOLDER = '[PHONE]';
/** Placeholder for an IPv4 or IPv6 address. */
export const IP_PLACEHOLDER = '[IP]';

/** Every kind switched on. */
export const REDACT_ALL_PII: Readonly<Required<PiiRedactionOptions>> = Object.freeze({
  emails: true,
  phones: true,
  ipAddresses: true,
});

// ---------------------------------------------------------------------------------------------------------
// E-mail

const LOCAL_CHAR = String.raw`[\p{L}\p{N}._%+\-\\]`;
const LABEL = String.raw`[\p{L}\p{N}\-]+`;
/** `@`, or an `at` in brackets or parentheses with optional spaces: ` [at] `, `(at)`, `{at}`. */
const AT = String.raw`(?:@|[ \t]{0,2}[\[({][ \t]{0,2}[aA][tT][ \t]{0,2}[\])}][ \t]{0,2})`;
/** `.`, or a bracketed `dot` as for {@link AT}. */
const DOT = String.raw`(?:\.|[ \t]{0,2}[\[({][ \t]{0,2}[dD][oO][tT][ \t]{0,2}[\])}][ \t]{0,2})`;

/**
 * A local part entered only at the start of its run (so a long run is scanned once), an `@` not followed by a
 * retina-image suffix (`logo@2x.png`), dot-separated labels and an alphabetic top-level domain.
 */
const EMAIL_RE = new RegExp(
  String.raw`(?<!${LOCAL_CHAR})${LOCAL_CHAR}+${AT}(?!\d(?:\.\d)?x\.)${LABEL}(?:${DOT}${LABEL})*${DOT}\p{L}{2,63}(?![\p{L}\p{N}\-])`,
  'gu',
);

/** Leading characters of a match that may belong to markdown (`_`, `\`) or punctuation rather than the address. */
const LEADING_NON_ALNUM = /^[^\p{L}\p{N}]+/u;

function redactEmails(text: string): [string, number] {
  let count = 0;
  const out = text.replace(EMAIL_RE, (match) => {
    const lead = LEADING_NON_ALNUM.exec(match)?.[0] ?? '';
    count++;
    return lead + EMAIL_PLACEHOLDER;
  });
  return [out, count];
}

// ---------------------------------------------------------------------------------------------------------
// IP addresses

const OCTET = String.raw`(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)`;

/**
 * Four valid octets, not part of a longer dotted run (`10.0.0.0.1`) nor of a malformed IPv6 (`1.2.3.4::1`), nor
 * glued to a word (`v1.2.3.4`).
 */
const IPV4_RE = new RegExp(
  String.raw`(?<![\p{L}\p{N}_.])(?:${OCTET}\.){3}${OCTET}(?![\p{L}\p{N}_]|\.\p{N}|::)`,
  'gu',
);

const IPV4_EXACT = new RegExp(String.raw`^(?:${OCTET}\.){3}${OCTET}$`, 'u');
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/u;

/** A run of hex digits, colons and dots (at most 45, the longest IPv6 text form), entered at its start. */
const IPV6_CANDIDATE_RE = /(?<![\p{L}\p{N}_:.])[0-9A-Fa-f:][0-9A-Fa-f:.]{1,44}(?![\p{L}\p{N}_:])/gu;

/** Whether `groups` (split on `:`) are hex groups, allowing a dotted IPv4 tail worth two groups. */
function countIpv6Groups(groups: string[]): number | undefined {
  let total = 0;
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i] ?? '';
    if (HEX_GROUP.test(group)) total += 1;
    else if (i === groups.length - 1 && IPV4_EXACT.test(group)) total += 2;
    else return undefined;
  }
  return total;
}

/**
 * Whether `candidate` is an IPv6 address: eight groups, or fewer with one `::`, optionally ending in an IPv4
 * address. Compressed forms must contain a decimal digit, so `::` in code and words such as `face::bad` are
 * not taken for addresses.
 */
export function isIpv6(candidate: string): boolean {
  const halves = candidate.split('::');
  if (halves.length > 2) return false;
  if (halves.length === 1) return countIpv6Groups(candidate.split(':')) === 8;
  if (!/\d/u.test(candidate)) return false;
  const [head = '', tail = ''] = halves;
  const headCount = head === '' ? 0 : countIpv6Groups(head.split(':'));
  const tailCount = tail === '' ? 0 : countIpv6Groups(tail.split(':'));
  if (headCount === undefined || tailCount === undefined) return false;
  if (head !== '' && IPV4_EXACT.test(head.split(':').at(-1) ?? '')) return false;
  return headCount + tailCount <= 7;
}

function redactIps(text: string): [string, number] {
  let count = 0;
  const v6 = text.replace(IPV6_CANDIDATE_RE, (match) => {
    // A sentence may end right after an address: "connect to ::1."
    const body = match.replace(/\.+$/u, '');
    if (!body.includes(':') || !isIpv6(body)) return match;
    count++;
    return IP_PLACEHOLDER + match.slice(body.length);
  });
  const v4 = v6.replace(IPV4_RE, () => {
    count++;
    return IP_PLACEHOLDER;
  });
  return [v4, count];
}

// ---------------------------------------------------------------------------------------------------------
// Phones

/** Separators allowed between digit groups: space, no-break space, dot, hyphen. */
const SEP = String.raw`[ \u00a0.\-]`;

/**
 * A candidate phone: an optional `+`, digit groups joined by single separators, with an optional parenthesised
 * group near the start (`+44 (0) 20`, `(555) 123`). It may not start inside a number, a word, an amount or a
 * time (`$`, `€`, `12:`), nor end before another digit group joined by `.`, `-`, `/`, `:` or `,`. Whether it
 * is really a phone is decided by {@link isPhone}.
 */
const PHONE_CANDIDATE_RE = new RegExp(
  String.raw`(?<![\p{L}\p{N}_.,/\\@#%=&*^~\-+\p{Sc}]|\p{N}:)` +
    String.raw`(?:\+?\d{1,15}(?:${SEP}?\(\d{1,4}\)${SEP}?\d{1,8})?|\(\+?\d{1,5}\)${SEP}?\d{1,8})` +
    String.raw`(?:${SEP}\d{1,8}){0,7}` +
    String.raw`(?![\p{L}\p{N}_%\p{Sc}]|[.,\-/:]\p{N})`,
  'gu',
);

/** Text just before a candidate that marks it as a book number: `ISBN `, `ISBN-13: `. */
const ISBN_BEFORE_RE = /isbn(?:-?1[03])?:?[ \u00a0]?$/iu;

/** North American numbers: `(212) 555-0123`, `212-555-0123`, `212.555.0123`, `1 212 555 0123`. */
const NANP_RE =
  /^(?:1[ \u00a0.-]?)?(?:\([2-9]\d\d\)[ \u00a0]?\d{3}[ \u00a0.-]|[2-9]\d\d([ \u00a0.-])\d{3}\1)\d{4}$/u;

const isDigitCode = (code: number): boolean => code >= 48 && code <= 57;

/** Lengths of the digit groups of `candidate`, in order (`"020 7946 0958"` → `[3, 4, 4]`). */
function groupLengths(candidate: string): number[] {
  const lengths: number[] = [];
  let run = 0;
  for (let i = 0; i < candidate.length; i++) {
    if (isDigitCode(candidate.charCodeAt(i))) run++;
    else if (run > 0) {
      lengths.push(run);
      run = 0;
    }
  }
  if (run > 0) lengths.push(run);
  return lengths;
}

/** Day-month-year or year-month-day shapes, so that dates never pass as numbers with a trunk prefix. */
function looksLikeDate(lengths: number[]): boolean {
  const [a = 0, b = 0, c = 0] = lengths;
  const small = (n: number): boolean => n >= 1 && n <= 2;
  return lengths.length >= 3 && ((small(a) && small(b) && c === 4) || (a === 4 && small(b) && small(c)));
}

/** Whether every separator between digit groups (after an optional leading `(0xx) `) is the same one character. */
function uniformSeparators(candidate: string): boolean {
  const body = candidate.startsWith('(') ? candidate.replace(/^\(\d+\)[ \u00a0]?/u, '') : candidate;
  let separator = -1;
  for (let i = 0; i < body.length; i++) {
    const code = body.charCodeAt(i);
    if (isDigitCode(code)) continue;
    if (!isDigitCode(body.charCodeAt(i + 1))) return false;
    if (separator === -1) separator = code;
    else if (code !== separator) return false;
  }
  return true;
}

/**
 * Whether a candidate (see {@link PHONE_CANDIDATE_RE}) is a phone number:
 * - international, `+` or `00` then the country code: 7–15 digits after the prefix; a country code of at most
 *   3 digits when grouped, 10–15 digits when written without separators;
 * - national with a trunk `0` (`020 7946 0958`, `(030) 1234567`, `06-12345678`): 9–12 digits in at least two
 *   groups, the first 2–5 digits, the others at least 2, one separator used throughout, not date-shaped;
 * - North American: see {@link NANP_RE}.
 * Anything else — bare digit runs, ISBNs, dates, times, prices, versions — is not a phone.
 */
export function isPhone(candidate: string): boolean {
  let digits = 0;
  for (let i = 0; i < candidate.length; i++) if (isDigitCode(candidate.charCodeAt(i))) digits++;
  if (digits < 7 || digits > 17) return false;
  const plus = candidate.startsWith('+') || candidate.startsWith('(+');
  const lead = candidate.startsWith('(') ? candidate.charAt(1) : candidate.charAt(0);
  if (!plus && lead !== '0') return NANP_RE.test(candidate);
  const lengths = groupLengths(candidate);
  const first = lengths[0] ?? 0;
  const international = plus || (lengths.length > 1 && candidate.startsWith('00'));
  if (international) {
    const prefix = plus ? 0 : 2;
    const national = digits - prefix;
    if (national < 7 || national > 15) return false;
    if (lengths.length === 1) return national >= 10;
    return first - prefix >= 1 && first - prefix <= 3;
  }
  if (lengths.length < 2 || digits < 9 || digits > 12) return false;
  if (first < 2 || first > 5) return false;
  if (lengths.some((n, i) => i > 0 && n < 2)) return false;
  return !looksLikeDate(lengths) && uniformSeparators(candidate);
}

/**
 * Length of the longest prefix of `candidate`, cut at a space, that is a phone ("212-555-0123 24" has one,
 * "212-555-0123"); 0 when there is none. Only prefixes with a plausible digit count are checked.
 */
function phonePrefixLength(candidate: string): number {
  let digits = 0;
  const cuts: number[] = [];
  for (let i = 0; i < candidate.length; i++) {
    const code = candidate.charCodeAt(i);
    if (isDigitCode(code)) digits++;
    else if (code === 32 && digits >= 7 && digits <= 17) cuts.push(i);
  }
  if (isPhone(candidate)) return candidate.length;
  for (let k = cuts.length - 1; k >= 0; k--) {
    const end = cuts[k] ?? 0;
    if (isPhone(candidate.slice(0, end))) return end;
  }
  return 0;
}

function redactPhones(text: string): [string, number] {
  const re = new RegExp(PHONE_CANDIDATE_RE.source, 'gu');
  let out = '';
  let copied = 0;
  let count = 0;
  for (let match = re.exec(text); match !== null; match = re.exec(text)) {
    let length = phonePrefixLength(match[0]);
    if (length > 0 && ISBN_BEFORE_RE.test(text.slice(Math.max(0, match.index - 9), match.index))) length = 0;
    if (length === 0) {
      // Retry from the next character: a later group may start a phone ("Room 12 555-123-4567" is not one
      // candidate's prefix). The look-behind admits only group starts, so this stays linear.
      re.lastIndex = match.index + 1;
      continue;
    }
    out += text.slice(copied, match.index) + PHONE_PLACEHOLDER;
    copied = match.index + length;
    re.lastIndex = copied;
    count++;
  }
  return [out + text.slice(copied), count];
}

// ---------------------------------------------------------------------------------------------------------

/**
 * Replace personal data in `text` (plain text or markdown) with stable placeholders: {@link EMAIL_PLACEHOLDER},
 * {@link PHONE_PLACEHOLDER}, {@link IP_PLACEHOLDER}. Only the kinds switched on in `options` are touched (all
 * are off by default; see {@link REDACT_ALL_PII}). Markdown stays well-formed: only the address itself is
 * replaced, so `[a@b.io](mailto:a@b.io)` becomes `[[EMAIL]](mailto:[EMAIL])`. E-mails run first (their digits
 * are not phones), then IPs (so `192.168.1.20` is not a phone), then phones. Runs in time linear in the text.
 */
export function redactPii(text: string, options: PiiRedactionOptions): PiiRedactionResult {
  const counts: PiiCounts = { emails: 0, phones: 0, ipAddresses: 0 };
  let out = text;
  if (options.emails === true) [out, counts.emails] = redactEmails(out);
  if (options.ipAddresses === true) [out, counts.ipAddresses] = redactIps(out);
  if (options.phones === true) [out, counts.phones] = redactPhones(out);
  return { text: out, counts };
}

/** What a page's record stores that may carry personal data; see {@link redactPage}. */
export interface RedactablePage {
  title: string;
  text: string;
  markdown: string;
  /** Extracted metadata (`PageMetadata`: description, author, site name, JSON-LD, OpenGraph…), as any JSON. */
  metadata: unknown;
  /** Structured-field values by name. */
  fields?: Record<string, unknown>;
  /** Per-record field errors, whose messages quote page content. */
  fieldErrors?: readonly { message: string }[];
}

/** A page after {@link redactPage}, with what was replaced over all of it. */
export interface PageRedactionResult<T extends RedactablePage> {
  page: T;
  counts: PiiCounts;
}

/**
 * Replace personal data everywhere a page's record keeps page content, in one pass over the page: the title, text
 * and markdown, every string of the metadata (description, author, site name, each JSON-LD value at any depth,
 * each OpenGraph property) and of the structured fields (lists included), and the field errors' quotes. Strings
 * are redacted as {@link redactPii} does; object keys, numbers and booleans are kept. Returns a copy (the input is
 * not changed) and the counts summed over every string. Nesting is walked with an explicit stack, so a deeply
 * nested JSON-LD block cannot overflow the call stack.
 */
export function redactPage<T extends RedactablePage>(
  page: T,
  options: PiiRedactionOptions,
): PageRedactionResult<T> {
  const counts: PiiCounts = { emails: 0, phones: 0, ipAddresses: 0 };
  if (options.emails !== true && options.phones !== true && options.ipAddresses !== true)
    return { page, counts };
  const redact = (value: string): string => {
    const result = redactPii(value, options);
    counts.emails += result.counts.emails;
    counts.phones += result.counts.phones;
    counts.ipAddresses += result.counts.ipAddresses;
    return result.text;
  };
  const redacted: T = {
    ...page,
    title: redact(page.title),
    text: redact(page.text),
    markdown: redact(page.markdown),
    metadata: redactStrings(page.metadata, redact),
  };
  if (page.fields !== undefined)
    redacted.fields = redactStrings(page.fields, redact) as Record<string, unknown>;
  if (page.fieldErrors !== undefined) {
    redacted.fieldErrors = page.fieldErrors.map((error) => ({ ...error, message: redact(error.message) }));
  }
  return { page: redacted, counts };
}

/** A copy of JSON-like `value` with `redact` applied to every string in it (keys excepted). */
function redactStrings(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (typeof value !== 'object' || value === null) return value;
  const root = copyContainer(value);
  const stack: [source: object, target: object][] = [[value, root]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [source, target] = item;
    for (const [key, child] of Object.entries(source)) {
      let copy: unknown = child;
      if (typeof child === 'string') copy = redact(child);
      else if (typeof child === 'object' && child !== null) {
        copy = copyContainer(child);
        stack.push([child, copy as object]);
      }
      // Defined, not assigned: a JSON key "__proto__" is an own property and must not reach the prototype.
      Object.defineProperty(target, key, {
        value: copy,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    }
  }
  return root;
}

function copyContainer(value: object): object {
  return Array.isArray(value) ? new Array<unknown>(value.length) : {};
}
