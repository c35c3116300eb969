import chardet from 'chardet';
import iconv from 'iconv-lite';

/** Result of {@link decodeHtml}. */
export interface DecodedHtml {
  /** The page as a JavaScript string, without a byte-order mark. */
  text: string;
  /** Canonical lower-case name of the encoding that was used, e.g. `utf-8`, `windows-1252`, `shift_jis`. */
  charset: string;
}

/** How many leading bytes are searched for a `<meta charset>` declaration (browsers use 1,024; real pages overflow it). */
const META_SCAN_BYTES = 8192;
/** How many bytes the statistical detector looks at. */
const SNIFF_BYTES = 64 * 1024;

/**
 * Labels that browsers (WHATWG Encoding Standard) decode with a different, wider encoding than the label names.
 * Pages labelled Latin-1 are in practice Windows-1252, GB2312 pages are GBK, and so on.
 */
const LABEL_ALIASES: Readonly<Record<string, string>> = {
  'iso-8859-1': 'windows-1252',
  'iso8859-1': 'windows-1252',
  'iso_8859-1': 'windows-1252',
  latin1: 'windows-1252',
  l1: 'windows-1252',
  'us-ascii': 'windows-1252',
  ascii: 'windows-1252',
  cp1252: 'windows-1252',
  'x-cp1252': 'windows-1252',
  'iso-8859-9': 'windows-1254',
  latin5: 'windows-1254',
  'iso-8859-11': 'windows-874',
  'tis-620': 'windows-874',
  gb2312: 'gbk',
  'gb_2312-80': 'gbk',
  'x-gbk': 'gbk',
  chinese: 'gbk',
  csgb2312: 'gbk',
  gb18030: 'gb18030',
  'x-sjis': 'shift_jis',
  sjis: 'shift_jis',
  'shift-jis': 'shift_jis',
  ms_kanji: 'shift_jis',
  'windows-31j': 'shift_jis',
  csshiftjis: 'shift_jis',
  'x-euc-jp': 'euc-jp',
  'ks_c_5601-1987': 'euc-kr',
  'windows-949': 'euc-kr',
  'big5-hkscs': 'big5',
  'x-x-big5': 'big5',
  utf8: 'utf-8',
  'unicode-1-1-utf-8': 'utf-8',
  // A page cannot really be UTF-16 if its meta tag was readable as ASCII; browsers read it as UTF-8.
  'utf-16': 'utf-8',
  'utf-16le': 'utf-8',
  'utf-16be': 'utf-8',
  'x-user-defined': 'windows-1252',
};

/** Map a label from a header, meta tag or detector to a canonical encoding name iconv-lite can decode, or undefined. */
export function normalizeCharset(label: string | undefined | null): string | undefined {
  if (!label) return undefined;
  const clean = label
    .trim()
    .replace(/^["']|["']$/g, '')
    .toLowerCase();
  if (clean === '' || clean.length > 40) return undefined;
  const name = LABEL_ALIASES[clean] ?? clean;
  if (name === 'utf-8') return name;
  return iconv.encodingExists(name) ? name : undefined;
}

/** The `charset` parameter of a Content-Type header value, if any. */
function charsetFromContentType(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const match = /charset\s*=\s*["']?([^"';,\s]+)/i.exec(value.slice(0, 1024));
  return match?.[1];
}

/** Encoding named by a byte-order mark, and the mark's length. */
function charsetFromBom(bytes: Uint8Array): { charset: string; length: number } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { charset: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { charset: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { charset: 'utf-16be', length: 2 };
  return undefined;
}

/** The encoding declared by `<meta charset>` or `<meta http-equiv="Content-Type">` in the page's first bytes. */
function charsetFromMeta(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, META_SCAN_BYTES)).toString(
    'latin1',
  );
  const metaTag = /<meta\b[^>]*>/gi;
  for (let match = metaTag.exec(head); match; match = metaTag.exec(head)) {
    const tag = match[0];
    const direct = /\bcharset\s*=\s*["']?\s*([^"'\s/>;]+)/i.exec(tag);
    if (direct?.[1]) return direct[1];
  }
  return undefined;
}

/** True when the bytes are well-formed UTF-8 (a sequence cut at the very end is tolerated). */
function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, Math.max(0, bytes.length - 3)));
    return true;
  } catch {
    return false;
  }
}

/** True when the bytes contain anything beyond 7-bit ASCII. */
function hasHighBytes(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return true;
  return false;
}

/** Guess an encoding from byte statistics. Falls back to Windows-1252, as browsers do for Western locales. */
function sniffCharset(bytes: Uint8Array): string {
  if (isValidUtf8(bytes)) return 'utf-8';
  const guess = chardet.detect(bytes.subarray(0, SNIFF_BYTES));
  return normalizeCharset(guess) ?? 'windows-1252';
}

function decodeWith(bytes: Uint8Array, charset: string): string {
  if (charset === 'utf-8') return new TextDecoder('utf-8').decode(bytes);
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), charset);
}

/**
 * Decode an HTML response body to text.
 *
 * Order, as browsers do it (WHATWG Encoding Standard): a byte-order mark wins; then the `charset` of the HTTP
 * Content-Type header; then a `<meta charset>` / `http-equiv` declaration in the first 8 KiB; then sniffing (valid
 * UTF-8, else chardet's statistical guess, else Windows-1252). A declared legacy encoding is overruled when the
 * bytes are valid UTF-8 with non-ASCII sequences (legacy text almost never is), and a declared UTF-8 is overruled
 * when the bytes are not UTF-8 — both are common misconfigurations (pages re-saved or proxied as UTF-8) that would
 * otherwise produce mojibake.
 *
 * @param bytes - the raw body
 * @param contentTypeHeader - the HTTP Content-Type header value, if known
 */
export function decodeHtml(bytes: Uint8Array, contentTypeHeader?: string): DecodedHtml {
  const bom = charsetFromBom(bytes);
  if (bom) {
    const body = bytes.subarray(bom.length);
    return { text: decodeWith(body, bom.charset), charset: bom.charset };
  }
  const declared =
    normalizeCharset(charsetFromContentType(contentTypeHeader)) ?? normalizeCharset(charsetFromMeta(bytes));
  let charset: string;
  if (declared === undefined) {
    charset = sniffCharset(bytes);
  } else if (declared === 'utf-8') {
    charset = isValidUtf8(bytes) ? 'utf-8' : sniffCharset(bytes);
  } else if (hasHighBytes(bytes) && isValidUtf8(bytes)) {
    charset = 'utf-8';
  } else {
    charset = declared;
  }
  return { text: decodeWith(bytes, charset), charset };
}
