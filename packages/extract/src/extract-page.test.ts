import { describe, expect, it } from 'vitest';
import { extractPage } from './extract-page.js';
import type { ExtractedPage } from './extract-page.js';

const PROSE =
  'The committee met on Tuesday to discuss the proposal, which had been debated for months. Members agreed, after a ' +
  'long exchange of views, that the plan needed more work before a vote could be taken.';

function extract(html: string, url = 'https://example.com/news/2021/03/04/story.html'): ExtractedPage {
  return extractPage({ body: Buffer.from(html, 'utf8'), url, contentType: 'text/html; charset=utf-8' });
}

function article(inner: string, head = '', outside = ''): string {
  return `<!doctype html><html lang="en-GB"><head><title>Story title – Example News</title>${head}</head><body>
    <nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
    <article><h1>Story title</h1>${inner}</article>
    ${outside}
    <footer><p>© Example News. All rights reserved.</p><a href="/imprint">Imprint</a></footer>
  </body></html>`;
}

describe('extractPage: main content', () => {
  it('keeps the article and drops navigation, footers, comments and sharing widgets', () => {
    const page = extract(
      article(
        `<p>${PROSE}</p><p>${PROSE.replace('Tuesday', 'Wednesday')}</p>
       <div class="share-buttons"><a href="https://twitter.com/share">Share on Twitter</a></div>`,
        '',
        `<section id="comments"><h2>Comments</h2><p>${PROSE.replace('committee', 'commenter')}</p></section>
       <aside class="sidebar"><h3>Most read</h3><ul><li><a href="/a">Another story</a></li></ul></aside>`,
      ),
    );
    expect(page.text).toContain('The committee met on Tuesday');
    expect(page.text).toContain('The committee met on Wednesday');
    expect(page.text).not.toMatch(/Home|Share on Twitter|commenter|Most read|All rights reserved/);
    expect(page.text).not.toContain('Story title');
    expect(page.text.split('\n\n')).toHaveLength(2);
  });

  it('renders headings, paragraphs, emphasis, links, lists, tables, code and quotes as markdown', () => {
    const page = extract(
      article(`
      <p>${PROSE}</p>
      <h2>Details of the plan</h2>
      <p>Read the <a href="/docs/plan.pdf">full plan</a> with <strong>care</strong> and <em>patience</em>, then run <code>make</code>.</p>
      <ul><li>First point, which is fairly long</li><li>Second point<ul><li>Nested point</li></ul></li></ul>
      <ol><li>Step one</li><li>Step two</li></ol>
      <table><thead><tr><th>Year</th><th>Votes</th></tr></thead><tbody><tr><td>2020</td><td>12</td></tr><tr><td>2021</td><td>15</td></tr></tbody></table>
      <pre><code class="language-js">const a = 1;\n  if (a) {\n    run();\n  }</code></pre>
      <blockquote><p>It was the best of plans, it was the worst of plans, said the chair of the committee.</p></blockquote>
      <p>${PROSE}</p>`),
    );
    const md = page.markdown;
    expect(md).toContain('## Details of the plan');
    expect(md).toContain(
      'Read the [full plan](https://example.com/docs/plan.pdf) with **care** and _patience_, then run `make`.',
    );
    expect(md).toContain('- First point, which is fairly long\n- Second point\n  - Nested point');
    expect(md).toContain('1. Step one\n2. Step two');
    expect(md).toContain('| Year | Votes |\n| --- | --- |\n| 2020 | 12 |\n| 2021 | 15 |');
    expect(md).toContain('```js\nconst a = 1;\n  if (a) {\n    run();\n  }\n```');
    expect(md).toContain('> It was the best of plans');
    expect(page.text).toContain('Read the full plan with care and patience, then run make.');
    expect(page.text).not.toContain('](');
  });

  it('escapes paragraphs that would read as markdown syntax', () => {
    const page = extract(
      article(`<p>${PROSE}</p><p># 1 fan</p><p>- not a list</p><p>2. not a step</p><p>${PROSE}</p>`),
    );
    expect(page.markdown).toContain('\\# 1 fan\n\n\\- not a list\n\n2\\. not a step');
    expect(page.text).toContain('# 1 fan\n\n- not a list\n\n2. not a step');
  });

  it('keeps line breaks from <br> and collapses other white space', () => {
    const page = extract(article(`<p>${PROSE}</p><p>Line   one<br>Line\n two</p><p>${PROSE}</p>`));
    expect(page.text).toContain('Line one\nLine two');
  });

  it('returns a page without main text with empty text, and its links', () => {
    const page = extract('<html><body><nav><a href="/more">More</a></nav></body></html>');
    expect(page.text).toBe('');
    expect(page.markdown).toBe('');
    expect(page.outlinks.map((l) => new URL(l.url).pathname)).toContain('/more');
  });
});

