/**
 * Sitemaps (sitemaps.org protocol 0.9): XML `<urlset>` and `<sitemapindex>`, gzipped or not, and plain-text
 * sitemaps. A small tolerant scanner, no DOM and no entity expansion beyond the XML built-ins, so neither a
 * malformed file nor a hostile one (entity bombs, external entities) can hurt us. Pure apart from CPU: no I/O.
 */
import { gunzipSync } from 'node:zlib';

/** The largest sitemap accepted, in bytes after decompression: 50 MiB, the protocol's limit. */
export const DEFAULT_MAX_SITEMAP_BYTES = 50 * 1024 * 1024;

/** The most entries read from one sitemap: 50,000, the protocol's limit; the rest are ignored. */
export const DEFAULT_MAX_SITEMAP_URLS = 50_000;

/** Options for {@link parseSitemap}. */
export interface SitemapParseOptions {
  /** Size cap in bytes, applied after decompression. Default {@link DEFAULT_MAX_SITEMAP_BYTES}. */
  maxBytes?: number;
  /** Entries kept; later ones are dropped and `truncated` is set. Default {@link DEFAULT_MAX_SITEMAP_URLS}. */
  maxUrls?: number;
}

/** One `<url>` of a urlset, one `<sitemap>` of an index, or one line of a text sitemap. */
export interface SitemapEntry {
  /** Absolute http(s) URL as written (trimmed, entities decoded, not normalized). */
  loc: string;
  /** `<lastmod>` as written (a W3C Datetime such as `2024-05-01` or `2024-05-01T10:00:00+00:00`), if present. */
  lastmod?: string;
}

/** What {@link parseSitemap} found. */
export interface ParsedSitemap {
  /** `index` lists further sitemaps; `urlset` (also used for text sitemaps) lists pages. */
  kind: 'urlset' | 'index';
  entries: SitemapEntry[];
  /** True when entries were dropped because of `maxUrls`. */
  truncated: boolean;
}

/** The bytes are not a sitemap we can read (not XML or text, wrong root, too large, corrupt gzip): skip it. */
export class InvalidSitemapError extends Error {
  override name = 'InvalidSitemapError';
}

/**
 * Parses a sitemap body. Gzip is detected by its magic bytes (not by the file name or Content-Type) and
 * inflated with a cap of `maxBytes`. A body whose first non-blank character is not `<` is read as a text sitemap:
 * one URL per line, lines that are not absolute http(s) URLs skipped. XML is scanned tolerantly: namespace
 * prefixes are allowed (`<sm:url>`), extension elements such as `<image:loc>` are ignored, CDATA and the XML
 * built-in and numeric entities are decoded, and unclosed or stray tags do not stop the scan. A `<loc>` that is not
 * an absolute http(s) URL is skipped.
 *
 * @throws {InvalidSitemapError} when the body is too large, the gzip stream is corrupt, or the XML root is
 *   neither `urlset` nor `sitemapindex` (an HTML error page, an RSS feed).
 */
export function parseSitemap(bytes: Uint8Array, options: SitemapParseOptions = {}): ParsedSitemap {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_SITEMAP_BYTES;
  const maxUrls = options.maxUrls ?? DEFAULT_MAX_SITEMAP_URLS;
  const body = isGzip(bytes) ? gunzip(bytes, maxBytes) : bytes;
  if (body.length > maxBytes) throw new InvalidSitemapError(`sitemap is larger than ${maxBytes} bytes`);
  const text = decode(body);
  const start = text.search(/\S/);
  if (start < 0) return { kind: 'urlset', entries: [], truncated: false };
  if (text[start] !== '<') return parseText(text, maxUrls);
  return parseXml(text, maxUrls);
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function gunzip(bytes: Uint8Array, maxBytes: number): Uint8Array {
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    const tooLarge =
      error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
    throw new InvalidSitemapError(
      tooLarge ? `gzipped sitemap inflates beyond ${maxBytes} bytes` : 'sitemap is not a valid gzip stream',
      { cause: error },
    );
  }
}

/** UTF-8 unless a UTF-16 BOM or the XML declaration names another encoding the runtime knows; a BOM is dropped. */
function decode(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const declared = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(
    head.replace(/^\uFEFF|^ï»¿/, ''),
  );
  let label = declared?.[1] ?? 'utf-8';
  try {
    new TextDecoder(label);
  } catch {
    label = 'utf-8';
  }
  return new TextDecoder(label).decode(bytes); // drops a BOM, maps bad bytes to U+FFFD
}

function parseText(text: string, maxUrls: number): ParsedSitemap {
  const entries: SitemapEntry[] = [];
  let truncated = false;
  for (const line of text.split(/\r\n|\r|\n/)) {
    const loc = line.trim();
    if (!isHttpUrl(loc)) continue;
    if (entries.length >= maxUrls) {
      truncated = true;
      break;
    }
    entries.push({ loc });
  }
  return { kind: 'urlset', entries, truncated };
}

interface Open {
  prefix: string;
  local: string;
}

