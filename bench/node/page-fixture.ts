import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** A loopback site serving real pages from the corpus, read into memory at start (never copied into the repo). */
export interface PageFixture {
  port: number;
  /** One URL per corpus page, `http://127.0.0.1:<port>/p/<i>`. */
  urls: string[];
  /** Mean page size, bytes. */
  meanBytes: number;
  close(): Promise<void>;
}

/** Reads every `readability-pages/<name>/source.html` under `corpusDir` and serves them on 127.0.0.1. */
export async function startPageFixture(corpusDir: string): Promise<PageFixture> {
  const root = path.join(corpusDir, 'readability-pages');
  const names = (await readdir(root)).sort();
  const pages: Buffer[] = [];
  for (const name of names) {
    const page = await readFile(path.join(root, name, 'source.html')).catch(() => undefined);
    if (page !== undefined) pages.push(page);
  }
  if (pages.length === 0) throw new Error(`no pages found under ${root}`);
  const server: Server = createServer((req, res) => {
    const match = /^\/p\/(\d+)$/.exec(req.url ?? '');
    const page = match === null ? undefined : pages[Number(match[1])];
    if (page === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(page.length) });
    res.end(page);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    urls: pages.map((_, i) => `http://127.0.0.1:${port}/p/${i}`),
    meanBytes: pages.reduce((sum, p) => sum + p.length, 0) / pages.length,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * {@link startPageFixture} in a child process of its own: the server then never shares an event loop (nor its
 * latency) with the fetch loop under test, as a real site would not. The child runs `fixture-server.ts` with this
 * process's loader flags and stops with {@link PageFixture.close} (or when this process exits).
 */
export async function startPageFixtureProcess(corpusDir: string): Promise<PageFixture> {
  const here = fileURLToPath(import.meta.url);
  const script = path.join(path.dirname(here), `fixture-server${path.extname(here)}`);
  const child = spawn(process.execPath, [...process.execArgv, script, corpusDir], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const line = await Promise.race([
    new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve)),
    exited.then((code) => {
      throw new Error(`the fixture server exited with ${code}`);
    }),
  ]);
  const { port, urls, meanBytes } = JSON.parse(line) as Omit<PageFixture, 'close'>;
  return {
    port,
    urls,
    meanBytes,
    close: async () => {
      child.stdin.end();
      child.kill();
      await exited;
    },
  };
}
