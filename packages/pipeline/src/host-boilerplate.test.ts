import { extractPage } from '@gleaner/extract';
import { describe, expect, it } from 'vitest';
import {
  boilerplateHash,
  boilerplateHashes,
  boilerplateKey,
  HostBoilerplate,
  markdownLineKey,
  removeBoilerplate,
  type HostParagraphCounts,
} from './host-boilerplate.js';

const hashesOf = (...lines: string[]): Set<string> =>
  new Set(lines.map((l) => boilerplateHash(boilerplateKey(l))));

/** The rule of the Redis counter, in memory, for one process. */
class MemoryCounts implements HostParagraphCounts {
  readonly maxHashesPerPage = 2500;
  private readonly hosts = new Map<string, { pages: number; counts: Map<string, number> }>();

  async countPage(
    scope: string,
    host: string,
    hashes: readonly string[],
    rule: { minPages: number; minShare: number },
  ) {
    const key = `${scope}:${host}`;
    const entry = this.hosts.get(key) ?? { pages: 0, counts: new Map<string, number>() };
    this.hosts.set(key, entry);
    entry.pages++;
    const frequent: string[] = [];
    for (const hash of new Set(hashes)) {
      const count = (entry.counts.get(hash) ?? 0) + 1;
      entry.counts.set(hash, count);
      if (count >= rule.minPages && count >= rule.minShare * entry.pages) frequent.push(hash);
    }
    return Promise.resolve({ pages: entry.pages, frequent });
  }
}

describe('boilerplateKey', () => {
  it('folds case, width, spacing and punctuation, and drops link targets', () => {
    expect(boilerplateKey('  Ｈｏｍｅ  |  About\tUs ')).toBe('home about us');
    expect(boilerplateKey('[Home](https://a.example/x_(1)) · [About](/about)')).toBe('home about');
    expect(boilerplateKey('— * —')).toBe('');
    expect(boilerplateKey('Café 2024')).toBe('café 2024');
  });

  it('gives a markdown line the key of its plain text', () => {
    const pairs: [md: string, text: string][] = [
      ['## Related **posts**', 'Related posts'],
      ['- [Privacy](/privacy)', 'Privacy'],
      ['  * _Terms_ of `use`', 'Terms of use'],
      ['> 3. Subscribe now', 'Subscribe now'],
      ['12) 2024 archive', '2024 archive'],
      ['1\\. Not a list', '1. Not a list'],
      ['\\# hash tag', '# hash tag'],
      ['| Mon | 9–5 |', 'Mon\t9–5'],
      ['Line one  ', 'Line one'],
    ];
    for (const [md, text] of pairs) expect(markdownLineKey(md), md).toBe(boilerplateKey(text));
  });
});

