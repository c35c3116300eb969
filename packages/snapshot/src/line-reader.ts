import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';

/** The lines of a UTF-8 byte stream, without their `\n`; a last line without one is yielded too. */
export async function* readLines(input: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of input) {
    const lines = (rest + decoder.write(chunk)).split('\n');
    rest = lines.pop() ?? '';
    yield* lines;
  }
  rest += decoder.end();
  if (rest !== '') yield rest;
}

/** The lines of a file, gunzipped first when `gzip` is set; read errors and bad gzip data reject the iteration. */
export async function* readFileLines(filePath: string, gzip = false): AsyncGenerator<string> {
  const source = createReadStream(filePath);
  if (!gzip) {
    try {
      yield* readLines(source);
    } finally {
      source.destroy();
    }
    return;
  }
  const gunzip = createGunzip();
  source.on('error', (error) => gunzip.destroy(error));
  source.pipe(gunzip);
  try {
    yield* readLines(gunzip);
  } finally {
    source.destroy();
    gunzip.destroy();
  }
}
