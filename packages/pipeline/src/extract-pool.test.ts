import { afterAll, describe, expect, it } from 'vitest';
import { NonRetryableError } from '@gleaner/core';
import { extractPage } from '@gleaner/extract';
import { ExtractPool } from './extract-pool.js';

const article = (n: number) =>
  Buffer.from(
    `<html lang="en"><head><title>Page ${n}</title></head><body><nav><a href="/">Home</a></nav><article>` +
      `<h1>Page ${n}</h1>${'<p>The river carried stones past the mill, and the village counted its harvest. </p>'.repeat(8)}` +
      `<p>See <a href="/next/${n}">the next page</a> for more.</p></article></body></html>`,
  );

describe('ExtractPool (worker threads)', () => {
  const pools: ExtractPool[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  it('extracts on threads exactly as in process, many pages at once', async () => {
    const pool = new ExtractPool({ size: 2 });
    pools.push(pool);
    const pages = await Promise.all(
      Array.from({ length: 12 }, (_, n) =>
        pool.extract({ body: article(n), url: `https://example.com/${n}` }),
      ),
    );
    pages.forEach((page, n) => {
      const direct = extractPage({ body: article(n), url: `https://example.com/${n}` });
      expect(page.text).toBe(direct.text);
      expect(page.title).toBe(`Page ${n}`);
      expect(page.fallback).toBeUndefined();
    });
  });

  it('rebuilds the extractor’s errors', async () => {
    const pool = new ExtractPool({ size: 1 });
    pools.push(pool);
    const failure = await pool
      .extract({ body: new Uint8Array(0), url: 'https://example.com/' })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(NonRetryableError);
    expect((failure as NonRetryableError).code).toBe('EMPTY_CONTENT');
  });

  it('replaces a thread that overruns its budget and answers with the plain-text fallback', async () => {
    const pool = new ExtractPool({ size: 1, budgetMs: 5 });
    pools.push(pool);
    const big = Buffer.from(
      `<html><head><title>Big</title></head><body>${'<div><p>Lots of text in a long page, <a href="/x">a link</a>. </p></div>'.repeat(40_000)}</body></html>`,
    );
    const page = await pool.extract({ body: big, url: 'https://example.com/big' });
    expect(page.fallback).toBe(true);
    expect(page.title).toBe('Big');
    expect(page.text).toMatch(/Lots of text in a long page/);
    expect(page.outlinks.map((l) => l.url)).toContain('https://example.com/x');
    const small = await pool.extract({ body: article(1), url: 'https://example.com/1' });
    expect(small.text).toMatch(/river carried stones/);
  });
});
