import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { toGleanerError } from '@gleaner/core';
import { extractPage } from '@gleaner/extract';

/** Output formats of `gleaner extract`. */
export type ExtractFormat = 'json' | 'markdown' | 'text';

/** Options of `gleaner extract`. */
export interface ExtractCommandOptions {
  files: string[];
  /** The page's URL (resolves links, feeds URL dates); default the file's `file://` URL. */
  url?: string;
  format: ExtractFormat;
  out?: NodeJS.WritableStream;
}

/**
 * `gleaner extract`: runs the pipeline's extraction on saved pages and prints, in input order, one JSON line per
 * file (text, markdown, metadata, language, quality signals, outlinks) — or its markdown or text. A file that
 * cannot be read or extracted prints its error (`{ file, error: { code, message } }`) and the others go on.
 * Resolves with the number of files that failed.
 */
export async function runExtract(options: ExtractCommandOptions): Promise<number> {
  const out = options.out ?? process.stdout;
  let failures = 0;
  for (const file of options.files) {
    const url = options.url ?? pathToFileURL(path.resolve(file)).href;
    try {
      const body = await readFile(file);
      const page = extractPage({ body, url });
      if (options.format === 'json') {
        out.write(
          `${JSON.stringify({
            file,
            url,
            title: page.title,
            language: page.language,
            charset: page.charset,
            text: page.text,
            markdown: page.markdown,
            metadata: page.metadata,
            quality: page.quality,
            outlinks: page.outlinks,
          })}\n`,
        );
      } else {
        if (options.files.length > 1) out.write(`==> ${file} <==\n`);
        out.write(`${options.format === 'markdown' ? page.markdown : page.text}\n`);
      }
    } catch (error) {
      failures++;
      const failure = toGleanerError(error);
      const code = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'NOT_FOUND' : failure.code;
      if (options.format === 'json')
        out.write(`${JSON.stringify({ file, error: { code, message: failure.message } })}\n`);
      else process.stderr.write(`gleaner extract: ${file}: ${code}: ${failure.message}\n`);
    }
  }
  return failures;
}