describe('boilerplateHashes', () => {
  it('hashes distinct lines, skipping punctuation-only lines and code', () => {
    const text = 'Home\nHome\n\n---\n\nconst x = 1;\n\nA paragraph.';
    const markdown = '- Home\n- Home\n\n\\---\n\n```js\nconst x = 1;\n```\n\nA paragraph.';
    expect(boilerplateHashes(text, markdown)).toEqual([...hashesOf('Home', 'A paragraph.')]);
  });

  it('keeps the top and the bottom of a long page', () => {
    const lines = Array.from({ length: 10 }, (_, i) => `line ${i}`);
    const text = lines.join('\n');
    expect(boilerplateHashes(text, text, 4)).toEqual([...hashesOf('line 0', 'line 1', 'line 8', 'line 9')]);
    expect(boilerplateHash('x')).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('removeBoilerplate', () => {
  const text = [
    'Home\nNews\nAbout',
    'Weekly roundup',
    'The council met on Tuesday and approved the new budget for parks, roads and the library.',
    'Officials said work starts in spring.',
    'Share this article',
    '© 2024 Example News. All rights reserved.',
  ].join('\n\n');
  const markdown = [
    '- [Home](/)\n- [News](/news)\n- [About](/about)',
    '# Weekly roundup',
    'The council met on **Tuesday** and approved the new budget for parks, roads and the library.',
    'Officials said work starts in _spring_.',
    '## Share this article',
    '© 2024 Example News. All rights reserved.',
  ].join('\n\n');

  it('removes the same lines from text and markdown, headings, lists and links included', () => {
    const out = removeBoilerplate(
      text,
      markdown,
      hashesOf('Home', 'News', 'About', 'Share this article', '© 2024 Example News. All rights reserved.'),
    );
    expect(out).toEqual({
      text: [
        'Weekly roundup',
        'The council met on Tuesday and approved the new budget for parks, roads and the library.',
        'Officials said work starts in spring.',
      ].join('\n\n'),
      markdown: [
        '# Weekly roundup',
        'The council met on **Tuesday** and approved the new budget for parks, roads and the library.',
        'Officials said work starts in _spring_.',
      ].join('\n\n'),
      removedLines: 5,
      mostlyBoilerplate: false,
    });
  });

  it('keeps the rest of a list and of a multi-line paragraph, dropping a dangling hard break', () => {
    const out = removeBoilerplate(
      'Home\nNews\nAbout\n\nBody text here\nSkip to content',
      '- Home\n- News\n- About\n\nBody text here  \nSkip to content',
      hashesOf('News', 'Skip to content'),
    );
    expect(out.text).toBe('Home\nAbout\n\nBody text here');
    expect(out.markdown).toBe('- Home\n- About\n\nBody text here');
  });

  it('never touches code, even when its lines are boilerplate elsewhere', () => {
    const t = 'Install it:\n\nnpm install gleaner\n\nnpm install gleaner';
    const md = 'Install it:\n\n```sh\nnpm install gleaner\n```\n\nnpm install gleaner';
    const out = removeBoilerplate(t, md, hashesOf('npm install gleaner', 'sh'));
    expect(out).toEqual({ text: t, markdown: md, removedLines: 0, mostlyBoilerplate: false });
  });

  it('keeps code blocks intact when removing around them', () => {
    const t = 'Menu\n\nfirst\n\n\nsecond\n\nAfter the code comes prose.';
    const md = '- Menu\n\n```\nfirst\n\n\nsecond\n```\n\nAfter the code comes prose.';
    const out = removeBoilerplate(t, md, hashesOf('Menu'));
    expect(out.markdown).toBe('```\nfirst\n\n\nsecond\n```\n\nAfter the code comes prose.');
    expect(out.text).toBe('first\n\n\nsecond\n\nAfter the code comes prose.');
  });

  it('keeps a page that is nearly all template whole, and says so', () => {
    const all = hashesOf(
      'Home',
      'News',
      'About',
      'Weekly roundup',
      'Share this article',
      'The council met on Tuesday and approved the new budget for parks, roads and the library.',
      '© 2024 Example News. All rights reserved.',
    );
    expect(removeBoilerplate(text, markdown, all)).toEqual({
      text,
      markdown,
      removedLines: 0,
      mostlyBoilerplate: true,
    });
    const loose = removeBoilerplate(text, markdown, all, { minKeptWordShare: 0.1 });
    expect(loose.text).toBe('Officials said work starts in spring.');
    expect(loose.markdown).toBe('Officials said work starts in _spring_.');
  });

  it('returns the page unchanged when nothing matches', () => {
    expect(removeBoilerplate(text, markdown, hashesOf('Elsewhere'))).toEqual({
      text,
      markdown,
      removedLines: 0,
      mostlyBoilerplate: false,
    });
  });

  it('stays consistent on markdown made by the extractor', () => {
    const html = `<html><body><article><h1>Story</h1>
      <p>Paragraph with <a href="/x">a link</a> and <b>bold</b> words that tell the story at length.</p>
      <ul><li>Tag <b>one</b> of the story</li><li>Tag two of the story</li></ul>
      <blockquote><p>Follow us on <em>social</em> media</p></blockquote>
      <ol><li>First step of the recipe</li><li>Second step</li></ol>
      <p>Another paragraph of real content that should stay where it is.</p></article></body></html>`;
    const page = extractPage({ body: new TextEncoder().encode(html), url: 'https://a.example/s' });
    const out = removeBoilerplate(
      page.text,
      page.markdown,
      hashesOf('Tag one of the story', 'Follow us on social media', 'Second step'),
    );
    expect(out.removedLines).toBe(3);
    for (const gone of ['Tag one', 'Tag **one**', 'Follow us', 'Second step']) {
      expect(out.text).not.toContain(gone);
      expect(out.markdown).not.toContain(gone);
    }
    for (const kept of ['Tag two', 'First step of the recipe', 'Another paragraph']) {
      expect(out.text).toContain(kept);
      expect(out.markdown).toContain(kept);
    }
  });
});

describe('HostBoilerplate', () => {
  const sitePage = (i: number): { text: string; markdown: string } => ({
    text: `Home\nBlog\n\nPost number ${i} has a body of its own with several words in it.\n\nCookies help us deliver our services.`,
    markdown: `- [Home](/)\n- [Blog](/blog)\n\nPost number ${i} has a body of its own with several words in it.\n\nCookies help us deliver our services.`,
  });

  it('learns a host’s template and removes it from the fifth page on; other hosts keep theirs', async () => {
    const cleaner = new HostBoilerplate(new MemoryCounts());
    for (let i = 1; i <= 10; i++) {
      const { text, markdown } = sitePage(i);
      const out = await cleaner.clean('c', 'a.example', text, markdown);
      expect(out.hostPages).toBe(i);
      const body = `Post number ${i} has a body of its own with several words in it.`;
      if (i < 5) expect(out.text).toBe(text);
      else expect({ text: out.text, markdown: out.markdown }).toEqual({ text: body, markdown: body });
    }
    const other = sitePage(11);
    expect((await cleaner.clean('c', 'b.example', other.text, other.markdown)).text).toBe(other.text);
  });

  it('checks its options', () => {
    expect(() => new HostBoilerplate(new MemoryCounts(), { minShare: 2 })).toThrow(RangeError);
    expect(() => new HostBoilerplate(new MemoryCounts(), { minPages: 0 })).toThrow(RangeError);
  });
});
