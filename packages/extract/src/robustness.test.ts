import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { extractPage } from './extract-page.js';

const PROSE =
  'Researchers measured the river level every hour for a year, and the results, published on Monday, show a ' +
  'steady rise that the authors link to changes upstream.';

function run(html: string | Uint8Array, contentType = 'text/html'): ReturnType<typeof extractPage> {
  const body = typeof html === 'string' ? Buffer.from(html, 'utf8') : html;
  return extractPage({ body, url: 'https://example.org/page', contentType });
}

/** Run `fn` and return how long it took, in milliseconds. */
function timed<T>(fn: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

describe('extractPage on hostile input', () => {
  it('copes with malformed, misnested and unclosed markup', () => {
    const html = `<html><head><title>Broken</title><body><table><tr><td><p>${PROSE}<div><b><i>mis</b>nested</i>
      <p>${PROSE} <span><a href="/x">unclosed link <p>${PROSE}</td></tr></table></tr></td></div></span>
      <!-- unterminated comment <p>lost</p>`;
    const page = run(html);
    expect(page.text).toContain('Researchers measured the river level');
  });

  it('handles a 20 MB page in bounded time', () => {
    const paragraph = `<p>${PROSE}</p>\n`;
    const count = Math.ceil((20 * 1024 * 1024) / paragraph.length);
    const html = `<html><body><article>${paragraph.repeat(count)}</article></body></html>`;
    expect(html.length).toBeGreaterThan(20 * 1024 * 1024);
    const { value: page, ms } = timed(() => run(html));
    expect(page.text.length).toBeGreaterThan(10_000_000);
    expect(page.quality.wordCount).toBeGreaterThan(0);
    expect(ms).toBeLessThan(45_000);
  });

  it('refuses bodies over the size limit with EXTRACT_FAILED', () => {
    const body = new Uint8Array(2048).fill(0x61);
    expect(() => extractPage({ body, url: 'https://example.org/' }, { maxBodyBytes: 1024 })).toThrowError(
      expect.objectContaining({ code: 'EXTRACT_FAILED', message: expect.stringContaining('limit') }),
    );
  });

  it('flattens 100,000-deep nesting instead of overflowing the stack', () => {
    const depth = 100_000;
    const html = `<html><body>${'<div>'.repeat(depth)}<p>${PROSE}</p>${'</div>'.repeat(depth)}</body></html>`;
    const { value: page, ms } = timed(() => run(html));
    expect(page.text).toContain('Researchers measured the river level');
    expect(ms).toBeLessThan(15_000);
  });

  it('survives 100,000 unclosed inline elements', () => {
    const html = `<html><body><p>${PROSE}</p>${'<span><b>'.repeat(50_000)}${PROSE}</body></html>`;
    const { value: page, ms } = timed(() => run(html));
    expect(page.text).toContain('Researchers measured the river level');
    expect(ms).toBeLessThan(15_000);
  });

  it('handles megabyte attributes', () => {
    const huge = 'x'.repeat(1024 * 1024);
    const html = `<html><head><meta name="description" content="${huge}"><script type="application/ld+json">{"a":"${huge}"}</script></head>
      <body><div class="${huge} sidebar" id="${huge}" style="${'color:red;'.repeat(100_000)}" data-blob="${huge}">
      <a href="https://example.org/${huge}" title="${huge}">link</a><p>${PROSE}</p><p>${PROSE}</p></div></body></html>`;
    const { value: page, ms } = timed(() => run(html));
    expect(page.text).toContain('Researchers measured the river level');
    expect(ms).toBeLessThan(15_000);
  });

  it('rejects binary garbage with EXTRACT_FAILED', () => {
    const garbage = randomBytes(256 * 1024);
    expect(() => run(garbage, '')).toThrowError(expect.objectContaining({ code: 'EXTRACT_FAILED' }));
  });

  it('rejects non-HTML content types with EXTRACT_FAILED', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...randomBytes(1024)]);
    expect(() => run(png, 'image/png')).toThrowError(
      expect.objectContaining({ code: 'EXTRACT_FAILED', message: 'content type image/png is not HTML' }),
    );
  });

  it('throws EMPTY_CONTENT for an empty body, and gives empty text for a text-less page', () => {
    expect(() => run('')).toThrowError(expect.objectContaining({ code: 'EMPTY_CONTENT' }));
    expect(run('<html><head><script>var x = 1;</script></head><body>  </body></html>').text).toBe('');
  });

  it('throws EXTRACT_FAILED for an invalid page URL', () => {
    expect(() => extractPage({ body: Buffer.from('<p>x</p>'), url: 'not a url' })).toThrowError(
      expect.objectContaining({ code: 'EXTRACT_FAILED' }),
    );
  });
});
