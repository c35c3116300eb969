import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Test support: a loopback site. `/page?bytes=N&delayMs=D` answers N bytes of HTML after D ms; `/stream?bytes=N`
 * streams N bytes in 16 KiB writes, waiting for the socket to drain, so `sentBytes` follows what the reader really
 * takes. Every request's arrival time is recorded in `hits`.
 */
export class TestSite {
  readonly hits: { path: string; at: number }[] = [];
  /** Body bytes handed to sockets so far, all requests together. */
  sentBytes = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<TestSite> {
    const ref: { site?: TestSite } = {};
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      ref.site?.hits.push({ path: url.pathname + url.search, at: Date.now() });
      const bytes = Number(url.searchParams.get('bytes') ?? 1000);
      const delayMs = Number(url.searchParams.get('delayMs') ?? 0);
      if (url.pathname === '/stream') {
        res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(bytes) });
        const piece = Buffer.alloc(16 * 1024, 'a');
        let left = bytes;
        const pump = (): void => {
          while (left > 0 && !res.destroyed) {
            const chunk = piece.subarray(0, Math.min(piece.length, left));
            left -= chunk.length;
            if (ref.site) ref.site.sentBytes += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        return pump();
      }
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(bytes) });
        res.end(Buffer.alloc(bytes, 'a'));
      }, delayMs);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    ref.site = new TestSite(server, (server.address() as AddressInfo).port);
    return ref.site;
  }

  /** URL of a page of `bytes` bytes answered after `delayMs`. */
  page(bytes = 1000, delayMs = 0, tag = ''): string {
    return `http://127.0.0.1:${this.port}/page?bytes=${bytes}&delayMs=${delayMs}${tag ? `&t=${tag}` : ''}`;
  }

  /** URL of a body of `bytes` bytes streamed at the pace the reader takes it. */
  stream(bytes: number, tag = ''): string {
    return `http://127.0.0.1:${this.port}/stream?bytes=${bytes}${tag ? `&t=${tag}` : ''}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
