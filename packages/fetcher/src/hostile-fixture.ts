import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import zlib from 'node:zlib';

/** A loopback HTTP server under test control, with a record of everything that reached it. */
export interface FixtureServer {
  host: string;
  port: number;
  /** `http://host:port` */
  origin: string;
  /** TCP connections accepted so far. */
  connections: number;
  /** Paths requested so far, with their request headers. */
  requests: { path: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

/**
 * Starts a plain server on `host` (any 127.x.y.z) that records connections and requests and answers with `handler`
 * (default: a small HTML page). `port` 0 picks a free one.
 */
export async function startRecordingServer(
  host: string,
  port = 0,
  handler?: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<FixtureServer> {
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    fixture.requests.push({ path: req.url ?? '', headers: req.headers });
    if (handler !== undefined) return handler(req, res);
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<p>hello from ${host}</p>`);
  });
  server.on('connection', (socket) => {
    fixture.connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const fixture: FixtureServer = {
    host,
    port: bound,
    origin: `http://${host}:${bound}`,
    connections: 0,
    requests: [],
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fixture;
}

const BOMB_BYTES = 64 * 1024 * 1024;

/**
 * The hostile fixture site of issue 3: redirects anywhere, compression bombs, endless and dripping bodies, huge
 * headers, wrong content types, and an echo of the request headers. Routes (query `to` is a redirect target):
 * `/ok`, `/echo`, `/redirect?to=`, `/chain/N`, `/set-cookie?to=`, `/gzip`, `/deflate`, `/deflate-raw`, `/br`,
 * `/gzip-bomb`, `/br-bomb`, `/zstd`, `/corrupt-gzip`, `/endless`, `/drip`, `/stall-body`, `/no-headers`,
 * `/huge-headers`, `/binary`, `/big?bytes=`, `/declared-huge`, `/slow-headers?ms=`.
 */
/**
 * A valid zstd frame (RFC 8878) of `blocks` run-length blocks of 128 KiB zeros each: 4 bytes per block on the wire,
 * so a ratio of 32,768 to 1.
 */
export function zstdBomb(blocks: number): Buffer {
  const frameHeader = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38]); // magic; no size, no checksum; 128 KiB window
  const body = Buffer.alloc(blocks * 4);
  for (let i = 0; i < blocks; i++) {
    const last = i === blocks - 1 ? 1 : 0;
    const header = (128 * 1024 * 8) | (1 << 1) | last; // Block_Size << 3 | Block_Type RLE << 1 | Last_Block
    body.writeUIntLE(header, i * 4, 3);
    body[i * 4 + 3] = 0;
  }
  return Buffer.concat([frameHeader, body]);
}

export async function startHostileFixture(host = '127.0.0.1', port = 0): Promise<FixtureServer> {
  const page = '<!doctype html><title>ok</title><p>hello</p>'.repeat(20);
  const zeros = Buffer.alloc(BOMB_BYTES);
  const gzipBomb = zlib.gzipSync(zeros, { level: 9 });
  const brBomb = zlib.brotliCompressSync(zeros, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } });
  const timers = new Set<NodeJS.Timeout>();
  const every = (ms: number, res: http.ServerResponse, fn: () => void): void => {
    const t = setInterval(fn, ms);
    timers.add(t);
    res.on('close', () => {
      clearInterval(t);
      timers.delete(t);
    });
  };
  const html = { 'content-type': 'text/html; charset=utf-8' };

  const fixture = await startRecordingServer(host, port, (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fixture');
    const to = url.searchParams.get('to') ?? '/ok';
    const chain = /^\/chain\/(\d+)$/.exec(url.pathname);
    if (chain !== null) {
      const n = Number(chain[1]);
      if (n === 0) return res.writeHead(200, html).end(page);
      return res.writeHead(302, { location: `/chain/${n - 1}` }).end();
    }
    switch (url.pathname) {
      case '/ok':
        return res.writeHead(200, html).end(page);
      case '/echo':
        return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(req.headers));
      case '/redirect':
        return res.writeHead(302, { location: to }).end();
      case '/set-cookie':
        return res.writeHead(302, { location: to, 'set-cookie': 'session=secret; Path=/' }).end();
      case '/gzip':
        return res.writeHead(200, { ...html, 'content-encoding': 'gzip' }).end(zlib.gzipSync(page));
      case '/deflate':
        return res.writeHead(200, { ...html, 'content-encoding': 'deflate' }).end(zlib.deflateSync(page));
      case '/deflate-raw':
        return res.writeHead(200, { ...html, 'content-encoding': 'deflate' }).end(zlib.deflateRawSync(page));
      case '/br':
        return res.writeHead(200, { ...html, 'content-encoding': 'br' }).end(zlib.brotliCompressSync(page));
      case '/gzip-bomb':
        return res.writeHead(200, { ...html, 'content-encoding': 'gzip' }).end(gzipBomb);
      case '/br-bomb':
        return res.writeHead(200, { ...html, 'content-encoding': 'br' }).end(brBomb);
      case '/zstd':
        // A real zstd bomb: 1 GiB of zeros as 8,192 run-length blocks, 32 KiB on the wire.
        return res.writeHead(200, { ...html, 'content-encoding': 'zstd' }).end(zstdBomb(8192));
      case '/corrupt-gzip':
        return res
          .writeHead(200, { ...html, 'content-encoding': 'gzip' })
          .end(Buffer.from('1f8b0800000000000003ffffffff', 'hex'));
      case '/endless':
        res.writeHead(200, html);
        every(1, res, () => res.write(Buffer.alloc(64 * 1024, 'a')));
        return;
      case '/drip':
        res.writeHead(200, html);
        res.write('a');
        every(1000, res, () => res.write('a'));
        return;
      case '/stall-body':
        res.writeHead(200, html);
        res.write(Buffer.alloc(2048, 'a'));
        return;
      case '/no-headers':
        return;
      case '/slow-headers':
        setTimeout(() => res.writeHead(200, html).end(page), Number(url.searchParams.get('ms') ?? 0));
        return;
      case '/huge-headers': {
        const headers: Record<string, string> = { ...html };
        for (let i = 0; i < 100; i++) headers[`x-filler-${i}`] = 'x'.repeat(1000);
        return res.writeHead(200, headers).end(page);
      }
      case '/binary':
        return res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.alloc(10));
      case '/big':
        return res.writeHead(200, html).end(Buffer.alloc(Number(url.searchParams.get('bytes') ?? 0), 'a'));
      case '/declared-huge':
        res.writeHead(200, { ...html, 'content-length': String(10 * 1024 * 1024 * 1024) });
        res.write('a');
        return;
      default:
        return res.writeHead(404, html).end('<p>not found</p>');
    }
  });
  const close = fixture.close;
  fixture.close = async () => {
    for (const t of timers) clearInterval(t);
    await close();
  };
  return fixture;
}
