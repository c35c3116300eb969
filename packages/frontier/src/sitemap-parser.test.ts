import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_SITEMAP_URLS, InvalidSitemapError, parseSitemap } from './sitemap-parser.js';

const NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function urlset(urls: { loc: string; lastmod?: string }[]): string {
  const items = urls
    .map(
      (u) =>
        `  <url>\n    <loc>${u.loc}</loc>\n${u.lastmod ? `    <lastmod>${u.lastmod}</lastmod>\n` : ''}  </url>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="${NS}">\n${items}\n</urlset>\n`;
}

function sitemapIndex(locs: string[]): string {
  const items = locs
    .map((loc) => `<sitemap><loc>${loc}</loc><lastmod>2024-01-02</lastmod></sitemap>`)
    .join('');
  return `<?xml version="1.0"?><sitemapindex xmlns="${NS}">${items}</sitemapindex>`;
}

describe('parseSitemap: urlsets and indexes', () => {
  it('reads a urlset with lastmod', () => {
    const result = parseSitemap(
      bytes(
        urlset([
          { loc: 'https://a.test/', lastmod: '2024-05-01T10:00:00+00:00' },
          { loc: 'https://a.test/b' },
        ]),
      ),
    );
    expect(result).toEqual({
      kind: 'urlset',
      entries: [
        { loc: 'https://a.test/', lastmod: '2024-05-01T10:00:00+00:00' },
        { loc: 'https://a.test/b' },
      ],
      truncated: false,
    });
  });

  it('reads a sitemap index', () => {
    const result = parseSitemap(bytes(sitemapIndex(['https://a.test/s1.xml', 'https://a.test/s2.xml.gz'])));
    expect(result.kind).toBe('index');
    expect(result.entries).toEqual([
      { loc: 'https://a.test/s1.xml', lastmod: '2024-01-02' },
      { loc: 'https://a.test/s2.xml.gz', lastmod: '2024-01-02' },
    ]);
  });

  it('reads gzipped input, detected by magic bytes', () => {
    const locs = Array.from({ length: 1000 }, (_, i) => ({ loc: `https://a.test/p/${i}` }));
    const result = parseSitemap(gzipSync(bytes(urlset(locs))));
    expect(result.entries).toHaveLength(1000);
    expect(result.entries[999]).toEqual({ loc: 'https://a.test/p/999' });
  });

  it('reads a gzipped index', () => {
    expect(parseSitemap(gzipSync(bytes(sitemapIndex(['https://a.test/x.xml'])))).kind).toBe('index');
  });

  it('handles namespace prefixes and ignores extension elements', () => {
    const xml = `<sm:urlset xmlns:sm="${NS}" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
      <sm:url>
        <sm:loc>https://a.test/page</sm:loc>
        <image:image><image:loc>https://cdn.test/pic.jpg</image:loc></image:image>
        <xhtml:link rel="alternate" hreflang="de" href="https://a.test/de/page"/>
      </sm:url>
    </sm:urlset>`;
    expect(parseSitemap(bytes(xml)).entries).toEqual([{ loc: 'https://a.test/page' }]);
  });

  it('decodes CDATA, XML entities and numeric references', () => {
    const xml = `<urlset xmlns="${NS}">
      <url><loc><![CDATA[https://a.test/?a=1&b=2]]></loc></url>
      <url><loc>https://a.test/?x=1&amp;y=&#50;&#x33;</loc></url>
      <url><loc> https://a.test/caf&#xE9; </loc></url>
    </urlset>`;
    expect(parseSitemap(bytes(xml)).entries.map((e) => e.loc)).toEqual([
      'https://a.test/?a=1&b=2',
      'https://a.test/?x=1&y=23',
      'https://a.test/café',
    ]);
  });

  it('does not expand DOCTYPE entities', () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY boom "https://evil.test/">]>
      <urlset><url><loc>&boom;x</loc></url><url><loc>https://a.test/ok</loc></url></urlset>`;
    expect(parseSitemap(bytes(xml)).entries).toEqual([{ loc: 'https://a.test/ok' }]);
  });

  it('skips comments, processing instructions and a BOM', () => {
    const xml = `\uFEFF<?xml version="1.0"?><!-- <url><loc>https://a.test/commented</loc></url> -->
      <?xml-stylesheet href="s.xsl"?><urlset><url><loc>https://a.test/real</loc></url></urlset>`;
    expect(parseSitemap(bytes(xml)).entries).toEqual([{ loc: 'https://a.test/real' }]);
  });

  it('honours a declared non-UTF-8 encoding', () => {
    const xml =
      '<?xml version="1.0" encoding="ISO-8859-1"?><urlset><url><loc>https://a.test/caf\xE9</loc></url></urlset>';
    const latin1 = Uint8Array.from(xml, (c) => c.charCodeAt(0));
    expect(parseSitemap(latin1).entries).toEqual([{ loc: 'https://a.test/café' }]);
  });

  it('skips locs that are not absolute http(s) URLs', () => {
    const xml =
      '<urlset><url><loc>/relative</loc></url><url><loc>mailto:x@a.test</loc></url><url><loc></loc></url></urlset>';
    expect(parseSitemap(bytes(xml)).entries).toEqual([]);
  });
});

