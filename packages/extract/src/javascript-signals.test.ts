import { describe, expect, it } from 'vitest';
import { extractPage } from './extract-page.js';

const PROSE =
  'The committee met on Tuesday to discuss the proposal, which had been debated for months. Members agreed, after a ' +
  'long exchange of views, that the plan needed more work before a vote could be taken. ';

function needs(body: string, head = ''): boolean {
  const html = `<!doctype html><html><head><title>App</title>${head}</head><body>${body}</body></html>`;
  return extractPage({ body: Buffer.from(html), url: 'https://example.com/', contentType: 'text/html' })
    .needsJavaScript;
}

describe('needsJavaScript', () => {
  it('flags an empty framework mount point with scripts', () => {
    expect(needs('<div id="root"></div><script src="/bundle.js"></script>')).toBe(true);
    expect(needs('<div id="__next"></div><script>window.x = 1</script>')).toBe(true);
    expect(needs('<main data-reactroot=""></main><script src="/app.js"></script>')).toBe(true);
  });

  it('flags a noscript that asks for JavaScript', () => {
    expect(
      needs(
        '<p>Loading…</p><noscript>You need to enable JavaScript to run this app.</noscript><script src="/a.js"></script>',
      ),
    ).toBe(true);
  });

  it('flags a bare shell of scripts around almost no text', () => {
    expect(
      needs(
        '<span>Loading</span><script src="/a.js"></script><script src="/b.js"></script><script>go()</script>',
      ),
    ).toBe(true);
  });

  it('leaves pages with real text, or without code, alone', () => {
    expect(
      needs(`<div id="root"><article><p>${PROSE.repeat(3)}</p></article></div><script src="/a.js"></script>`),
    ).toBe(false);
    expect(needs('<div id="root"></div>')).toBe(false);
    expect(needs('<div id="root"></div><script type="application/ld+json">{"@type":"Thing"}</script>')).toBe(
      false,
    );
    expect(
      needs('<p>Short page.</p><noscript><img src="/pixel.gif"></noscript><script src="/a.js"></script>'),
    ).toBe(false);
  });
});