describe('extractPage: metadata', () => {
  it('reads JSON-LD first, when its headline agrees with the page title', () => {
    const ld = JSON.stringify({
      '@context': 'https://schema.org',
      '@graph': [
        { '@type': 'WebSite', name: 'Example News' },
        {
          '@type': 'NewsArticle',
          headline: 'The JSON-LD headline',
          datePublished: '2021-03-04T10:00:00+01:00',
          dateModified: '2021-03-05T08:30:00Z',
          author: [{ '@type': 'Person', name: 'Ada Lovelace' }, { name: 'Alan Turing' }],
          description: 'What happened.',
        },
      ],
    });
    const page = extract(
      article(
        `<p>${PROSE}</p>`,
        `<script type="application/ld+json">${ld}</script>
      <meta property="og:title" content="JSON-LD headline – Example"><meta name="author" content="Someone Else">`,
      ),
    );
    expect(page.metadata).toMatchObject({
      title: 'The JSON-LD headline',
      author: 'Ada Lovelace, Alan Turing',
      publishedAt: '2021-03-04T09:00:00.000Z',
      modifiedAt: '2021-03-05T08:30:00.000Z',
      description: 'What happened.',
      siteName: 'Example News',
    });
    expect(page.title).toBe('The JSON-LD headline');
    expect(page.metadata.jsonLd).toHaveLength(1);
  });

  it('falls back to Open Graph, article:* and standard meta tags', () => {
    const page = extract(
      article(
        `<p>${PROSE}</p>`,
        `
      <meta property="og:title" content="The OG title"><meta property="og:site_name" content="Example News">
      <meta property="og:type" content="article"><meta property="og:url" content="/canonical/story">
      <meta name="description" content="  A short   summary. ">
      <meta name="author" content="Grace Hopper">
      <meta property="article:published_time" content="2020-01-02T03:04:05Z">
      <meta property="article:modified_time" content="2020-01-03">
      <script type="application/ld+json">{ not json </script>`,
      ),
    );
    expect(page.metadata).toMatchObject({
      title: 'The OG title',
      siteName: 'Example News',
      description: 'A short summary.',
      author: 'Grace Hopper',
      publishedAt: '2020-01-02T03:04:05.000Z',
      modifiedAt: '2020-01-03',
      canonicalUrl: 'https://example.com/canonical/story',
    });
    expect(page.metadata.openGraph).toEqual({
      title: 'The OG title',
      site_name: 'Example News',
      type: 'article',
      url: '/canonical/story',
    });
    expect(page.metadata.jsonLd).toEqual([]);
  });

  it('uses <link rel=canonical>, <time datetime>, the cleaned document title and the URL date', () => {
    const withTime = extract(
      article(
        `<p>By <span class="byline">Jane Doe</span> <time datetime="2019-05-06T07:08:09Z">May 6</time></p><p>${PROSE}</p>`,
        '<link rel="canonical" href="https://example.com/canonical">',
      ),
      'https://example.com/a',
    );
    expect(withTime.metadata.canonicalUrl).toBe('https://example.com/canonical');
    expect(withTime.metadata.publishedAt).toBe('2019-05-06T07:08:09.000Z');
    expect(withTime.metadata.title).toBe('Story title');
    expect(withTime.metadata.author).toBe('Jane Doe');
    const fromUrl = extract(article(`<p>${PROSE}</p>`), 'https://example.com/blog/2018/11/23/post/');
    expect(fromUrl.metadata.publishedAt).toBe('2018-11-23');
  });

  it('reports the declared language and identifies the text language', () => {
    const german =
      'Die Bundesregierung hat am Dienstag beschlossen, die Förderung für erneuerbare Energien deutlich ' +
      'auszuweiten. Kritiker bemängeln, dass die Mittel nicht ausreichen, um die Klimaziele zu erreichen.';
    const page = extract(article(`<p>${german}</p><p>${german}</p>`));
    expect(page.language).toEqual({ declared: 'en-GB', detected: 'de' });
  });
});

describe('extractPage: outlinks', () => {
  const links = `<p>${PROSE}</p><p>
    <a href="/relative/path?q=1#frag">Relative</a>
    <a href="other.html">Sibling</a>
    <a href="https://elsewhere.org/x" rel="nofollow ugc">Elsewhere</a>
    <a href="javascript:void(0)">JS</a> <a href="mailto:me@example.com">Mail</a> <a href="tel:123">Tel</a>
    <a href="#top">Top</a> <a href="ftp://example.com/file">FTP</a> <a href="http://[bad">Bad</a>
    <a href="/relative/path?q=1#other">Duplicate</a> <a href="/img"><img alt="Picture link" src="/p.png"></a></p>`;

  it('resolves against the page URL, drops non-http(s) links and fragments, de-duplicates', () => {
    const page = extract(article(links), 'https://example.com/news/story.html');
    const out = page.outlinks.filter((l) => !['Home', 'World', 'Sport', 'Imprint'].includes(l.text));
    expect(out).toEqual([
      { url: 'https://example.com/relative/path?q=1', text: 'Relative', rel: '' },
      { url: 'https://example.com/news/other.html', text: 'Sibling', rel: '' },
      { url: 'https://elsewhere.org/x', text: 'Elsewhere', rel: 'nofollow ugc' },
      { url: 'https://example.com/img', text: 'Picture link', rel: '' },
    ]);
  });

  it('resolves against <base href>', () => {
    const page = extract(
      article(links, '<base href="https://cdn.example.net/base/">'),
      'https://example.com/news/story.html',
    );
    expect(page.outlinks.map((l) => l.url)).toContain('https://cdn.example.net/base/other.html');
    expect(page.outlinks.map((l) => l.url)).toContain('https://cdn.example.net/relative/path?q=1');
  });
});

describe('extractPage: quality signals', () => {
  it('measures the extracted text', () => {
    const page = extract(article(`<p>${PROSE}</p><p>${PROSE}</p>`));
    expect(page.quality.wordCount).toBe(2 * PROSE.split(' ').length);
    expect(page.quality.duplicateParagraphRatio).toBe(0.5);
    expect(page.quality.lineEndPunctuationRatio).toBe(1);
  });
});
