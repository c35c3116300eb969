import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sha256Hex } from '@gleaner/core';
import { extractPage } from '@gleaner/extract';

/** One real page, extracted once, that many benchmark records are made from. */
export interface CorpusPage {
  url: string;
  body: Buffer;
  bodySha256: string;
  title: string;
  text: string;
  markdown: string;
  language: string | null;
  metadata: Record<string, unknown>;
  quality: Record<string, number>;
}

/** The pages' files in ../shared/corpus: WCXB's dev split, trafilatura's evaluation pages, Readability's tests. */
function corpusFiles(corpusRoot: string): { url: string; read: () => Buffer }[] {
  const files: { url: string; read: () => Buffer }[] = [];
  const wcxb = path.join(corpusRoot, 'wcxb-dev', 'dev', 'html');
  const meta = JSON.parse(readFileSync(path.join(corpusRoot, 'wcxb-dev', 'metadata.json'), 'utf8')) as {
    files: Record<string, { domain: string }>;
  };
  for (const name of readdirSync(wcxb).sort()) {
    const id = name.replace('.html.gz', '');
    files.push({
      url: `https://${meta.files[id]?.domain ?? 'wcxb.example'}/wcxb/${id}`,
      read: () => gunzipSync(readFileSync(path.join(wcxb, name))),
    });
  }
  const trafilatura = path.join(corpusRoot, 'trafilatura-eval');
  const evaldata = JSON.parse(readFileSync(path.join(trafilatura, 'evaldata.json'), 'utf8')) as Record<
    string,
    { file: string }
  >;
  for (const [url, item] of Object.entries(evaldata)) {
    const candidates = [
      path.join(trafilatura, 'cache', item.file),
      path.join(trafilatura, 'eval', item.file),
    ];
    files.push({
      url,
      read: () => {
        for (const file of candidates) {
          try {
            return readFileSync(file);
          } catch {
            continue;
          }
        }
        throw new Error(`no file for ${url}`);
      },
    });
  }
  const readability = path.join(corpusRoot, 'readability-pages');
  for (const name of readdirSync(readability)
    .filter((n) => !n.startsWith('_'))
    .sort())
    files.push({
      url: `http://fakehost/test/${name}/`,
      read: () => readFileSync(path.join(readability, name, 'source.html')),
    });
  return files;
}

/** Up to `limit` distinct pages of the corpus, read and extracted with Gleaner's extractor (not timed). */
export function loadCorpusPages(corpusRoot: string, limit: number): CorpusPage[] {
  const pages: CorpusPage[] = [];
  for (const file of corpusFiles(corpusRoot)) {
    if (pages.length >= limit) break;
    let body: Buffer;
    try {
      body = file.read();
    } catch {
      continue;
    }
    try {
      const page = extractPage({ body, url: file.url });
      if (page.text.length === 0) continue;
      pages.push({
        url: file.url,
        body,
        bodySha256: sha256Hex(body),
        title: page.title,
        text: page.text,
        markdown: page.markdown,
        language: page.language.declared ?? page.language.detected ?? null,
        metadata: JSON.parse(JSON.stringify(page.metadata)) as Record<string, unknown>,
        quality: { ...page.quality },
      });
    } catch {
      continue;
    }
  }
  return pages;
}