function parseXml(text: string, maxUrls: number): ParsedSitemap {
  let kind: ParsedSitemap['kind'] | undefined;
  let itemName = '';
  const entries: SitemapEntry[] = [];
  let truncated = false;
  const stack: Open[] = [];
  let item: { prefix: string; loc?: string; lastmod?: string } | undefined;
  let field: 'loc' | 'lastmod' | undefined;
  let fieldText = '';

  const finishField = (): void => {
    if (item && field) item[field] = fieldText.trim();
    field = undefined;
    fieldText = '';
  };
  const finishItem = (): void => {
    finishField();
    if (item?.loc && isHttpUrl(item.loc)) {
      if (entries.length < maxUrls) {
        entries.push(item.lastmod ? { loc: item.loc, lastmod: item.lastmod } : { loc: item.loc });
      } else {
        truncated = true;
      }
    }
    item = undefined;
  };

  let i = 0;
  while (i < text.length && !truncated) {
    const lt = text.indexOf('<', i);
    const textEnd = lt < 0 ? text.length : lt;
    if (field && textEnd > i) fieldText += decodeEntities(text.slice(i, textEnd));
    if (lt < 0) break;

    if (text.startsWith('<!--', lt)) {
      i = skipPast(text, lt + 4, '-->');
    } else if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      const stop = end < 0 ? text.length : end;
      if (field) fieldText += text.slice(lt + 9, stop);
      i = end < 0 ? text.length : end + 3;
    } else if (text.startsWith('<?', lt)) {
      i = skipPast(text, lt + 2, '?>');
    } else if (text.startsWith('<!', lt)) {
      i = skipDeclaration(text, lt + 2);
    } else {
      const gt = findTagEnd(text, lt + 1);
      if (gt < 0) break; // a tag cut off at the end of the file
      const raw = text.slice(lt + 1, gt);
      i = text[gt] === '>' ? gt + 1 : gt;
      const closing = raw.startsWith('/');
      const selfClosing = !closing && raw.endsWith('/');
      const name = /^\/?\s*([^\s/>]+)/.exec(raw)?.[1];
      if (!name) continue;
      const colon = name.indexOf(':');
      const tag: Open = { prefix: colon >= 0 ? name.slice(0, colon) : '', local: name.slice(colon + 1) };

      if (kind === undefined) {
        if (closing) continue;
        if (tag.local === 'urlset') [kind, itemName] = ['urlset', 'url'];
        else if (tag.local === 'sitemapindex') [kind, itemName] = ['index', 'sitemap'];
        else throw new InvalidSitemapError(`not a sitemap: the root element is <${name}>`);
        stack.push(tag);
        continue;
      }

      if (closing) {
        const at = findOpen(stack, tag);
        if (at < 0) continue; // a stray end tag
        const closed = stack.splice(at);
        if (closed.some((t) => t.local === itemName && item && t.prefix === item.prefix)) finishItem();
        else if (field && closed.some((t) => t.local === field && item && t.prefix === item.prefix))
          finishField();
        continue;
      }

      if (tag.local === itemName && tag.prefix === (stack[0]?.prefix ?? '')) {
        // A new item also ends an unclosed previous one.
        const previous = stack.findIndex((t) => t.local === itemName && t.prefix === tag.prefix);
        if (previous >= 0) stack.splice(previous);
        finishItem();
        item = { prefix: tag.prefix };
        if (!selfClosing) stack.push(tag);
        else finishItem();
        continue;
      }

      const parent = stack[stack.length - 1];
      const isField =
        item !== undefined &&
        !field &&
        (tag.local === 'loc' || tag.local === 'lastmod') &&
        tag.prefix === item.prefix &&
        parent?.local === itemName;
      if (isField) {
        field = tag.local as 'loc' | 'lastmod';
        fieldText = '';
        if (selfClosing) finishField();
        else stack.push(tag);
        continue;
      }
      if (field) finishField(); // markup inside <loc> is malformed; keep what was read so far
      if (!selfClosing) stack.push(tag);
    }
  }
  if (kind === undefined) throw new InvalidSitemapError('not a sitemap: no root element');
  if (!truncated) {
    // A field still open at the end of the file was cut off mid-value (a truncated download): don't trust it.
    field = undefined;
    finishItem();
  }
  return { kind, entries, truncated };
}

function findOpen(stack: readonly Open[], tag: Open): number {
  for (let j = stack.length - 1; j >= 0; j--) {
    const open = stack[j];
    if (open && open.local === tag.local && open.prefix === tag.prefix) return j;
  }
  return -1;
}

function skipPast(text: string, from: number, terminator: string): number {
  const end = text.indexOf(terminator, from);
  return end < 0 ? text.length : end + terminator.length;
}

/** Skips `<!DOCTYPE …>` including an internal subset in brackets; its entities are never expanded. */
function skipDeclaration(text: string, from: number): number {
  let depth = 0;
  for (let j = from; j < text.length; j++) {
    const ch = text[j];
    if (ch === '[') depth++;
    else if (ch === ']') depth = Math.max(0, depth - 1);
    else if (ch === '>' && depth === 0) return j + 1;
  }
  return text.length;
}

/**
 * Where a tag's text ends: at its `>` (quoted attribute values skipped), or at a `<` that starts the next tag when
 * this one was never closed; -1 when the file ends inside the tag.
 */
function findTagEnd(text: string, from: number): number {
  let quote: string | undefined;
  for (let j = from; j < text.length; j++) {
    const ch = text[j];
    if (ch === '<') return j; // `<` is never legal inside a tag, quoted or not
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '>') {
      return j;
    }
  }
  return -1;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the five XML entities and numeric references; anything else is left as written. */
function decodeEntities(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)
        ? String.fromCodePoint(code)
        : whole;
    }
    return NAMED_ENTITIES[ref] ?? whole;
  });
}

function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}