describe('parseSitemap: malformed XML', () => {
  it('tolerates unclosed items, stray end tags and a truncated file', () => {
    const xml = `<urlset>
      <url><loc>https://a.test/1</loc>
      <url><loc>https://a.test/2</loc></lastmod></url>
      </bogus>
      <url><loc>https://a.test/3</loc><lastmod>2024-02-03</lastmod></url>
      <url><loc>https://a.test/4</lo`;
    expect(parseSitemap(bytes(xml)).entries).toEqual([
      { loc: 'https://a.test/1' },
      { loc: 'https://a.test/2' },
      { loc: 'https://a.test/3', lastmod: '2024-02-03' },
    ]);
  });

  it('tolerates an unclosed loc and a tag broken by the next one', () => {
    const xml =
      '<urlset><url><loc>https://a.test/1</url><url bad="<url><loc>https://a.test/2</loc></url></urlset>';
    expect(parseSitemap(bytes(xml)).entries.map((e) => e.loc)).toEqual([
      'https://a.test/1',
      'https://a.test/2',
    ]);
  });

  it('throws a clear error for an HTML page or another root', () => {
    expect(() => parseSitemap(bytes('<!doctype html><html><body>Not found</body></html>'))).toThrow(
      InvalidSitemapError,
    );
    expect(() => parseSitemap(bytes('<rss version="2.0"></rss>'))).toThrow(/root element is <rss>/);
    expect(() => parseSitemap(bytes('<!-- only a comment -->'))).toThrow(/no root element/);
  });

  it('throws a clear error for a corrupt gzip stream', () => {
    const gz = gzipSync(bytes(urlset([{ loc: 'https://a.test/' }])));
    expect(() => parseSitemap(gz.subarray(0, 12))).toThrow(InvalidSitemapError);
  });
});

describe('parseSitemap: limits', () => {
  it('stops at maxUrls and says so', () => {
    const locs = Array.from({ length: 30 }, (_, i) => ({ loc: `https://a.test/${i}` }));
    const result = parseSitemap(bytes(urlset(locs)), { maxUrls: 10 });
    expect(result.entries).toHaveLength(10);
    expect(result.truncated).toBe(true);
    expect(parseSitemap(bytes(urlset(locs.slice(0, 10))), { maxUrls: 10 }).truncated).toBe(false);
  });

  it('keeps 50,000 URLs by default', () => {
    const locs = Array.from({ length: DEFAULT_MAX_SITEMAP_URLS + 5 }, (_, i) => ({
      loc: `https://a.test/${i}`,
    }));
    const result = parseSitemap(gzipSync(bytes(urlset(locs))));
    expect(result.entries).toHaveLength(DEFAULT_MAX_SITEMAP_URLS);
    expect(result.truncated).toBe(true);
  });

  it('refuses a gzip bomb beyond maxBytes', () => {
    const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(10_000);
    expect(() => parseSitemap(bomb, { maxBytes: 1024 * 1024 })).toThrow(/inflates beyond 1048576 bytes/);
  });

  it('refuses plain input beyond maxBytes', () => {
    expect(() => parseSitemap(bytes(urlset([{ loc: 'https://a.test/' }])), { maxBytes: 20 })).toThrow(
      InvalidSitemapError,
    );
  });
});

describe('parseSitemap: text sitemaps', () => {
  it('reads one URL per line and skips the rest', () => {
    const text = 'https://a.test/1\r\n\n  https://a.test/2  \nnot a url\n/relative\nhttp://a.test/3';
    expect(parseSitemap(bytes(text))).toEqual({
      kind: 'urlset',
      entries: [{ loc: 'https://a.test/1' }, { loc: 'https://a.test/2' }, { loc: 'http://a.test/3' }],
      truncated: false,
    });
  });

  it('reads gzipped text and applies maxUrls', () => {
    const text = Array.from({ length: 20 }, (_, i) => `https://a.test/${i}`).join('\n');
    const result = parseSitemap(gzipSync(bytes(text)), { maxUrls: 5 });
    expect(result.entries).toHaveLength(5);
    expect(result.truncated).toBe(true);
  });

  it('returns nothing for an empty body', () => {
    expect(parseSitemap(new Uint8Array(0))).toEqual({ kind: 'urlset', entries: [], truncated: false });
  });
});
