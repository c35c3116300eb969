import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Test support: a loopback site. `/page?bytes=N&delayMs=D` answers N bytes of HTML after D ms; every request's
 * arrival time is recorded in `hits`.
 */
export class TestSite {
  readonly hits: { path: string; at: number }[] = [];

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

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
